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

/**
 * BM25+ scorer built for the hot path. It scores exactly like the MiniSearch reference index
 * (same fields, boosts, BM25+ formula with per-field document frequency and average length
 * counted in unique terms, and MiniSearch's final "× number of matched query terms"), but all
 * per-document work is precomputed at build time: each term has one postings list of document
 * numbers (Int32Array) and field-summed weights (Float64Array). A query is then a few array
 * walks instead of MiniSearch's per-term maps, boost lookups and result objects — MiniSearch
 * spends about 300 µs on a 17-token question, which alone would exceed the budget of three
 * times an exact vector scan.
 */
export class LeanBm25Index implements Bm25Index {
  readonly name = 'lean-bm25';
  private readonly ids: string[];
  private readonly termIds = new Map<string, number>();
  private readonly postingDocs: Int32Array[] = [];
  private readonly postingWeights: Float64Array[] = [];
  private readonly scores: Float64Array;
  private readonly matched: Uint16Array;
  private readonly touched: Int32Array;

  constructor(
    documents: readonly Bm25Document[],
    private readonly lexicon: Lexicon = getLexicon(),
  ) {
    const n = documents.length;
    this.ids = documents.map((d) => d.id);
    this.scores = new Float64Array(n);
    this.matched = new Uint16Array(n);
    this.touched = new Int32Array(n);

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
      const docs = Int32Array.from([...weightOf.keys()].sort((x, y) => x - y));
      this.termIds.set(term, this.postingDocs.length);
      this.postingDocs.push(docs);
      this.postingWeights.push(Float64Array.from(docs, (docNo) => weightOf.get(docNo)!));
    }
  }

  search(query: string, k: number): Bm25Hit[] {
    return this.searchTerms(analyzeQueryTerms(query, this.lexicon), k);
  }

  searchTerms(query: QueryTerms, k: number): Bm25Hit[] {
    const { scores, matched, touched } = this;
    let touchedCount = 0;
    for (let t = 0; t < query.terms.length; t++) {
      const termId = this.termIds.get(query.terms[t]!);
      if (termId === undefined) continue;
      const docs = this.postingDocs[termId]!;
      const weights = this.postingWeights[termId]!;
      const termWeight = query.weights[t] ?? 1;
      for (let p = 0; p < docs.length; p++) {
        const docNo = docs[p]!;
        if (matched[docNo] === 0) touched[touchedCount++] = docNo;
        matched[docNo]! += 1;
        scores[docNo]! += termWeight * weights[p]!;
      }
    }
    const hits: { docNo: number; score: number }[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const docNo = touched[i]!;
      hits.push({ docNo, score: scores[docNo]! * matched[docNo]! });
      scores[docNo] = 0;
      matched[docNo] = 0;
    }
    hits.sort((x, y) => y.score - x.score || x.docNo - y.docNo);
    const out: Bm25Hit[] = [];
    for (let i = 0; i < Math.min(k, hits.length); i++) out.push({ id: this.ids[hits[i]!.docNo]!, score: hits[i]!.score });
    return out;
  }
}
