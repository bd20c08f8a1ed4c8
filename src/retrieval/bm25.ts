import type { KnowledgeEntry } from '../knowledge/schema.js';
import { getLexicon, type Lexicon } from './lexicon.js';
import { normalizeText, segmentForSearch, segmentNormalizedForSearch } from './tokenizer.js';

/**
 * What both BM25 implementations share: the indexed fields and their boosts, the BM25+
 * parameters, and how a query becomes weighted terms (jieba search-mode tokens plus the
 * canonical terms of lexicon concepts it mentions).
 */

/** One document as BM25 sees it: three fields, each already a plain string. */
export interface Bm25Document {
  id: string;
  title: string;
  keywords: string;
  body: string;
}

export const BM25_FIELDS = ['title', 'keywords', 'body'] as const;
export type Bm25Field = (typeof BM25_FIELDS)[number];

/** Title words say what an entry is about; keywords are curated colloquial forms; body is long. */
export const FIELD_BOOSTS: Readonly<Record<Bm25Field, number>> = { title: 2, keywords: 2, body: 1 };

/** BM25+ parameters (MiniSearch's defaults: k1 1.2, b 0.7, δ 0.5). */
export const BM25_PARAMS = { k: 1.2, b: 0.7, d: 0.5 } as const;

/** Weight of a term that only comes from lexicon expansion (the user did not type it). */
export const EXPANSION_WEIGHT = 0.6;

/** A query as unique terms with a weight each. */
export interface QueryTerms {
  terms: string[];
  weights: number[];
}

export interface Bm25Hit {
  id: string;
  score: number;
}

/** A BM25 index over knowledge entries. */
export interface Bm25Index {
  readonly name: string;
  /** Top k entries for a raw query. */
  search(query: string, k: number): Bm25Hit[];
  /** Top k entries for an already analysed query (lets the hybrid ranker tokenize once). */
  searchTerms(query: QueryTerms, k: number): Bm25Hit[];
}

/** The three fields of an entry as BM25 indexes them. */
export function toBm25Document(entry: KnowledgeEntry): Bm25Document {
  return { id: entry.id, title: entry.title, keywords: entry.keywords.join(' '), body: entry.body };
}

/** Tokenizes one field for indexing (search-mode jieba, stop words removed). */
export const tokenizeField = (text: string): string[] => segmentForSearch(text);

/**
 * Query terms: the user's own tokens at weight 1, plus tokens of the canonical/expand terms of
 * every lexicon concept the query mentions (断交 → 断缴, 中断缴费) at EXPANSION_WEIGHT.
 */
export function analyzeQueryTerms(query: string, lexicon: Lexicon = getLexicon()): QueryTerms {
  const normalized = normalizeText(query);
  return queryTermsFromNormalized(normalized, lexicon.matchNormalized(normalized).expansions);
}

/**
 * Tokens of a lexicon expansion phrase. The phrases are the lexicon's own fixed vocabulary (a few
 * hundred), so each is segmented once instead of once per query that mentions its concept: a
 * question touching five concepts used to make some twenty jieba calls for them.
 */
const expansionTokenCache = new Map<string, readonly string[]>();
const MAX_CACHED_PHRASES = 10_000;
function expansionTokens(phrase: string): readonly string[] {
  let tokens = expansionTokenCache.get(phrase);
  if (!tokens) {
    tokens = segmentNormalizedForSearch(phrase);
    if (expansionTokenCache.size < MAX_CACHED_PHRASES) expansionTokenCache.set(phrase, tokens);
  }
  return tokens;
}

/** Same as analyzeQueryTerms for a query already normalised and matched against the lexicon. */
export function queryTermsFromNormalized(normalized: string, expansions: readonly string[]): QueryTerms {
  const weightOf = new Map<string, number>();
  for (const t of segmentNormalizedForSearch(normalized)) weightOf.set(t, 1);
  for (const phrase of expansions) {
    for (const t of expansionTokens(phrase)) if (!weightOf.has(t)) weightOf.set(t, EXPANSION_WEIGHT);
  }
  return { terms: [...weightOf.keys()], weights: [...weightOf.values()] };
}
