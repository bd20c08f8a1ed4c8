import MiniSearch from 'minisearch';
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

/** Separates pre-tokenized query terms; never produced by the tokenizer. */
const TERM_SEPARATOR = '\u0001';

/**
 * The reference BM25 implementation on MiniSearch, with the same jieba tokenizer, fields,
 * boosts and BM25+ parameters as LeanBm25Index. Kept so a test can show the lean scorer ranks
 * exactly as a maintained library does.
 */
export class MiniSearchBm25Index implements Bm25Index {
  readonly name = 'minisearch';
  private readonly index: MiniSearch<Bm25Document>;

  constructor(
    documents: readonly Bm25Document[],
    private readonly lexicon: Lexicon = getLexicon(),
  ) {
    this.index = new MiniSearch<Bm25Document>({
      fields: [...BM25_FIELDS],
      idField: 'id',
      tokenize: tokenizeField,
      processTerm: (term) => term,
    });
    this.index.addAll(documents);
  }

  search(query: string, k: number): Bm25Hit[] {
    return this.searchTerms(analyzeQueryTerms(query, this.lexicon), k);
  }

  searchTerms(query: QueryTerms, k: number): Bm25Hit[] {
    if (query.terms.length === 0) return [];
    const weightOf = new Map(query.terms.map((t, i) => [t, query.weights[i] ?? 1]));
    const results = this.index.search(query.terms.join(TERM_SEPARATOR), {
      tokenize: (text) => text.split(TERM_SEPARATOR),
      processTerm: (term) => term,
      boost: { ...FIELD_BOOSTS },
      boostTerm: (term) => weightOf.get(term) ?? 1,
      bm25: { ...BM25_PARAMS },
      prefix: false,
      fuzzy: false,
      combineWith: 'OR',
    });
    return results.slice(0, k).map((r) => ({ id: String(r.id), score: r.score }));
  }
}
