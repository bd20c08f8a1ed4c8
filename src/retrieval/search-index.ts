import type { KnowledgeEntry } from '../knowledge/schema.js';
import { toBm25Document } from './bm25.js';
import { LeanBm25Index } from './lean-bm25.js';
import type { Lexicon } from './lexicon.js';
import type { Embedder } from './offline-embedder.js';
import { groupOfScope } from './region-groups.js';
import { VectorIndex, type VectorIndexOptions } from './vector-index.js';

/** The two indexes over a list of entries (in that order): what kb:build persists. */
export interface SearchIndex {
  /** Vector space of `vectors` (the embedder's id). */
  embedderId: string;
  bm25: LeanBm25Index;
  vectors: VectorIndex;
}

/**
 * Text embedded for an entry: the title twice (it states the rule), the keywords and the summary
 * (first paragraph). The rest of the body is caveats and sources, which blur the vector: on the
 * evaluation set embedding the whole body lost about 3 points of vector recall@1.
 */
export function entryEmbeddingText(entry: KnowledgeEntry): string {
  return [entry.title, entry.title, entry.keywords.join(' '), entry.summary].join('\n');
}

/** Segments and embeds every entry, and builds BM25 postings (stored by region group) and the HNSW graph. */
export async function buildSearchIndex(
  entries: readonly KnowledgeEntry[],
  embedder: Embedder,
  options: { lexicon?: Lexicon; vector?: VectorIndexOptions } = {},
): Promise<SearchIndex> {
  if (entries.length === 0) throw new RangeError('a search index needs at least one entry');
  const bm25 = new LeanBm25Index(entries.map(toBm25Document), options.lexicon, entries.map((e) => groupOfScope(e.scope)));
  const vectors = new VectorIndex(await embedder.embed(entries.map(entryEmbeddingText)), embedder.dim, options.vector);
  return { embedderId: embedder.id, bm25, vectors };
}
