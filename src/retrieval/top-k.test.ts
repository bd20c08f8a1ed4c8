import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from './top-k.js';

describe('top k', () => {
  it('keeps the k best scores, best first, the lower id first among equal scores — as a full sort would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), (scores, k) => {
        const best = new TopK(k);
        scores.forEach((score, id) => best.push(id, score));
        const sorted = scores.map((score, id) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
        expect(best.drain()).toEqual(sorted.slice(0, k));
      }),
    );
  });

  it('is empty again after draining', () => {
    const best = new TopK(2);
    best.push(1, 0.5);
    expect(best.drain()).toHaveLength(1);
    expect(best.drain()).toEqual([]);
  });
});
