import type { KnowledgeEntry, Topic } from '../knowledge/schema.js';
import type { RegionLookup } from '../tools/region/types.js';
import { queryTermsFromNormalized, type Bm25Hit, type QueryTerms } from './bm25.js';
import { getLexicon, type Lexicon } from './lexicon.js';
import { OfflineEmbedder, type Embedder } from './offline-embedder.js';
import { RegionGroups, groupOfScope } from './region-groups.js';
import { placesInText, scopeRelation, type PlaceRef } from './region-scope.js';
import { buildSearchIndex, type SearchIndex } from './search-index.js';
import { normalizeText } from './tokenizer.js';
import { TopK } from './top-k.js';
import type { VectorHit } from './vector-index.js';

export { entryEmbeddingText } from './search-index.js';

/**
 * Hybrid retrieval over the knowledge base: BM25 (jieba + lexicon expansion) and a cosine vector
 * index, fused with reciprocal rank fusion, then ranked by region so that a question from one
 * place never cites another place's local rule above a national one. A question is searched only
 * within the national entries and its places' own (region groups); other places' rules come in
 * below them, from a search of the whole base, only when those are too few to fill the list.
 */

export interface SearchHit {
  entry: KnowledgeEntry;
  /** Fused score after topic and region adjustments (higher is better; only the order matters). */
  score: number;
  /**
   * 1-based rank in the BM25 list, when the entry was in it. Lists are of the entries searched:
   * the national ones and the question's places' own (another place's rule, filling a short
   * list, carries its rank among all entries).
   */
  bm25Rank?: number;
  /** 1-based rank in the vector list, when the entry was in it (same lists as bm25Rank). */
  vectorRank?: number;
}

export interface SearchOptions {
  /** Number of hits (default 5). */
  k?: number;
  /**
   * The user's place. Places the query itself names (via the region lookup) count too, so a
   * Nanjing user asking about a move from 青岛 still sees Qingdao's rule. null or absent: only
   * the places named in the query.
   */
  region?: PlaceRef | null;
  /** Topics the question is about: entries on them are boosted (not filtered). */
  topics?: readonly Topic[];
}

export interface Retriever {
  /** Vector space in use (offline hashing or the configured embeddings model). */
  readonly embedderId: string;
  readonly size: number;
  /**
   * Fused, region-aware search. Synchronous: uses the embedder's local embedOne; with an
   * embedder that has none (a remote model) the vector side is skipped — use searchAsync.
   */
  search(query: string, options?: SearchOptions): SearchHit[];
  /**
   * Computes a remote query embedding ahead of synchronous searches for the same query (no-op
   * for local embedders). Failures are reported through onWarning; search then uses BM25 alone.
   */
  prepare(query: string): Promise<void>;
  /** Fused search that can await a remote query embedding; falls back to BM25 alone if it fails. */
  searchAsync(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** BM25 alone, no region or topic ranking (for evaluation). */
  searchBm25(query: string, k?: number): SearchHit[];
  /** HNSW vector search alone, no region or topic ranking (for evaluation). */
  searchVector(query: string, k?: number): SearchHit[];
  /** Brute-force cosine scan over the same vectors (baseline for tests and the benchmark). */
  searchVectorExact(query: string, k?: number): SearchHit[];
}

export interface CreateRetrieverOptions {
  entries: readonly KnowledgeEntry[];
  /** Default: the offline hashing embedder. */
  embedder?: Embedder;
  /** Finds places named in queries; without it only the region option is used. */
  regions?: RegionLookup;
  lexicon?: Lexicon;
  /** A built index over exactly these entries, in this order (read back from kb:build's output). */
  index?: SearchIndex;
  /** Overrides of the ranking knobs (for tuning against the evaluation). */
  tuning?: Partial<RankingTuning>;
  /** Called when a remote query embedding fails and the search falls back to BM25 alone. */
  onWarning?: (message: string, cause?: unknown) => void;
}

/** Knobs of the fused ranking; the defaults were chosen on eval/retrieval/queries.yaml. */
export interface RankingTuning {
  /** Reciprocal rank fusion constant (Cormack et al.; 60 is the usual choice). */
  rrfK: number;
  /** BM25 carries more of the fusion: with the lexical offline embedder it is the stronger signal. */
  bm25Weight: number;
  vectorWeight: number;
  /** How deep each list goes into the fusion. */
  depth: number;
  /** Multipliers for an entry whose topic (or a secondary topic) is one the caller asked for. */
  topicBoostPrimary: number;
  topicBoostAlso: number;
  /** Multiplier for a city rule of one of the question's own places (a province rule gets half the boost). */
  ownPlaceBoost: number;
  /**
   * Multiplier for correction and history entries when the question does not ask about a claim
   * or an old rule: they restate the current rule only to refute something, so the entry that
   * states the rule should come first.
   */
  claimTopicPenalty: number;
}

export const DEFAULT_TUNING: Readonly<RankingTuning> = {
  rrfK: 20,
  bm25Weight: 1,
  vectorWeight: 0.8,
  depth: 40,
  topicBoostPrimary: 1.3,
  topicBoostAlso: 1.1,
  ownPlaceBoost: 1.3,
  claimTopicPenalty: 0.9,
};

/** Lexicon concepts that show a question is about a claim or an old rule (see claimTopicPenalty). */
const CLAIM_TOPIC_CUES: Partial<Record<Topic, readonly string[]>> = {
  correction: ['correction', 'history-old-rule'],
  history: ['history-old-rule', 'correction', 'paper-certificate', 'pension-insurance'],
};

/** Builds the BM25 and vector indexes for the entries (or takes a built one) and returns the retriever. */
export async function createRetriever(options: CreateRetrieverOptions): Promise<Retriever> {
  const entries = [...options.entries];
  if (entries.length === 0) throw new RangeError('createRetriever needs at least one entry');
  const lexicon = options.lexicon ?? getLexicon();
  const embedder: Embedder = options.embedder ?? new OfflineEmbedder(512, lexicon);
  const index = options.index ?? (await buildSearchIndex(entries, embedder, { lexicon }));
  if (index.embedderId !== embedder.id) throw new RangeError(`index vectors are ${index.embedderId}, the embedder is ${embedder.id}`);
  if (index.bm25.size !== entries.length || index.vectors.size !== entries.length) throw new RangeError('index and entries differ in size');
  const { bm25, vectors: vectorIndex } = index;
  const regionGroups = new RegionGroups(entries.map((e) => groupOfScope(e.scope)));
  const positionOf = new Map(entries.map((e, i) => [e.id, i]));
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const depth = Math.min(tuning.depth, entries.length);

  const toHits = (hits: readonly Bm25Hit[]): SearchHit[] =>
    hits.map((h, i) => ({ entry: entries[positionOf.get(h.id)!]!, score: h.score, bm25Rank: i + 1 }));
  const vectorHits = (hits: readonly VectorHit[]): SearchHit[] =>
    hits.map((h, i) => ({ entry: entries[h.index]!, score: h.score, vectorRank: i + 1 }));

  // One turn searches the same message several times (answer, corrections, local notes):
  // remember the last query's vector instead of embedding it again each time.
  let last: { query: string; vector: Float32Array | undefined } | undefined;
  // Remote query vectors computed by prepare(), in memory only (questions may hold personal data).
  const prepared = new Map<string, Float32Array>();
  const embedQuerySync = (query: string): Float32Array | undefined => {
    if (last?.query === query) return last.vector;
    const vector = embedder.embedOne?.(query) ?? prepared.get(query);
    last = { query, vector };
    return vector;
  };

  type Fused = { pos: number; score: number; bm25Rank?: number; vectorRank?: number }[];

  /**
   * What one query yields before any option applies: its terms, concepts and places. One turn
   * searches the same message several times with different options (answer, corrections, local
   * notes), so the last query's analysis is kept, with its fused lists per set of region groups
   * and its rankings per option set.
   */
  interface Analysis {
    query: string;
    vector: Float32Array | undefined;
    terms: QueryTerms;
    concepts: readonly string[];
    places: PlaceRef[];
    fused: Map<string, Fused>;
    /** Each region group's own top vector hits: the same in every set of groups it is part of. */
    vectorByGroup: Map<string, VectorHit[]>;
    /** Rankings per option set, each kept to its best `limit` hits. */
    ranked: Map<string, { hits: SearchHit[]; limit: number }>;
  }
  let lastAnalysis: Analysis | undefined;
  const MAX_RANKINGS_PER_QUERY = 16;
  /** Hits kept per ranking: more than any caller asks for (the HTTP route allows 20). */
  const RANKING_LIMIT = 20;
  /** Subtracted from a lower tier's scores: fused scores are far below 1, so no tier overlaps another. */
  const TIER_GAP = 1_000;

  function analyse(query: string, queryVector: Float32Array | undefined): Analysis {
    if (lastAnalysis && lastAnalysis.query === query && lastAnalysis.vector === queryVector) return lastAnalysis;
    const normalized = normalizeText(query);
    const concepts = lexicon.matchNormalized(normalized);
    lastAnalysis = {
      query,
      vector: queryVector,
      terms: queryTermsFromNormalized(normalized, concepts.expansions),
      concepts: concepts.concepts,
      places: options.regions ? placesInText(query, options.regions) : [],
      fused: new Map(),
      vectorByGroup: new Map(),
      ranked: new Map(),
    };
    return lastAnalysis;
  }

  /**
   * BM25 and vector lists fused by reciprocal rank, with the claim-topic penalty (it depends only
   * on the query). Within the region `groups` when given; over every entry otherwise.
   */
  function fuse(analysis: Analysis, groups: readonly string[] | undefined): Fused {
    const key = groups?.join('|') ?? '*';
    let fused = analysis.fused.get(key);
    if (fused) return fused;
    const bm25Hits = bm25.searchTerms(analysis.terms, depth, groups);
    const vector = analysis.vector;
    const vHits = !vector ? [] : groups ? vectorHitsWithin(analysis, vector, groups) : vectorIndex.search(vector, depth);
    const byPos = new Map<number, Fused[number]>();
    bm25Hits.forEach((h, i) => {
      const pos = positionOf.get(h.id)!;
      byPos.set(pos, { pos, score: tuning.bm25Weight / (tuning.rrfK + i + 1), bm25Rank: i + 1 });
    });
    vHits.forEach((h, i) => {
      const add = tuning.vectorWeight / (tuning.rrfK + i + 1);
      const item = byPos.get(h.index);
      if (item) {
        item.score += add;
        item.vectorRank = i + 1;
      } else byPos.set(h.index, { pos: h.index, score: add, vectorRank: i + 1 });
    });
    for (const item of byPos.values()) {
      const cues = CLAIM_TOPIC_CUES[entries[item.pos]!.topic];
      if (cues && !cues.some((c) => analysis.concepts.includes(c))) item.score *= tuning.claimTopicPenalty;
    }
    fused = [...byPos.values()];
    analysis.fused.set(key, fused);
    return fused;
  }

  /**
   * Top vector hits within a set of groups: the best of each group's own top hits. Cosine does not
   * depend on the other entries, so a turn that searches several places' sets scans each group
   * (the national one above all) once.
   */
  function vectorHitsWithin(analysis: Analysis, vector: Float32Array, groups: readonly string[]): VectorHit[] {
    const merged: VectorHit[] = [];
    for (const group of groups) {
      let hits = analysis.vectorByGroup.get(group);
      if (!hits) analysis.vectorByGroup.set(group, (hits = vectorIndex.searchWithin(vector, depth, regionGroups.rows([group]))));
      merged.push(...hits);
    }
    return merged.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, depth);
  }

  function rank(query: string, queryVector: Float32Array | undefined, opts: SearchOptions): SearchHit[] {
    const k = opts.k ?? 5;
    const analysis = analyse(query, queryVector);
    const places: PlaceRef[] = opts.region ? [opts.region, ...analysis.places] : analysis.places;
    const groups = regionGroups.groupsFor(places);
    const key = `${groups.join('|')}/${opts.topics?.join(',') ?? ''}`;
    let ranked = analysis.ranked.get(key);
    if (!ranked || ranked.limit < k) {
      // A turn uses a handful of option sets; a caller looping over many keeps the memo small.
      if (!ranked && analysis.ranked.size >= MAX_RANKINGS_PER_QUERY) analysis.ranked.clear();
      const limit = Math.max(k, RANKING_LIMIT);
      // Only the national entries and those of the question's places are ranked.
      let hits = rankFused(fuse(analysis, groups), places, opts.topics, limit);
      if (hits.length < k) {
        // Too few of them matched: other places' rules follow, below every national and own entry.
        const seen = new Set(hits.map((h) => h.entry.id));
        const others = rankFused(fuse(analysis, undefined), places, opts.topics, limit + seen.size).filter((h) => !seen.has(h.entry.id));
        hits = [...hits, ...others];
      }
      ranked = { hits, limit };
      analysis.ranked.set(key, ranked);
    }
    return ranked.hits.slice(0, k);
  }

  /**
   * Topic and region adjustments on the fused list, then the best `limit` in order: national and
   * own entries first, then (lower tier) any other place's rules.
   */
  function rankFused(fused: Fused, places: readonly PlaceRef[], topicList: readonly Topic[] | undefined, limit: number): SearchHit[] {
    const topics = topicList && topicList.length > 0 ? new Set<Topic>(topicList) : undefined;
    const best = new TopK(limit);
    const tiers = new Uint8Array(fused.length);
    for (let i = 0; i < fused.length; i++) {
      const item = fused[i]!;
      const entry = entries[item.pos]!;
      let score = item.score;
      if (topics) {
        if (topics.has(entry.topic)) score *= tuning.topicBoostPrimary;
        else if (entry.alsoTopics.some((t) => topics.has(t))) score *= tuning.topicBoostAlso;
      }
      const relation = scopeRelation(entry.scope, places);
      // A city rule is more specific than a province rule, so it gets the full boost.
      if (relation === 'own') score *= entry.scope.level === 'city' ? tuning.ownPlaceBoost : 1 + (tuning.ownPlaceBoost - 1) / 2;
      // Another place's local rule (or any local rule when the question has no place) is never
      // ranked above a national entry: it goes to a lower tier whatever its score.
      tiers[i] = relation === 'other' ? 1 : 0;
      best.push(i, score - tiers[i]! * TIER_GAP);
    }
    return best.drain().map(({ id, score }) => {
      const item = fused[id]!;
      const hit: SearchHit = { entry: entries[item.pos]!, score: score + tiers[id]! * TIER_GAP };
      if (item.bm25Rank !== undefined) hit.bm25Rank = item.bm25Rank;
      if (item.vectorRank !== undefined) hit.vectorRank = item.vectorRank;
      return hit;
    });
  }

  return {
    embedderId: embedder.id,
    size: entries.length,
    search: (query, opts = {}) => rank(query, embedQuerySync(query), opts),
    async prepare(query) {
      if (embedder.embedOne || prepared.has(query)) return;
      try {
        const vector = embedder.embedQuery ? await embedder.embedQuery(query) : (await embedder.embed([query]))[0];
        if (!vector || vector.length !== embedder.dim) throw new Error('query embedding has the wrong dimension');
        if (prepared.size >= 256) prepared.delete(prepared.keys().next().value!);
        prepared.set(query, vector);
        last = undefined;
      } catch (err) {
        options.onWarning?.('查询向量计算失败，本次只用 BM25 检索', err);
      }
    },
    async searchAsync(query, opts = {}) {
      let vector = embedQuerySync(query);
      if (!vector) {
        try {
          vector = embedder.embedQuery ? await embedder.embedQuery(query) : (await embedder.embed([query]))[0];
          if (vector && vector.length !== embedder.dim) throw new Error(`query embedding has ${vector.length} dimensions, expected ${embedder.dim}`);
        } catch (err) {
          options.onWarning?.('查询向量计算失败，本次只用 BM25 检索', err);
          vector = undefined;
        }
      }
      return rank(query, vector, opts);
    },
    searchBm25: (query, k = 5) => toHits(bm25.search(query, k)),
    searchVector(query, k = 5) {
      const v = embedQuerySync(query);
      return v ? vectorHits(vectorIndex.search(v, k)) : [];
    },
    searchVectorExact(query, k = 5) {
      const v = embedQuerySync(query);
      return v ? vectorHits(vectorIndex.exactSearch(v, k)) : [];
    },
  };
}
