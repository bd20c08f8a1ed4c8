/**
 * `npm run kb:build`: validates the knowledge base as start-up does, builds the search index
 * (BM25 postings, entry vectors, HNSW graph) and writes it to INDEX_DIR (default .cache/index)
 * with the content hash of its inputs, and the validated entries with the hash of their files. Start-up then reads it instead of rebuilding, as long as
 * the hash still matches; after any change to the entries, the lexicon or the dictionary it
 * rebuilds in memory (and says so) until this is run again.
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { checkJourneys } from '../src/dialogue/journeys/check-journeys.js';
import { buildIntentModel, INTENT_MODEL_DIR } from '../src/dialogue/nlu/load-classifier.js';
import { loadJourneys } from '../src/dialogue/journeys/schema.js';
import { ENTRY_SNAPSHOT_FILE, entrySnapshot } from '../src/knowledge/entry-snapshot.js';
import { projectRoot } from '../src/paths.js';
import { indexFingerprint, writeIndex } from '../src/retrieval/index-store.js';
import { buildSearchIndex } from '../src/retrieval/search-index.js';
import { chooseEmbedder, loadKnowledgeBase } from '../src/services.js';

try {
  const config = loadConfig();
  const started = performance.now();
  const kb = loadKnowledgeBase({ extraDir: config.KNOWLEDGE_EXTRA_DIR });
  checkJourneys(loadJourneys(), kb.entryById, kb.tools);
  const embedder = await chooseEmbedder(config, kb.entries, (message, err) => console.warn(message, err instanceof Error ? err.message : ''));
  const index = await buildSearchIndex(kb.entries, embedder);
  const dir = resolve(projectRoot, config.INDEX_DIR);
  // The validated entries go with it: start-up takes them instead of parsing every file again.
  const manifest = writeIndex(dir, indexFingerprint(kb.entrySourceHash, embedder), index, { [ENTRY_SNAPSHOT_FILE]: entrySnapshot(kb.entrySourceHash, kb.entries) });
  // The intent model trained on the corpus goes inside it: start-up reads it instead of training.
  const intent = buildIntentModel(kb.regions, join(dir, INTENT_MODEL_DIR));
  const ms = Math.round(performance.now() - started);
  console.log(`检索索引已写入 ${dir}：${manifest.entries} 条目，向量 ${manifest.embedderId}，内容哈希 ${manifest.hash.slice(0, 12)}…；意图模型（${intent.examples} 条语料）；用时 ${ms} ms。`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
