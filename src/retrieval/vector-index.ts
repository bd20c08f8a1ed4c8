import hnsw from 'hnswlib-node';

const { HierarchicalNSW } = hnsw;

export interface VectorHit {
  /** Position of the vector in the array the index was built from. */
  index: number;
  /** Cosine similarity. */
  score: number;
}

export interface VectorIndexOptions {
  /** HNSW graph degree (hnswlib's default). */
  m?: number;
  efConstruction?: number;
  /**
   * Search breadth. Default: the number of vectors (at least k). With a knowledge base of a
   * few hundred entries that makes HNSW visit every reachable node, so it returns the exact
   * top-k (a test checks this against exactSearch) at a cost of microseconds; hnswlib's own
   * default of 10 misses neighbours even on small sets. A KB of many thousands of entries
   * should lower it (ef ≥ 100 keeps recall high) and accept approximate results.
   */
  ef?: number;
}

/**
 * Cosine vector index: hnswlib-node HNSW for search(), and a brute-force scan over the same
 * unit vectors for exactSearch() (the baseline for tests and the benchmark).
 */
export class VectorIndex {
  readonly dim: number;
  readonly size: number;
  private readonly hnswIndex: InstanceType<typeof HierarchicalNSW>;
  /** All vectors, unit length, row-major: one contiguous block for the exact scan. */
  private readonly matrix: Float32Array;
  private readonly ef: number;
  /**
   * hnswlib-node takes the query as a plain array: one array of doubles is reused for every
   * query instead of allocating a 512-element copy each time (about a tenth of a search).
   */
  private readonly queryArray: number[];

  constructor(vectors: readonly Float32Array[], dim: number, options: VectorIndexOptions = {}) {
    if (vectors.length === 0) throw new RangeError('VectorIndex needs at least one vector');
    this.dim = dim;
    this.size = vectors.length;
    this.matrix = new Float32Array(this.size * dim);
    vectors.forEach((v, i) => {
      if (v.length !== dim) throw new RangeError(`vector ${i} has ${v.length} dimensions, expected ${dim}`);
      this.matrix.set(unit(v), i * dim);
    });
    this.hnswIndex = new HierarchicalNSW('cosine', dim);
    this.hnswIndex.initIndex({ maxElements: this.size, m: options.m ?? 16, efConstruction: options.efConstruction ?? 200, randomSeed: 100 });
    vectors.forEach((v, i) => this.hnswIndex.addPoint(Array.from(v), i));
    this.ef = options.ef ?? this.size;
    this.queryArray = Array.from({ length: dim }, () => 0.5);
    this.hnswIndex.setEf(this.ef);
  }

  /** Top k by cosine similarity through the HNSW graph. */
  search(query: Float32Array, k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dimensions, expected ${this.dim}`);
    if (this.ef < n) this.hnswIndex.setEf(n);
    const q = this.queryArray;
    for (let i = 0; i < q.length; i++) q[i] = query[i]!;
    const { neighbors, distances } = this.hnswIndex.searchKnn(q, n);
    return neighbors.map((index, i) => ({ index, score: 1 - distances[i]! }));
  }

  /** Top k by cosine similarity, scanning every vector. */
  exactSearch(query: Float32Array, k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    const q = unit(query);
    const { dim, matrix } = this;
    const topIndex = new Int32Array(n).fill(-1);
    const topScore = new Float64Array(n).fill(-Infinity);
    for (let row = 0, offset = 0; row < this.size; row++, offset += dim) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += matrix[offset + j]! * q[j]!;
      if (dot <= topScore[n - 1]!) continue;
      let pos = n - 1;
      while (pos > 0 && topScore[pos - 1]! < dot) {
        topScore[pos] = topScore[pos - 1]!;
        topIndex[pos] = topIndex[pos - 1]!;
        pos--;
      }
      topScore[pos] = dot;
      topIndex[pos] = row;
    }
    const out: VectorHit[] = [];
    for (let i = 0; i < n; i++) if (topIndex[i]! >= 0) out.push({ index: topIndex[i]!, score: topScore[i]! });
    return out;
  }
}

/** A unit-length copy of v (hnswlib's cosine space normalises internally; the scan must too). */
function unit(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
