import type { AnnotatedSlots, CorpusExample } from '../../src/dialogue/nlu/corpus.js';
import type { RegionLookup } from '../../src/tools/region/types.js';

export interface SlotScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  bySlot: Map<string, { tp: number; fp: number; fn: number }>;
  /** Examples with any miss: text, expected, found. */
  misses: Array<{ text: string; expected: AnnotatedSlots; found: AnnotatedSlots }>;
}

/**
 * Slot F1 of a reader against the corpus annotations, micro-averaged over (slot, value) pairs.
 * Places are compared by the region they resolve to (苏州 = 苏州市), lists of unplaced places as
 * sets; numbers exactly; everything else by value.
 */
export function slotF1(corpus: readonly CorpusExample[], read: (e: CorpusExample) => AnnotatedSlots, regions: RegionLookup): SlotScore {
  const placeKey = (name: string) => {
    const r = regions.resolve(name);
    return r.status === 'ok' ? r.region.code : name;
  };
  const pairs = (s: AnnotatedSlots): Set<string> => {
    const out = new Set<string>();
    for (const [k, v] of Object.entries(s)) {
      if (v === undefined) continue;
      if (k === 'from' || k === 'to') out.add(`${k}=${placeKey(String(v))}`);
      else if (k === 'places') for (const p of v as string[]) out.add(`places=${placeKey(p)}`);
      else out.add(`${k}=${String(v)}`);
    }
    return out;
  };
  const score: SlotScore = { tp: 0, fp: 0, fn: 0, precision: 0, recall: 0, f1: 0, bySlot: new Map(), misses: [] };
  const bump = (pair: string, field: 'tp' | 'fp' | 'fn') => {
    const slot = pair.split('=')[0]!;
    const s = score.bySlot.get(slot) ?? { tp: 0, fp: 0, fn: 0 };
    s[field] += 1;
    score.bySlot.set(slot, s);
    score[field] += 1;
  };
  for (const e of corpus) {
    const expected = pairs(e.slots);
    const foundSlots = read(e);
    const found = pairs(foundSlots);
    let miss = false;
    for (const p of found) {
      if (expected.has(p)) bump(p, 'tp');
      else {
        bump(p, 'fp');
        miss = true;
      }
    }
    for (const p of expected) {
      if (!found.has(p)) {
        bump(p, 'fn');
        miss = true;
      }
    }
    if (miss) score.misses.push({ text: e.text, expected: e.slots, found: foundSlots });
  }
  score.precision = score.tp / Math.max(1, score.tp + score.fp);
  score.recall = score.tp / Math.max(1, score.tp + score.fn);
  score.f1 = (2 * score.precision * score.recall) / Math.max(1e-9, score.precision + score.recall);
  return score;
}
