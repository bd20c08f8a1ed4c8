import hnsw from 'hnswlib-node';
import { TopK } from './top-k.js';

const { HierarchicalNSW } = hnsw;

export interface VectorHit {
  /** Position of the vector in the array the index was built from. */
  index: number;
  /** Cosine similarity. */
  score: number;
}

/** HNSW graph parameters; part of a built index's identity (a change means a rebuild). */
export interface HnswParams {
  /** Graph degree. */
  m: number;
  efConstruction: number;
  randomSeed: number;
}

/**
 * A denser graph than hnswlib's defaults (m 16, efConstruction 200): city rules on one topic are
 * worded alike, so at 20,000 entries the vectors form tight clusters of near neighbours, and the
 * default graph needed a breadth of several hundred to reach the true top 5 (see DEFAULT_EF).
 */
export const HNSW_PARAMS: Readonly<HnswParams> = { m: 32, efConstruction: 400, randomSeed: 100 };

/**
 * Search breadth of the HNSW graph, fixed. Chosen with `npm run bench -- scale` on the synthetic
 * 20,000-entry knowledge base: the smallest breadth whose recall@5 against the exact scan over
 * the 1,120 benchmark questions is at least 0.99 (the README has the table). Below a few hundred
 * entries the graph is searched to the end and the result is exact. The hot path rarely comes
 * here: a question is searched within its region groups by exact scan; the graph serves
 * searches over the whole knowledge base (evaluation, and filling a short regional list).
 */
export const DEFAULT_EF = 600;

/**
 * Candidate sets up to this size are scored exactly (a scan over only their rows, skipping the
 * query's zero dimensions) rather than through the graph with a filter: for a few hundred rows
 * the scan is as fast as the graph, and exact.
 */
export const EXACT_SCAN_LIMIT = 2_000;

export interface VectorIndexOptions extends Partial<HnswParams> {
  /** Search breadth (default DEFAULT_EF, at least k). */
  ef?: number;
}

type Graph = InstanceType<typeof HierarchicalNSW>;

/**
 * Cosine vector index: hnswlib-node HNSW for search(), a scan over the same unit vectors for
 * exactSearch() (the baseline for tests and the benchmark) and for searches within a small
 * candidate set (searchWithin: a region's entries).
 */
export class VectorIndex {
  readonly dim: number;
  readonly size: number;
  private readonly graph: Graph;
  /** All vectors, unit length, row-major: one contiguous block for the exact scan. */
  private readonly matrix: Float32Array;
  private readonly ef: number;
  /**
   * hnswlib-node takes the query as a plain array: one array of doubles is reused for every
   * query instead of allocating a 512-element copy each time (about a tenth of a search).
   */
  private readonly queryArray: number[];
  private readonly allowed: Uint8Array;
  private readonly nonZero: Int32Array;

  constructor(vectors: readonly Float32Array[], dim: number, options?: VectorIndexOptions);
  /** An index over already normalised rows and a graph built from them (a built index read back). */
  constructor(source: { matrix: Float32Array; graph: Graph }, dim: number, options?: VectorIndexOptions);
  constructor(source: readonly Float32Array[] | { matrix: Float32Array; graph: Graph }, dim: number, options: VectorIndexOptions = {}) {
    this.dim = dim;
    if (Array.isArray(source)) {
      const vectors = source as readonly Float32Array[];
      if (vectors.length === 0) throw new RangeError('VectorIndex needs at least one vector');
      this.size = vectors.length;
      this.matrix = new Float32Array(this.size * dim);
      vectors.forEach((v, i) => {
        if (v.length !== dim) throw new RangeError(`vector ${i} has ${v.length} dimensions, expected ${dim}`);
        this.matrix.set(unit(v), i * dim);
      });
      const params = { ...HNSW_PARAMS, ...options };
      this.graph = new HierarchicalNSW('cosine', dim);
      this.graph.initIndex({ maxElements: this.size, m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed });
      const row = new Array<number>(dim);
      for (let i = 0; i < this.size; i++) {
        for (let j = 0; j < dim; j++) row[j] = this.matrix[i * dim + j]!;
        this.graph.addPoint(row, i);
      }
    } else {
      const { matrix, graph } = source as { matrix: Float32Array; graph: Graph };
      if (matrix.length === 0 || matrix.length % dim !== 0) throw new RangeError(`matrix of ${matrix.length} floats is not rows of ${dim}`);
      this.size = matrix.length / dim;
      if (graph.getCurrentCount() !== this.size) throw new RangeError(`graph has ${graph.getCurrentCount()} points, expected ${this.size}`);
      this.matrix = matrix;
      this.graph = graph;
    }
    this.ef = options.ef ?? DEFAULT_EF;
    this.graph.setEf(this.ef);
    this.queryArray = Array.from({ length: dim }, () => 0.5);
    this.allowed = new Uint8Array(this.size);
    this.nonZero = new Int32Array(dim);
  }

  /** Reads a graph written by writeGraph, for the given rows (unit vectors, row-major). */
  static read(matrix: Float32Array, dim: number, graphFile: string, options: VectorIndexOptions = {}): VectorIndex {
    const graph = new HierarchicalNSW('cosine', dim);
    graph.readIndexSync(graphFile);
    return new VectorIndex({ matrix, graph }, dim, options);
  }

  /** The unit vectors, row-major (shared, not copied: do not modify). */
  rows(): Float32Array {
    return this.matrix;
  }

  /** Writes the HNSW graph (hnswlib's own format). */
  writeGraph(file: string): void {
    this.graph.writeIndexSync(file);
  }

  /** Top k by cosine similarity through the HNSW graph (approximate beyond a few hundred vectors). */
  search(query: Float32Array, k: number): VectorHit[] {
    return this.searchGraph(query, k);
  }

  /**
   * Top k among the given rows only (ascending row numbers). Small sets are scanned exactly;
   * large ones go through the graph with a filter.
   */
  searchWithin(query: Float32Array, k: number, rows: Int32Array): VectorHit[] {
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dimensions, expected ${this.dim}`);
    if (rows.length > EXACT_SCAN_LIMIT) {
      const allowed = this.allowed;
      for (const row of rows) allowed[row] = 1;
      try {
        return this.searchGraph(query, k, (label) => allowed[label] === 1);
      } finally {
        for (const row of rows) allowed[row] = 0;
      }
    }
    return this.scan(query, k, rows);
  }

  /** Top k by cosine similarity, scanning every vector. */
  exactSearch(query: Float32Array, k: number): VectorHit[] {
    return this.scan(query, k);
  }

  private searchGraph(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dimensions, expected ${this.dim}`);
    if (this.ef < n) this.graph.setEf(n);
    const q = this.queryArray;
    for (let i = 0; i < q.length; i++) q[i] = query[i]!;
    const { neighbors, distances } = filter ? this.graph.searchKnn(q, n, filter) : this.graph.searchKnn(q, n);
    if (this.ef < n) this.graph.setEf(this.ef);
    return neighbors.map((index, i) => ({ index, score: 1 - distances[i]! }));
  }

  /**
   * Exact cosine over every row, or over `rows`. Offline query vectors are sparse (a few dozen
   * of 512 dimensions), so only the query's non-zero dimensions are read.
   */
  private scan(query: Float32Array, k: number, rows?: Int32Array): VectorHit[] {
    const count = rows ? rows.length : this.size;
    const n = Math.min(k, count);
    if (n <= 0) return [];
    const q = unit(query);
    const { dim, matrix, nonZero } = this;
    let nnz = 0;
    for (let j = 0; j < dim; j++) if (q[j] !== 0) nonZero[nnz++] = j;
    const best = new TopK(n);
    for (let i = 0; i < count; i++) {
      const row = rows ? rows[i]! : i;
      const offset = row * dim;
      let dot = 0;
      for (let t = 0; t < nnz; t++) {
        const j = nonZero[t]!;
        dot += matrix[offset + j]! * q[j]!;
      }
      best.push(row, dot);
    }
    return best.drain().map((h) => ({ index: h.id, score: h.score }));
  }
}

/** v at unit length (hnswlib's cosine space normalises internally; the scan must too). */
function unit(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  // Embedders already return unit vectors: no copy for those.
  if (Math.abs(sum - 1) < 1e-6) return v;
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
