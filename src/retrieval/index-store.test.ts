import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEntries } from '../knowledge/load.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { loadRegionResolver } from '../tools/region/load-regions.js';
import { createRetriever } from './hybrid.js';
import { indexFingerprint, loadOrBuildIndex, readIndex, writeIndex } from './index-store.js';
import { OfflineEmbedder } from './offline-embedder.js';
import { buildSearchIndex } from './search-index.js';

let dir: string;
let entries: KnowledgeEntry[];
const hash = indexFingerprint('entries as loaded', new OfflineEmbedder());
const embedder = new OfflineEmbedder();

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'kb-index-')), 'index');
  entries = loadEntries();
  writeIndex(dir, hash, await buildSearchIndex(entries, embedder));
});
afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('built search index', () => {
  it('is read back when the knowledge base is unchanged, and searches exactly like a fresh build', async () => {
    const read = readIndex(dir, hash, entries, embedder);
    expect(read.status).toBe('loaded');
    if (read.status !== 'loaded') return;
    const regions = loadRegionResolver();
    const fromDisk = await createRetriever({ entries, regions, embedder, index: read.index });
    const fresh = await createRetriever({ entries, regions, embedder });
    for (const q of ['我的医保余额能从青岛转到南京吗', '断交三个月怎么补缴', '医保电话是多少', '江苏异地就医备案多久有效', '转出时卡里的钱会打到哪']) {
      const ids = (r: typeof fresh) => r.search(q, { k: 10, region: { provinceCode: '320000', cityCode: '320100' } }).map((h) => h.entry.id);
      expect(ids(fromDisk), q).toEqual(ids(fresh));
      expect(fromDisk.searchVector(q, 10).map((h) => h.entry.id), q).toEqual(fresh.searchVector(q, 10).map((h) => h.entry.id));
      expect(fromDisk.searchBm25(q, 10), q).toEqual(fresh.searchBm25(q, 10));
    }
  });

  it('is stale when an entry changed, and start-up rebuilds it in memory saying why', async () => {
    const edited = entries.map((e, i) => (i === 3 ? { ...e, body: `${e.body}\n\n补充说明。` } : e));
    const editedHash = indexFingerprint('entries after an edit', embedder);
    expect(editedHash).not.toBe(hash);
    const read = readIndex(dir, editedHash, edited, embedder);
    expect(read).toEqual({ status: 'stale', reason: expect.stringContaining('哈希') });
    const loaded = await loadOrBuildIndex(dir, editedHash, edited, embedder);
    expect(loaded.source).toBe('rebuilt');
    expect(loaded.reason).toContain('哈希');
    expect(loaded.index.bm25.size).toBe(edited.length);
  });

  it('is missing in a fresh clone, and a damaged file means a rebuild, not a failed start', async () => {
    expect(readIndex(join(dir, '..', 'nowhere'), hash, entries, embedder)).toMatchObject({ status: 'missing' });
    const damaged = join(dir, '..', 'damaged');
    writeIndex(damaged, hash, await buildSearchIndex(entries, embedder));
    writeFileSync(join(damaged, 'vectors.f32'), 'not vectors');
    expect(readIndex(damaged, hash, entries, embedder)).toMatchObject({ status: 'stale', reason: expect.stringContaining('vectors.f32') });
    writeFileSync(join(damaged, 'manifest.json'), '{');
    expect((await loadOrBuildIndex(damaged, hash, entries, embedder)).source).toBe('rebuilt');
  });

  it('is stale when the vectors no longer match what the embedder computes', async () => {
    const other = new OfflineEmbedder(512, undefined);
    Object.defineProperty(other, 'embedOne', { value: (text: string) => new OfflineEmbedder(512).embedOne(`${text}变了`) });
    expect(readIndex(dir, indexFingerprint('entries as loaded', other), entries, other)).toMatchObject({ status: 'stale', reason: expect.stringContaining('嵌入') });
  });
});
