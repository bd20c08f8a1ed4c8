import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEntries } from '../knowledge/load.js';
import { entryEmbeddingText } from './search-index.js';
import { OfflineEmbedder } from './offline-embedder.js';
import { EXACT_SCAN_LIMIT, VectorIndex } from './vector-index.js';

/** Deterministic pseudo-random unit-ish vectors (mulberry32). */
function randomVectors(count: number, dim: number, seed: number): Float32Array[] {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, next));
}

describe('vector index', () => {
  it('returns the exact top-k through HNSW on 1,500 random vectors when the search breadth covers them', () => {
    const vectors = randomVectors(1_500, 64, 7);
    const index = new VectorIndex(vectors, 64, { ef: 1_500 });
    for (const query of randomVectors(100, 64, 99)) {
      expect(index.search(query, 10).map((h) => h.index)).toEqual(index.exactSearch(query, 10).map((h) => h.index));
    }
  });

  it('searches within a set of rows exactly, by scan for a small set and through the graph with a filter for a large one', () => {
    const vectors = randomVectors(3_000, 32, 11);
    const index = new VectorIndex(vectors, 32, { ef: 3_000 });
    const even = Int32Array.from({ length: 1_500 }, (_, i) => i * 2);
    const few = Int32Array.from([5, 17, 400, 2_999]);
    const exactWithin = (query: Float32Array, rows: Int32Array, k: number) => {
      const allowed = new Set(rows);
      return index.exactSearch(query, 3_000).filter((h) => allowed.has(h.index)).slice(0, k).map((h) => h.index);
    };
    for (const query of randomVectors(20, 32, 5)) {
      expect(index.searchWithin(query, 3, few).map((h) => h.index)).toEqual(exactWithin(query, few, 3));
      expect(index.searchWithin(query, 10, even).map((h) => h.index)).toEqual(exactWithin(query, even, 10));
    }
    // A set above the scan limit goes through the graph and still keeps to the set.
    const large = Int32Array.from({ length: EXACT_SCAN_LIMIT + 1 }, (_, i) => i);
    for (const query of randomVectors(20, 32, 6)) expect(index.searchWithin(query, 10, large).every((h) => h.index <= EXACT_SCAN_LIMIT)).toBe(true);
  });

  it('reads back a written graph that answers exactly as the one it was written from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnsw-'));
    try {
      const index = new VectorIndex(randomVectors(500, 16, 3), 16);
      index.writeGraph(join(dir, 'graph.bin'));
      const copy = VectorIndex.read(index.rows(), 16, join(dir, 'graph.bin'));
      for (const query of randomVectors(30, 16, 4)) expect(copy.search(query, 5)).toEqual(index.search(query, 5));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns the exact top-k through HNSW for the real entries and questions', () => {
    const embedder = new OfflineEmbedder();
    const entries = loadEntries();
    const index = new VectorIndex(entries.map((e) => embedder.embedOne(entryEmbeddingText(e))), embedder.dim);
    const questions = ['医保余额能从青岛转到南京吗', '断交三个月怎么补缴', '去外地看病怎么报销', '医保电话是多少', '退休人员每月划入多少', ...entries.map((e) => e.title)];
    for (const q of questions) {
      const v = embedder.embedOne(q);
      expect(index.search(v, 5).map((h) => h.index), q).toEqual(index.exactSearch(v, 5).map((h) => h.index));
    }
  });

  it('scores by cosine similarity, best first', () => {
    const index = new VectorIndex([Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(1, 1)], 2);
    const hits = index.exactSearch(Float32Array.of(2, 0), 3);
    expect(hits.map((h) => h.index)).toEqual([0, 2, 1]);
    expect(hits[0]!.score).toBeCloseTo(1, 6);
    expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(index.search(Float32Array.of(2, 0), 3).map((h) => h.index)).toEqual([0, 2, 1]);
  });

  it('rejects vectors of the wrong dimension', () => {
    expect(() => new VectorIndex([Float32Array.of(1, 0, 0)], 2)).toThrow(/dimensions/);
  });
});
