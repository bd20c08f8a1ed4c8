import { getLexicon, type Lexicon } from './lexicon.js';
import {
  BM25_FIELDS,
  BM25_PARAMS,
  FIELD_BOOSTS,
  analyzeQueryTerms,
  tokenizeField,
  type Bm25Document,
  type Bm25Hit,
  type Bm25Index,
  type QueryTerms,
} from './bm25.js';
import { TopK } from './top-k.js';

/**
 * Everything a LeanBm25Index holds, as flat arrays: what `npm run kb:build` writes and start-up
 * reads back instead of segmenting every entry again.
 */
export interface Bm25Snapshot {
  ids: string[];
  terms: string[];
  partitions: string[];
  /** Slot range of partition p: [partitionStart[p], partitionStart[p + 1]). */
  partitionStart: Int32Array;
  /** Document number of each slot. */
  slotDoc: Int32Array;
  /** Postings of term t: [postingStart[t], postingStart[t + 1]) in postingSlots / postingWeights. */
  postingStart: Int32Array;
  postingSlots: Int32Array;
  postingWeights: Float64Array;
}

/** The partition of a document that belongs to none (every document when partitions are not given). */
export const DEFAULT_PARTITION = '';

/**
 * BM25+ scorer built for the hot path. It scores exactly like the MiniSearch reference index
 * (same fields, boosts, BM25+ formula with per-field document frequency and average length
 * counted in unique terms, and MiniSearch's final "× number of matched query terms"), but all
 * per-document work is precomputed at build time: each term has one postings list of slots
 * (Int32Array) and field-summed weights (Float64Array).
 *
 * Documents can belong to partitions (here: the national entries, and the entries of each
 * province and city). Slots are numbered partition by partition, so one partition's postings of
 * a term are one contiguous run found by binary search: a search within a few partitions reads
 * only their postings, not those of the 20,000 entries of every other city. A document in two
 * partitions has a slot in each; it is counted once per term. Statistics (idf, average lengths)
 * are over all documents, so scores do not depend on which partitions were searched.
 */
export class LeanBm25Index implements Bm25Index {
  readonly name = 'lean-bm25';
  private readonly ids: string[];
  private readonly termIds: Map<string, number>;
  private readonly partitionIds: Map<string, number>;
  private readonly snapshotData: Bm25Snapshot;
  private readonly scores: Float64Array;
  private readonly matched: Uint16Array;
  private readonly touched: Int32Array;
  /** Which term last counted a document (a document with two slots scores once per term). */
  private readonly lastTerm: Int32Array;
  private termStamp = 0;

  /**
   * @param partitionsOf partitions of each document (default: one partition for all). A document
   *   with no partition goes to DEFAULT_PARTITION.
   */
  constructor(documents: readonly Bm25Document[], lexicon?: Lexicon, partitionsOf?: readonly (readonly string[])[]);
  constructor(snapshot: Bm25Snapshot, lexicon?: Lexicon);
  constructor(
    source: readonly Bm25Document[] | Bm25Snapshot,
    private readonly lexicon: Lexicon = getLexicon(),
    partitionsOf?: readonly (readonly string[])[],
  ) {
    this.snapshotData = Array.isArray(source) ? buildSnapshot(source as readonly Bm25Document[], partitionsOf) : (source as Bm25Snapshot);
    const s = this.snapshotData;
    this.ids = s.ids;
    this.termIds = new Map(s.terms.map((t, i) => [t, i]));
    this.partitionIds = new Map(s.partitions.map((p, i) => [p, i]));
    const n = s.ids.length;
    this.scores = new Float64Array(n);
    this.matched = new Uint16Array(n);
    this.touched = new Int32Array(n);
    this.lastTerm = new Int32Array(n);
  }

  /** Number of documents. */
  get size(): number {
    return this.ids.length;
  }

  /** The arrays to persist (shared, not copied: do not modify). */
  snapshot(): Bm25Snapshot {
    return this.snapshotData;
  }

  search(query: string, k: number): Bm25Hit[] {
    return this.searchTerms(analyzeQueryTerms(query, this.lexicon), k);
  }

  /**
   * Top k for an analysed query; with `partitions`, only documents in those partitions are
   * scored (unknown partition names match nothing).
   */
  searchTerms(query: QueryTerms, k: number, partitions?: readonly string[]): Bm25Hit[] {
    const { scores, matched, touched, lastTerm } = this;
    const { partitionStart, slotDoc, postingStart, postingSlots, postingWeights } = this.snapshotData;
    const ranges: number[] = [];
    if (partitions) {
      for (const p of new Set(partitions.map((name) => this.partitionIds.get(name)))) {
        if (p !== undefined) ranges.push(partitionStart[p]!, partitionStart[p + 1]!);
      }
    } else ranges.push(0, slotDoc.length);

    let touchedCount = 0;
    for (let t = 0; t < query.terms.length; t++) {
      const termId = this.termIds.get(query.terms[t]!);
      if (termId === undefined) continue;
      const termWeight = query.weights[t] ?? 1;
      const stamp = this.nextStamp();
      const first = postingStart[termId]!;
      const last = postingStart[termId + 1]!;
      for (let r = 0; r < ranges.length; r += 2) {
        const from = ranges[r]!;
        const to = ranges[r + 1]!;
        for (let p = from === 0 ? first : lowerBound(postingSlots, first, last, from); p < last; p++) {
          const slot = postingSlots[p]!;
          if (slot >= to) break;
          const docNo = slotDoc[slot]!;
          if (lastTerm[docNo] === stamp) continue;
          lastTerm[docNo] = stamp;
          if (matched[docNo] === 0) touched[touchedCount++] = docNo;
          matched[docNo]! += 1;
          scores[docNo]! += termWeight * postingWeights[p]!;
        }
      }
    }
    const best = new TopK(k);
    for (let i = 0; i < touchedCount; i++) {
      const docNo = touched[i]!;
      best.push(docNo, scores[docNo]! * matched[docNo]!);
      scores[docNo] = 0;
      matched[docNo] = 0;
    }
    return best.drain().map((h) => ({ id: this.ids[h.id]!, score: h.score }));
  }

  private nextStamp(): number {
    if (this.termStamp >= 0x7ffffff0) {
      this.lastTerm.fill(0);
      this.termStamp = 0;
    }
    return ++this.termStamp;
  }
}

/** First position in sorted[from, to) whose value is ≥ value. */
function lowerBound(sorted: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildSnapshot(documents: readonly Bm25Document[], partitionsOf?: readonly (readonly string[])[]): Bm25Snapshot {
  const n = documents.length;

  // Slots: one per (partition, document), numbered partition by partition.
  const members = new Map<string, number[]>();
  documents.forEach((_, docNo) => {
    const names = partitionsOf?.[docNo]?.length ? new Set(partitionsOf[docNo]) : [DEFAULT_PARTITION];
    for (const name of names) {
      let list = members.get(name);
      if (!list) members.set(name, (list = []));
      list.push(docNo);
    }
  });
  const partitions = [...members.keys()].sort();
  const partitionStart = new Int32Array(partitions.length + 1);
  const slotDocList: number[] = [];
  const slotsOfDoc: number[][] = Array.from({ length: n }, () => []);
  partitions.forEach((name, p) => {
    partitionStart[p] = slotDocList.length;
    for (const docNo of members.get(name)!) {
      slotsOfDoc[docNo]!.push(slotDocList.length);
      slotDocList.push(docNo);
    }
  });
  partitionStart[partitions.length] = slotDocList.length;

  // term → field → (doc → tf); field lengths in unique terms, as MiniSearch counts them.
  const tf = new Map<string, Map<number, number>[]>();
  const lengths = BM25_FIELDS.map(() => new Float64Array(n));
  documents.forEach((doc, docNo) => {
    BM25_FIELDS.forEach((field, f) => {
      const tokens = tokenizeField(doc[field]);
      lengths[f]![docNo] = new Set(tokens).size;
      for (const token of tokens) {
        let perField = tf.get(token);
        if (!perField) tf.set(token, (perField = BM25_FIELDS.map(() => new Map<number, number>())));
        const counts = perField[f]!;
        counts.set(docNo, (counts.get(docNo) ?? 0) + 1);
      }
    });
  });
  const average = lengths.map((l) => (n === 0 ? 0 : l.reduce((a, b) => a + b, 0) / n));

  const { k, b, d } = BM25_PARAMS;
  const terms: string[] = [];
  const postingStart: number[] = [0];
  const slots: number[] = [];
  const weights: number[] = [];
  for (const [term, perField] of tf) {
    const weightOf = new Map<number, number>();
    BM25_FIELDS.forEach((field, f) => {
      const counts = perField[f]!;
      if (counts.size === 0) return;
      const idf = Math.log(1 + (n - counts.size + 0.5) / (counts.size + 0.5));
      for (const [docNo, freq] of counts) {
        const norm = 1 - b + (b * lengths[f]![docNo]!) / average[f]!;
        const w = FIELD_BOOSTS[field] * idf * (d + (freq * (k + 1)) / (freq + k * norm));
        weightOf.set(docNo, (weightOf.get(docNo) ?? 0) + w);
      }
    });
    const postings: [slot: number, weight: number][] = [];
    for (const [docNo, w] of weightOf) for (const slot of slotsOfDoc[docNo]!) postings.push([slot, w]);
    postings.sort((x, y) => x[0] - y[0]);
    terms.push(term);
    for (const [slot, w] of postings) {
      slots.push(slot);
      weights.push(w);
    }
    postingStart.push(slots.length);
  }
  return {
    ids: documents.map((doc) => doc.id),
    terms,
    partitions,
    partitionStart,
    slotDoc: Int32Array.from(slotDocList),
    postingStart: Int32Array.from(postingStart),
    postingSlots: Int32Array.from(slots),
    postingWeights: Float64Array.from(weights),
  };
}
