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
  groups: string[];
  /** Slots of group g: [groupStart[g], groupStart[g + 1]). Slots are documents in group order. */
  groupStart: Int32Array;
  /** Document number of each slot. */
  slotDoc: Int32Array;
  /** Length of each field of each slot in unique terms: slot * FIELDS + field. */
  fieldLengths: Int32Array;
  /** Postings of term t in field f: [postingStart[t * FIELDS + f], postingStart[t * FIELDS + f + 1]). */
  postingStart: Int32Array;
  /** Slots, ascending within each postings list. */
  postingSlots: Int32Array;
  /** Term frequency in the field. */
  postingTf: Int32Array;
}

const FIELDS = BM25_FIELDS.length;

/** The group of every document when no groups are given. */
export const DEFAULT_GROUP = '';

/**
 * BM25+ scorer built for the hot path. Over the whole index it scores exactly like the MiniSearch
 * reference (same fields, boosts, BM25+ formula with per-field document frequency and average
 * length counted in unique terms, and MiniSearch's final "× number of matched query terms"); a
 * test checks both on every evaluation query.
 *
 * Each document belongs to one group (here: the national entries, and the entries of each set
 * of region codes). Documents are stored group by group, so one group's postings of a term are
 * one contiguous run found by binary search. A search within some groups reads only their runs,
 * and scores as an index of only those documents would: document counts and average lengths are
 * theirs. So a question about one city is ranked the same whatever rules the other 300 cities
 * have, and its cost does not grow with them.
 */
export class LeanBm25Index implements Bm25Index {
  readonly name = 'lean-bm25';
  private readonly data: Bm25Snapshot;
  private readonly termIds: Map<string, number>;
  private readonly groupIds: Map<string, number>;
  /** Sum of each field's lengths over each group: group * FIELDS + field. */
  private readonly groupLengthSums: Float64Array;
  private readonly scores: Float64Array;
  private readonly matched: Uint16Array;
  private readonly touched: Int32Array;
  /** Which term last counted a slot (a term found in two fields is one matched term). */
  private readonly lastTerm: Int32Array;
  private termStamp = 0;

  /** @param groupOf the group of each document (default: one group for all). */
  constructor(documents: readonly Bm25Document[], lexicon?: Lexicon, groupOf?: readonly string[]);
  constructor(snapshot: Bm25Snapshot, lexicon?: Lexicon);
  constructor(
    source: readonly Bm25Document[] | Bm25Snapshot,
    private readonly lexicon: Lexicon = getLexicon(),
    groupOf?: readonly string[],
  ) {
    this.data = Array.isArray(source) ? buildSnapshot(source as readonly Bm25Document[], groupOf) : (source as Bm25Snapshot);
    const { ids, terms, groups, groupStart, fieldLengths } = this.data;
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.groupIds = new Map(groups.map((g, i) => [g, i]));
    this.groupLengthSums = new Float64Array(groups.length * FIELDS);
    for (let g = 0; g < groups.length; g++) {
      for (let slot = groupStart[g]!; slot < groupStart[g + 1]!; slot++) {
        for (let f = 0; f < FIELDS; f++) this.groupLengthSums[g * FIELDS + f]! += fieldLengths[slot * FIELDS + f]!;
      }
    }
    const n = ids.length;
    this.scores = new Float64Array(n);
    this.matched = new Uint16Array(n);
    this.touched = new Int32Array(n);
    this.lastTerm = new Int32Array(n);
  }

  /** Number of documents. */
  get size(): number {
    return this.data.ids.length;
  }

  /** The arrays to persist (shared, not copied: do not modify). */
  snapshot(): Bm25Snapshot {
    return this.data;
  }

  search(query: string, k: number): Bm25Hit[] {
    return this.searchTerms(analyzeQueryTerms(query, this.lexicon), k);
  }

  /**
   * Top k for an analysed query; with `groups`, only documents in those groups are scored, with
   * those documents' statistics (unknown group names match nothing).
   */
  searchTerms(query: QueryTerms, k: number, groups?: readonly string[]): Bm25Hit[] {
    const { scores, matched, touched, lastTerm } = this;
    const { groupStart, slotDoc, fieldLengths, postingStart, postingSlots, postingTf } = this.data;

    // Slot ranges searched, their document count and average field lengths.
    const ranges: number[] = [];
    const lengthSums = new Float64Array(FIELDS);
    const chosen = groups ? new Set(groups.map((name) => this.groupIds.get(name))) : this.groupIds.values();
    for (const g of chosen) {
      if (g === undefined) continue;
      ranges.push(groupStart[g]!, groupStart[g + 1]!);
      for (let f = 0; f < FIELDS; f++) lengthSums[f]! += this.groupLengthSums[g * FIELDS + f]!;
    }
    let n = 0;
    for (let r = 0; r < ranges.length; r += 2) n += ranges[r + 1]! - ranges[r]!;
    if (n === 0) return [];
    const { k: k1, b, d } = BM25_PARAMS;

    let touchedCount = 0;
    for (let t = 0; t < query.terms.length; t++) {
      const termId = this.termIds.get(query.terms[t]!);
      if (termId === undefined) continue;
      const termWeight = query.weights[t] ?? 1;
      const stamp = this.nextStamp();
      for (let f = 0; f < FIELDS; f++) {
        const first = postingStart[termId * FIELDS + f]!;
        const last = postingStart[termId * FIELDS + f + 1]!;
        if (first === last) continue;
        // Document frequency within the searched ranges: two binary searches per range.
        const runs: number[] = [];
        let df = 0;
        for (let r = 0; r < ranges.length; r += 2) {
          const from = lowerBound(postingSlots, first, last, ranges[r]!);
          const to = lowerBound(postingSlots, from, last, ranges[r + 1]!);
          if (to > from) {
            runs.push(from, to);
            df += to - from;
          }
        }
        if (df === 0) continue;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const weight = termWeight * FIELD_BOOSTS[BM25_FIELDS[f]!] * idf;
        const average = lengthSums[f]! / n;
        for (let r = 0; r < runs.length; r += 2) {
          for (let p = runs[r]!; p < runs[r + 1]!; p++) {
            const slot = postingSlots[p]!;
            const tf = postingTf[p]!;
            const norm = 1 - b + (b * fieldLengths[slot * FIELDS + f]!) / average;
            if (lastTerm[slot] !== stamp) {
              lastTerm[slot] = stamp;
              if (matched[slot] === 0) touched[touchedCount++] = slot;
              matched[slot]! += 1;
            }
            scores[slot]! += weight * (d + (tf * (k1 + 1)) / (tf + k1 * norm));
          }
        }
      }
    }
    const best = new TopK(k);
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i]!;
      // Ties go to the document loaded first, as in MiniSearch.
      best.push(slotDoc[slot]!, scores[slot]! * matched[slot]!);
      scores[slot] = 0;
      matched[slot] = 0;
    }
    return best.drain().map((h) => ({ id: this.data.ids[h.id]!, score: h.score }));
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

function buildSnapshot(documents: readonly Bm25Document[], groupOf?: readonly string[]): Bm25Snapshot {
  const n = documents.length;
  const members = new Map<string, number[]>();
  documents.forEach((_, docNo) => {
    const name = groupOf?.[docNo] ?? DEFAULT_GROUP;
    let list = members.get(name);
    if (!list) members.set(name, (list = []));
    list.push(docNo);
  });
  const groups = [...members.keys()].sort();
  const groupStart = new Int32Array(groups.length + 1);
  const slotDoc = new Int32Array(n);
  let next = 0;
  groups.forEach((name, g) => {
    groupStart[g] = next;
    for (const docNo of members.get(name)!) slotDoc[next++] = docNo;
  });
  groupStart[groups.length] = n;

  // term → field → (slot → tf); field lengths in unique terms, as MiniSearch counts them.
  const termIds = new Map<string, number>();
  const perField: Map<number, number>[][] = [];
  const fieldLengths = new Int32Array(n * FIELDS);
  for (let slot = 0; slot < n; slot++) {
    const doc = documents[slotDoc[slot]!]!;
    BM25_FIELDS.forEach((field, f) => {
      const tokens = tokenizeField(doc[field]);
      fieldLengths[slot * FIELDS + f] = new Set(tokens).size;
      for (const token of tokens) {
        let termId = termIds.get(token);
        if (termId === undefined) {
          termIds.set(token, (termId = perField.length));
          perField.push(BM25_FIELDS.map(() => new Map<number, number>()));
        }
        const counts = perField[termId]![f]!;
        counts.set(slot, (counts.get(slot) ?? 0) + 1);
      }
    });
  }

  const postingStart = new Int32Array(perField.length * FIELDS + 1);
  let total = 0;
  perField.forEach((fields, t) =>
    fields.forEach((counts, f) => {
      postingStart[t * FIELDS + f] = total;
      total += counts.size;
    }),
  );
  postingStart[perField.length * FIELDS] = total;
  const postingSlots = new Int32Array(total);
  const postingTf = new Int32Array(total);
  perField.forEach((fields, t) =>
    fields.forEach((counts, f) => {
      // Slots were visited in ascending order, so each map's insertion order is already sorted.
      let p = postingStart[t * FIELDS + f]!;
      for (const [slot, tf] of counts) {
        postingSlots[p] = slot;
        postingTf[p++] = tf;
      }
    }),
  );
  return { ids: documents.map((doc) => doc.id), terms: [...termIds.keys()], groups, groupStart, slotDoc, fieldLengths, postingStart, postingSlots, postingTf };
}
