import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadCorpus } from '../../src/dialogue/nlu/corpus.js';
import { knowledgeDir } from '../../src/paths.js';
import { loadCases } from '../../eval/load-cases.js';

/**
 * The evaluation measures understanding only if nothing was fitted to it: no evaluation message is
 * a training example, and no cue, word list or journey wording copies a phrase of one.
 */

const squash = (text: string) => text.replace(/[\s,，。.!！?？~～、：:；;“”"'（）()]/g, '');
const evalMessages = loadCases().flatMap((c) => c.turns.map((t) => squash(t.user ?? ''))).filter((m) => m.length > 0);

/**
 * Every cue and text in a YAML value. Left out: quick-reply chips (buttons people press, so the
 * evaluation types them too) and the canonical forms typos are rewritten to (normalize.yaml's
 * replacement values: the product's own terms).
 */
function strings(value: unknown, file: string, key = ''): string[] {
  if (key === 'chips') return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, file));
  if (value && typeof value === 'object') {
    if (key === 'replacements' && file.endsWith('normalize.yaml')) return Object.keys(value);
    return Object.entries(value).flatMap(([k, v]) => strings(v, file, k));
  }
  return [];
}

/** The dialogue's rule files and journey files (the corpus is checked on its own below). */
function ruleFiles(): string[] {
  const dir = join(knowledgeDir, 'dialogue');
  const top = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
  const journeys = readdirSync(join(dir, 'journeys')).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, 'journeys', f));
  return [...top, ...journeys];
}

/** A cue long enough to be a phrase rather than a word (regex patterns are skipped: they are not copied text). */
const MIN_PHRASE = 6;

describe('nothing fitted to the evaluation', () => {
  it('has evaluation messages to compare against', () => {
    expect(evalMessages.length).toBeGreaterThan(300);
  });

  it('trains the classifier on no evaluation message (a greeting of three characters or fewer aside)', () => {
    const corpus = new Set(loadCorpus().map((e) => squash(e.text)));
    const copied = evalMessages.filter((m) => [...m].length > 3 && corpus.has(m));
    expect(copied).toEqual([]);
  });

  it('has no cue, word list or journey wording that copies a phrase of an evaluation message', () => {
    const copied: string[] = [];
    for (const file of ruleFiles()) {
      for (const cue of strings(parseYaml(readFileSync(file, 'utf8')), file)) {
        // Words joined by "+" (a narrower question's words that must all appear) are checked word by word.
        const parts = cue.split('+');
        if (parts.some((p) => /[\\()[\]|?*{}^$]/.test(p))) continue;
        for (const part of parts) {
          const phrase = squash(part);
          if ([...phrase].length < MIN_PHRASE) continue;
          if (evalMessages.some((m) => m.includes(phrase))) copied.push(`${file.slice(knowledgeDir.length + 1)}: ${cue}`);
        }
      }
    }
    expect(copied).toEqual([]);
  });
});
