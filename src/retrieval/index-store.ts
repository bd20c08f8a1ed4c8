import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { knowledgeDir } from '../paths.js';
import { BM25_PARAMS, EXPANSION_WEIGHT, FIELD_BOOSTS } from './bm25.js';
import { LeanBm25Index, type Bm25Snapshot } from './lean-bm25.js';
import type { Lexicon } from './lexicon.js';
import type { Embedder } from './offline-embedder.js';
import { buildSearchIndex, entryEmbeddingText, type SearchIndex } from './search-index.js';
import { HNSW_PARAMS, VectorIndex } from './vector-index.js';

/**
 * A built search index on disk (`npm run kb:build`): BM25 postings, the entry vectors and the
 * HNSW graph (hnswlib's writeIndex), with the content hash of everything they were built from.
 * Start-up reads it when the hash matches the knowledge base it has just loaded, instead of
 * segmenting and embedding every entry and rebuilding the graph; otherwise it rebuilds in memory
 * and says why.
 *
 * Files: manifest.json (hash, sizes), bm25.json + bm25.bin, vectors.f32, hnsw.bin.
 */

/** Bump when the files' layout or the meaning of what they hold changes. */
const FORMAT = 1;

export interface IndexManifest {
  format: number;
  /** Content hash of the index's inputs (see indexFingerprint). */
  hash: string;
  embedderId: string;
  dim: number;
  entries: number;
  builtAt: string;
  /** Element counts of the arrays in bm25.bin, in order. */
  bm25Arrays: Record<Bm25Array, number>;
}

/** The integer arrays of a BM25 snapshot, in their order in bm25.bin. */
const BM25_ARRAYS = ['groupStart', 'slotDoc', 'fieldLengths', 'postingStart', 'postingSlots', 'postingTf'] as const;
type Bm25Array = (typeof BM25_ARRAYS)[number];

/**
 * Hash of everything the built index depends on: the entries (through `entrySourceHash`, the
 * hash of their files, region codes and schema — so any edit to an entry means a rebuild), the
 * lexicon and the jieba dictionary files, the embedder's id and dimension, the BM25 and HNSW
 * parameters, and the file format. The embedders' ids carry a version for changes to how they
 * compute vectors; start-up also re-embeds one entry and compares (see readIndex).
 */
export function indexFingerprint(entrySourceHash: string, embedder: Pick<Embedder, 'id' | 'dim'>): string {
  const hash = createHash('sha256');
  const part = (text: string) => hash.update(text).update('\u0000');
  part(JSON.stringify({ FORMAT, embedder: embedder.id, dim: embedder.dim, HNSW_PARAMS, BM25_PARAMS, FIELD_BOOSTS, EXPANSION_WEIGHT }));
  for (const file of ['lexicon.yaml', 'jieba-dict.txt']) part(readFileSync(join(knowledgeDir, file), 'utf8'));
  part(entrySourceHash);
  return hash.digest('hex');
}

/**
 * Writes the index into `dir` (replacing what was there; a reader never sees half an index),
 * with `files` (name → content) beside it: the entry snapshot.
 */
export function writeIndex(dir: string, hash: string, index: SearchIndex, files: Record<string, string> = {}): IndexManifest {
  const bm25 = index.bm25.snapshot();
  const manifest: IndexManifest = {
    format: FORMAT,
    hash,
    embedderId: index.embedderId,
    dim: index.vectors.dim,
    entries: index.vectors.size,
    builtAt: new Date().toISOString(),
    bm25Arrays: Object.fromEntries(BM25_ARRAYS.map((name) => [name, bm25[name].length])) as Record<Bm25Array, number>,
  };
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'bm25.json'), JSON.stringify({ ids: bm25.ids, terms: bm25.terms, groups: bm25.groups }));
  writeFileSync(join(staging, 'bm25.bin'), Buffer.concat(BM25_ARRAYS.map((name) => Buffer.from(bm25[name].buffer, bm25[name].byteOffset, bm25[name].byteLength))));
  const rows = index.vectors.rows();
  writeFileSync(join(staging, 'vectors.f32'), Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
  index.vectors.writeGraph(join(staging, 'hnsw.bin'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(staging, name), content);
  // The manifest last: a folder without one is never read.
  writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(dirname(dir), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return manifest;
}

export type ReadIndexResult = { status: 'loaded'; index: SearchIndex; manifest: IndexManifest } | { status: 'missing' | 'stale'; reason: string };

/**
 * Reads the index in `dir` when it was built from exactly these entries with this embedder.
 * Never throws for a missing, outdated or damaged index: it says why, and the caller rebuilds.
 */
export function readIndex(dir: string, hash: string, entries: readonly KnowledgeEntry[], embedder: Embedder, options: { lexicon?: Lexicon } = {}): ReadIndexResult {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return { status: 'missing', reason: `${dir} 下没有已构建的索引` };
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as IndexManifest;
    if (manifest.format !== FORMAT) return { status: 'stale', reason: `索引格式 ${manifest.format}，当前为 ${FORMAT}` };
    if (manifest.embedderId !== embedder.id) return { status: 'stale', reason: `索引向量来自 ${manifest.embedderId}，当前为 ${embedder.id}` };
    if (manifest.hash !== hash) return { status: 'stale', reason: '知识库或检索配置已改动（内容哈希不符）' };

    const names = JSON.parse(readFileSync(join(dir, 'bm25.json'), 'utf8')) as Pick<Bm25Snapshot, 'ids' | 'terms' | 'groups'>;
    const bin = readFileSync(join(dir, 'bm25.bin'));
    let offset = 0;
    const arrays = {} as Record<Bm25Array, Int32Array>;
    for (const name of BM25_ARRAYS) {
      const bytes = manifest.bm25Arrays[name] * Int32Array.BYTES_PER_ELEMENT;
      // A copy into a fresh buffer: typed arrays need aligned offsets, a file buffer may not have them.
      arrays[name] = new Int32Array(bin.buffer.slice(bin.byteOffset + offset, bin.byteOffset + offset + bytes) as ArrayBuffer);
      offset += bytes;
    }
    const snapshot: Bm25Snapshot = { ...names, ...arrays };
    if (offset !== bin.length) return { status: 'stale', reason: 'bm25.bin 大小不符' };
    if (snapshot.ids.length !== entries.length || snapshot.ids.some((id, i) => id !== entries[i]!.id)) return { status: 'stale', reason: '条目顺序不符' };

    const raw = readFileSync(join(dir, 'vectors.f32'));
    if (raw.length !== entries.length * manifest.dim * 4) return { status: 'stale', reason: 'vectors.f32 大小不符' };
    const rows = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length) as ArrayBuffer);
    // The hash cannot see a change in the embedder's code: re-embed one entry and compare.
    if (embedder.embedOne && !sameVector(embedder.embedOne(entryEmbeddingText(entries[0]!)), rows.subarray(0, manifest.dim)))
      return { status: 'stale', reason: '向量与当前嵌入方法的结果不一致' };
    const vectors = VectorIndex.read(rows, manifest.dim, join(dir, 'hnsw.bin'));
    const bm25 = new LeanBm25Index(snapshot, options.lexicon);
    return { status: 'loaded', index: { embedderId: manifest.embedderId, bm25, vectors }, manifest };
  } catch (err) {
    return { status: 'stale', reason: `索引文件无法读取：${(err as Error).message.split('\n')[0]}` };
  }
}

/** Cosine of 1 within float rounding (stored rows are unit length). */
function sameVector(fresh: Float32Array, stored: Float32Array): boolean {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < fresh.length; i++) {
    dot += fresh[i]! * stored[i]!;
    norm += fresh[i]! * fresh[i]!;
  }
  return fresh.length === stored.length && norm > 0 && Math.abs(dot / Math.sqrt(norm) - 1) < 1e-5;
}

export interface LoadedIndex {
  index: SearchIndex;
  /** How the index came to be: read from disk, or built now (and why). */
  source: 'built-index' | 'rebuilt';
  reason?: string;
  ms: number;
}

/** Reads the built index in `dir` when its hash is `hash`, builds one in memory when not. */
export async function loadOrBuildIndex(
  dir: string,
  hash: string,
  entries: readonly KnowledgeEntry[],
  embedder: Embedder,
  options: { lexicon?: Lexicon } = {},
): Promise<LoadedIndex> {
  const started = performance.now();
  const read = readIndex(dir, hash, entries, embedder, options);
  if (read.status === 'loaded') return { index: read.index, source: 'built-index', ms: performance.now() - started };
  const index = await buildSearchIndex(entries, embedder, options);
  return { index, source: 'rebuilt', reason: read.reason, ms: performance.now() - started };
}
