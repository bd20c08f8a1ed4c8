import { pathToFileURL } from 'node:url';
import { loadEntries } from '../src/knowledge/load.js';
import { toBm25Document } from '../src/retrieval/bm25.js';
import { createRetriever } from '../src/retrieval/hybrid.js';
import { OfflineEmbedder } from '../src/retrieval/offline-embedder.js';
import { buildSearchIndex } from '../src/retrieval/search-index.js';
import { getLexicon } from '../src/retrieval/lexicon.js';
import { MiniSearchBm25Index } from '../src/retrieval/minisearch-bm25.js';
import { loadRegionResolver } from '../src/tools/region/load-regions.js';

/**
 * Retrieval latency: p50/p95 per query (µs) for BM25 alone, the fused region-aware search, the
 * exact brute-force cosine scan (query embedding + scan over every entry vector) and, for
 * reference, MiniSearch BM25; the ratio fused p50 / exact p50; and the index build time.
 */

const TEMPLATES = [
  '我的医保余额能从{a}转到{b}吗',
  '{a}的医保{verb}到{b}要多久',
  '从{a}换工作去{b}，医保{gap}三个月怎么补缴',
  '{a}医保卡里的钱能{cash}吗',
  '在{a}交的{kind}转到{b}有等待期吗',
  '{a}医保电话是多少',
  '退休了去{b}跟子女住，{a}的医保怎么办',
  '{a}转{b}要带什么材料',
  '{b}的居民医保{gap}了两年，现在交多久能用',
  '网上办{a}到{b}的医保转移，进度怎么查',
];
const PLACES = ['青岛', '南京', '武汉', '深圳', '广州', '北京', '上海', '成都', '昆山', '郑州', '泉州', '本溪', '西宁', '杭州', '重庆'];
const VARIANTS = {
  verb: ['转移', '转过去', '迁移', '转'],
  gap: ['断缴', '断交', '断保', '没交'],
  cash: ['取出来', '提现', '取现', '退给我'],
  kind: ['职工医保', '新农合', '居民医保', '单位交的医保'],
};

/** ≥ 1,000 realistic questions: templates × place pairs × colloquial variants. */
export function benchQueries(): string[] {
  const out: string[] = [];
  let v = 0;
  for (const template of TEMPLATES) {
    for (let i = 0; i < PLACES.length; i++) {
      for (let j = 0; j < PLACES.length; j += 2) {
        if (i === j) continue;
        v++;
        out.push(
          template
            .replaceAll('{a}', PLACES[i]!)
            .replaceAll('{b}', PLACES[j]!)
            .replaceAll('{verb}', VARIANTS.verb[v % 4]!)
            .replaceAll('{gap}', VARIANTS.gap[(v >> 2) % 4]!)
            .replaceAll('{cash}', VARIANTS.cash[v % 4]!)
            .replaceAll('{kind}', VARIANTS.kind[(v >> 1) % 4]!),
        );
      }
    }
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function timeEach(queries: readonly string[], run: (q: string) => unknown): { p50: number; p95: number } {
  for (const q of queries.slice(0, 200)) run(q); // warm-up (JIT, jieba caches)
  const micros: number[] = [];
  for (const q of queries) {
    const start = process.hrtime.bigint();
    run(q);
    micros.push(Number(process.hrtime.bigint() - start) / 1_000);
  }
  micros.sort((a, b) => a - b);
  return { p50: percentile(micros, 50), p95: percentile(micros, 95) };
}

export async function benchRetrieval(): Promise<void> {
  const entries = loadEntries();
  const regions = loadRegionResolver();
  getLexicon();
  const embedder = new OfflineEmbedder();
  const started = performance.now();
  const index = await buildSearchIndex(entries, embedder);
  const buildMs = performance.now() - started;
  const retriever = await createRetriever({ entries, regions, embedder, index });
  // The baseline as first defined: embed, then every dimension of every vector (the index's own
  // exact scan now reads only the query's non-zero dimensions).
  const matrix = index.vectors.rows();
  const denseScan = (q: string) => {
    const v = embedder.embedOne(q);
    let best = -Infinity;
    for (let offset = 0; offset < matrix.length; offset += embedder.dim) {
      let dot = 0;
      for (let j = 0; j < embedder.dim; j++) dot += matrix[offset + j]! * v[j]!;
      if (dot > best) best = dot;
    }
    return best;
  };
  const minisearch = new MiniSearchBm25Index(entries.map(toBm25Document));
  const queries = benchQueries();

  const rows = {
    'bm25 (lean)': timeEach(queries, (q) => retriever.searchBm25(q, 5)),
    'bm25 (minisearch reference)': timeEach(queries, (q) => minisearch.search(q, 5)),
    'fused search (region-aware)': timeEach(queries, (q) => retriever.search(q, { k: 5, region: { provinceCode: '320000', cityCode: '320100' } })),
    'exact scan (embed + brute force)': timeEach(queries, denseScan),
    'exact scan (embed + sparse scan)': timeEach(queries, (q) => retriever.searchVectorExact(q, 5)),
    'hnsw vector (embed + hnsw)': timeEach(queries, (q) => retriever.searchVector(q, 5)),
  };

  console.log(`retrieval bench: ${queries.length} queries, ${entries.length} entries, embedder ${retriever.embedderId}`);
  console.log(`index build (BM25 + embeddings + HNSW): ${buildMs.toFixed(0)} ms`);
  console.log('path                               p50 µs     p95 µs');
  for (const [name, { p50, p95 }] of Object.entries(rows)) console.log(`${name.padEnd(34)} ${p50.toFixed(1).padStart(7)}  ${p95.toFixed(1).padStart(9)}`);
  const ratio = rows['fused search (region-aware)'].p50 / rows['exact scan (embed + brute force)'].p50;
  console.log(`fused p50 / exact p50 = ${ratio.toFixed(2)} (target ≤ 3)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchRetrieval();
