import { beforeAll, describe, expect, it } from 'vitest';
import { loadEntries } from '../knowledge/load.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { loadRegionResolver } from '../tools/region/load-regions.js';
import type { RegionLookup } from '../tools/region/types.js';
import { loadLabelledQueries } from '../../eval/retrieval/evaluate.js';
import { createRetriever, type Retriever, type SearchHit } from './hybrid.js';
import type { Embedder } from './offline-embedder.js';
import { placesInText, scopeRelation, type PlaceRef } from './region-scope.js';

const NANJING: PlaceRef = { provinceCode: '320000', cityCode: '320100' };
const WUHAN: PlaceRef = { provinceCode: '420000', cityCode: '420100' };
const QINGDAO_CODE = '370200';

let entries: KnowledgeEntry[];
let regions: RegionLookup;
let retriever: Retriever;

beforeAll(async () => {
  entries = loadEntries();
  regions = loadRegionResolver();
  retriever = await createRetriever({ entries, regions });
});

/** Index of the first hit scoped to another place than `places`, and of the last national hit. */
function foreignBeforeNational(hits: readonly SearchHit[], places: readonly PlaceRef[]): boolean {
  const lastNational = hits.map((h) => h.entry.scope.level).lastIndexOf('national');
  return hits.some((h, i) => i < lastNational && scopeRelation(h.entry.scope, places) === 'other');
}

describe('hybrid retriever', () => {
  it("gives a Nanjing user Nanjing's own rule first, never another city's", () => {
    const hits = retriever.search('南京医保余额转走会打到哪里', { k: 10, region: NANJING });
    expect(hits[0]?.entry.id).toBe('payout-nanjing-citizen-card');
    expect(foreignBeforeNational(hits, [NANJING])).toBe(false);
  });

  it("prefers the user's own local rule even when the question does not name the place", () => {
    const hits = retriever.search('转出时卡里的钱会打到哪', { k: 5, region: NANJING });
    expect(hits[0]?.entry.id).toBe('payout-nanjing-citizen-card');
  });

  it('never ranks a Qingdao-scoped entry above a national entry for a Wuhan user', () => {
    for (const q of ['居民医保断了两年，等待期怎么算', '等待期里看病能报销吗', '居民医保等待期几个月', '断保的年份补交能缩短等待期吗']) {
      const hits = retriever.search(q, { k: 10, region: WUHAN });
      const lastNational = hits.map((h) => h.entry.scope.level).lastIndexOf('national');
      const firstQingdao = hits.findIndex((h) => h.entry.scope.regions.includes(QINGDAO_CODE));
      expect(lastNational, q).toBeGreaterThanOrEqual(0);
      if (firstQingdao >= 0) expect(firstQingdao, q).toBeGreaterThan(lastNational);
    }
  });

  it('shows a local rule first when the question names its place', () => {
    const hits = retriever.search('青岛居民医保断了两年，等待期怎么算', { k: 5 });
    expect(hits[0]?.entry.id).toBe('resident-waiting-qingdao-example');
  });

  it('keeps local rules below national ones when no place is known', () => {
    const hits = retriever.search('转出时卡里的钱会打到哪', { k: 10 });
    const firstLocal = hits.findIndex((h) => h.entry.scope.level !== 'national');
    const lastNational = hits.map((h) => h.entry.scope.level).lastIndexOf('national');
    if (firstLocal >= 0) expect(firstLocal).toBeGreaterThan(lastNational);
  });

  it('never puts another place’s local rule above a national entry, for any evaluation query and user place', () => {
    const userPlaces: PlaceRef[] = [NANJING, WUHAN, { provinceCode: '440000', cityCode: '440300' }, { provinceCode: '110000', cityCode: '110100' }];
    for (const { q } of loadLabelledQueries()) {
      for (const region of userPlaces) {
        const hits = retriever.search(q, { k: 10, region });
        const places = [region, ...placesInText(q, regions)];
        expect(foreignBeforeNational(hits, places), `${q} @ ${region.cityCode}`).toBe(false);
      }
    }
  });

  it('boosts the requested topic', () => {
    const hits = retriever.search('本溪网上转移多久办结', { k: 3, topics: ['timeline'] });
    expect(hits[0]?.entry.id).toBe('timeline-benxi');
  });

  it('reports the rank of each hit in the BM25 and vector lists', () => {
    const [hit] = retriever.search('医保电话12393', { k: 1 });
    expect(hit?.bm25Rank).toBeGreaterThanOrEqual(1);
    expect(hit?.vectorRank).toBeGreaterThanOrEqual(1);
  });

  it('returns the same vector hits through HNSW as the exact scan', () => {
    for (const { q } of loadLabelledQueries()) {
      expect(retriever.searchVector(q, 5).map((h) => h.entry.id), q).toEqual(retriever.searchVectorExact(q, 5).map((h) => h.entry.id));
    }
  });

  it('falls back to BM25 alone when a remote query embedding fails', async () => {
    let calls = 0;
    const flaky: Embedder = {
      id: 'flaky',
      dim: 4,
      async embed(texts) {
        calls++;
        if (calls > 1) throw new Error('endpoint down');
        return texts.map((_, i) => Float32Array.of(1, i % 3, 0, 1));
      },
    };
    const warnings: string[] = [];
    const remote = await createRetriever({ entries, regions, embedder: flaky, onWarning: (m) => warnings.push(m) });
    const hits = await remote.searchAsync('医保电话是多少', { k: 3 });
    expect(hits.length).toBe(3);
    expect(hits.every((h) => h.vectorRank === undefined)).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});
