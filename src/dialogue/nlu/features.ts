import { getJieba } from '../../retrieval/tokenizer.js';

/** Buckets of the hashed feature space (collisions are rare enough at this size). */
export const FEATURE_BITS = 17;
const MASK = (1 << FEATURE_BITS) - 1;

/** FNV-1a over a feature's kind and text. */
function hash(kind: string, text: string): number {
  let h = 0x811c9dc5;
  for (const s of [kind, text]) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f;
  }
  return (h >>> 0) & MASK;
}

/** A sparse, L2-normalised feature vector: bucket ids and their weights. */
export interface Features {
  ids: Int32Array;
  values: Float32Array;
}

/**
 * What the classifier sees of a message: the normalised text with every number as "0" and every
 * place name as "地" (so it learns how people ask, not which city they name), read as character
 * 1–3-grams and jieba words. Word and character views together hold up against typos (a wrong
 * character breaks one word but only some n-grams) and unsegmented voice input.
 */
export function featurize(masked: string, extra: { concepts?: readonly string[]; cues?: ReadonlyMap<string, number> } = {}): Features {
  const counts = new Map<number, number>();
  const add = (id: number, w = 1) => counts.set(id, (counts.get(id) ?? 0) + w);
  const chars = [...`^${masked}$`];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) add(hash(`c${n}`, chars.slice(i, i + n).join('')));
  for (const word of getJieba().cut(masked, false)) if (word.trim()) add(hash('w', word), 1.5);
  // Domain concepts (取现/提现/拿出来 → one concept) let a form seen under one label count for its synonyms.
  for (const concept of extra.concepts ?? []) add(hash('k', concept), 3);
  // The cue-word rules that remain, as evidence the model weighs like any other feature.
  for (const [cue, score] of extra.cues ?? []) add(hash('r', cue), Math.min(score, 4) / 4);
  const ids = Int32Array.from(counts.keys());
  const values = Float32Array.from(counts.values());
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i]! /= norm;
  return { ids, values };
}

/**
 * Replaces the given spans (place names) with 地, service numbers (12xxx, 95xxx: hotlines) with
 * 热线 — the word that asks about them — and every other digit run with 0.
 */
export function maskForClassifier(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  let out = '';
  let at = 0;
  for (const { start, end } of [...spans].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    out += text.slice(at, start) + '地';
    at = end;
  }
  out += text.slice(at);
  return out.replace(/(?<!\d)(?:12|95)\d{3}(?!\d)/g, '热线').replace(/\d+(?:\.\d+)?/g, '0');
}
