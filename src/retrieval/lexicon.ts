import { z } from 'zod';
import { loadTable } from '../knowledge/load.js';
import { knowledgeDir } from '../paths.js';
import { normalizeText } from './tokenizer.js';

/**
 * The domain concept lexicon (knowledge/lexicon.yaml): canonical terms with the colloquial forms
 * and typos users write. Retrieval uses it to expand BM25 queries with the canonical wording of
 * the knowledge base and as strongly weighted concept features in the offline embedding.
 */

const term = z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1));

export const conceptSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, '概念 id 只能用小写字母、数字和连字符'),
    canonical: term,
    /** Further official terms added to the query with the canonical term. */
    expand: z.array(term).default([]),
    /** Colloquial forms and typos; matched as substrings of the normalised text. */
    forms: z.array(term).default([]),
  })
  .strict();
export type Concept = z.infer<typeof conceptSchema>;

export const lexiconSchema = z
  .object({ concepts: z.array(conceptSchema).min(1) })
  .strict()
  .superRefine((lexicon, ctx) => {
    const seen = new Set<string>();
    lexicon.concepts.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: `概念 id "${c.id}" 重复`, path: ['concepts', i, 'id'] });
      seen.add(c.id);
    });
  });
export type LexiconData = z.infer<typeof lexiconSchema>;

/** Reads and validates knowledge/lexicon.yaml; a bad file throws a KnowledgeError naming the field. */
export function loadLexiconData(dir = knowledgeDir): LexiconData {
  return loadTable('lexicon', lexiconSchema, dir);
}

export interface ConceptMatch {
  concepts: string[];
  /** Canonical and expand terms of the matched concepts (normalised, unique). */
  expansions: string[];
}

/** Finds concepts in text. Matching is by substring over normalised text, indexed by first character. */
export class Lexicon {
  readonly concepts: readonly Concept[];
  private readonly byFirstChar = new Map<string, { form: string; concept: number }[]>();
  private readonly expansionsOf: string[][];

  constructor(data: LexiconData) {
    this.concepts = data.concepts;
    this.expansionsOf = data.concepts.map((c) => unique([c.canonical, ...c.expand].map(normalizeText)));
    data.concepts.forEach((c, index) => {
      for (const raw of unique([c.canonical, ...c.forms].map(normalizeText))) {
        const first = raw[0]!;
        let bucket = this.byFirstChar.get(first);
        if (!bucket) this.byFirstChar.set(first, (bucket = []));
        bucket.push({ form: raw, concept: index });
      }
    });
  }

  /** Concept indexes mentioned in already-normalised text, in order of first appearance. */
  matchIndexes(normalized: string): number[] {
    const found: number[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < normalized.length; i++) {
      const bucket = this.byFirstChar.get(normalized[i]!);
      if (!bucket) continue;
      for (const { form, concept } of bucket) {
        if (!seen.has(concept) && normalized.startsWith(form, i)) {
          seen.add(concept);
          found.push(concept);
        }
      }
    }
    return found;
  }

  /** Concept ids and expansion terms for already-normalised text. */
  matchNormalized(normalized: string): ConceptMatch {
    const indexes = this.matchIndexes(normalized);
    const expansions: string[] = [];
    for (const i of indexes) expansions.push(...this.expansionsOf[i]!);
    return { concepts: indexes.map((i) => this.concepts[i]!.id), expansions: unique(expansions) };
  }

  /** Concept ids and expansion terms for raw text. */
  match(text: string): ConceptMatch {
    return this.matchNormalized(normalizeText(text));
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

let shared: Lexicon | undefined;

/** The lexicon from knowledge/lexicon.yaml, loaded once. */
export function getLexicon(): Lexicon {
  shared ??= new Lexicon(loadLexiconData());
  return shared;
}
