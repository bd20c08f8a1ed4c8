import { resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { modelConfigured, type Config } from './config.js';
import { loadAnswerTable } from './dialogue/answer-table.js';
import { ChatEngine, type ChatEngineDeps } from './dialogue/chat-engine.js';
import type { SessionStore } from './dialogue/session.js';
import { createUnderstander } from './dialogue/understand/understand.js';
import { entrySourceHash, readEntrySnapshot } from './knowledge/entry-snapshot.js';
import { parseEntryFiles, readEntryFiles } from './knowledge/load.js';
import type { KnowledgeEntry } from './knowledge/schema.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSessionStore } from './sessions/create-session-store.js';
import type { Redis } from 'ioredis';
import { createRewriterFromConfig } from './llm/rewriter-from-config.js';
import { createRetriever, entryEmbeddingText, type Retriever } from './retrieval/hybrid.js';
import { indexFingerprint, loadOrBuildIndex } from './retrieval/index-store.js';
import { OfflineEmbedder, type Embedder } from './retrieval/offline-embedder.js';
import { projectRoot } from './paths.js';
import { createArrearsTool } from './tools/arrears.js';
import { createPayoutTool } from './tools/payout.js';
import { loadRegionResolver } from './tools/region/load-regions.js';
import { createResolveRegionTool } from './tools/region/resolve-region-tool.js';
import type { RegionLookup } from './tools/region/types.js';
import { createRetireeCreditTool } from './tools/retiree-credit.js';
import type { Tool } from './tools/tool.js';
import { createTransferEligibilityTool } from './tools/transfer-eligibility.js';
import { createTransferTimelineTool, loadStageLimits } from './tools/transfer-timeline.js';
import { createWorkingDaysTool, loadCalendar } from './tools/working-days.js';

/** Where a non-fatal start-up problem is reported. */
type WarningLogger = (message: string, cause?: unknown) => void;

/** Everything loaded once at start-up: knowledge, indexes, tools, sessions, metrics, chat. */
export interface Services {
  config: Config;
  regions: RegionLookup;
  entries: readonly KnowledgeEntry[];
  entryById: ReadonlyMap<string, KnowledgeEntry>;
  tools: readonly Tool[];
  retriever: Retriever;
  store: SessionStore;
  /** The shared Redis connection (sessions and rate limits), when REDIS_URL is set. */
  redis?: Redis;
  metrics: Metrics;
  chat: ChatEngine;
  status(): { ready: boolean; entries: number; tools: number; sessions: string; embedder: string; model: boolean; startupMs: number };
  close(): Promise<void>;
}

export interface KnowledgeBase {
  regions: RegionLookup;
  entries: KnowledgeEntry[];
  entryById: Map<string, KnowledgeEntry>;
  tools: Tool[];
  /** Hash of the entry files, region codes and entry schema (see entrySourceHash). */
  entrySourceHash: string;
  /** Whether the entries were parsed from their files or taken from the built index's snapshot. */
  entriesFrom: 'files' | 'snapshot';
}

export interface LoadKnowledgeBaseOptions {
  /** KNOWLEDGE_EXTRA_DIR: another folder of entries. */
  extraDir?: string;
  /** A built index folder whose entry snapshot may be used when it matches the files. */
  snapshotDir?: string;
}

/**
 * Loads and cross-checks the knowledge base: regions, entries (with their region codes), the
 * tables every tool reads, and the answers table. Any bad file stops start-up with a message
 * naming the file and field.
 */
export function loadKnowledgeBase(options: LoadKnowledgeBaseOptions = {}): KnowledgeBase {
  const regions = loadRegionResolver();
  const files = readEntryFiles({ extraDirs: options.extraDir ? [resolve(projectRoot, options.extraDir)] : [] });
  const regionCodes = regions.knownCodes();
  const sourceHash = entrySourceHash(files, regionCodes);
  const snapshot = options.snapshotDir ? readEntrySnapshot(options.snapshotDir, sourceHash) : undefined;
  const entries = snapshot ?? parseEntryFiles(files, { regionCodes });
  const entryById = new Map(entries.map((e) => [e.id, e]));
  const calendar = loadCalendar();
  const tools: Tool[] = [
    createWorkingDaysTool(calendar),
    createTransferTimelineTool(calendar, loadStageLimits()),
    createResolveRegionTool(regions),
    createTransferEligibilityTool({ regions }),
    createArrearsTool(),
    createPayoutTool({ regions }),
    createRetireeCreditTool({ regions }),
  ] as Tool[];
  return { regions, entries, entryById, tools, entrySourceHash: sourceHash, entriesFrom: snapshot ? 'snapshot' : 'files' };
}

/**
 * Offline vectors unless OPENAI_EMBEDDINGS_MODEL is set and its endpoint answers. The embeddings
 * client (and LangChain with it, a third of a second of start-up) is imported only then.
 */
export async function chooseEmbedder(config: Config, entries: readonly KnowledgeEntry[], warn: WarningLogger): Promise<Embedder> {
  if (!config.OPENAI_EMBEDDINGS_MODEL) return new OfflineEmbedder();
  const { chooseIndexEmbedder } = await import('./llm/embeddings.js');
  return chooseIndexEmbedder(entries.map(entryEmbeddingText), { ...config, timeoutMs: config.LLM_TIMEOUT_MS }, warn);
}

export async function createServices(
  config: Config,
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>,
  overrides: { store?: SessionStore; today?: () => string; engine?: Partial<ChatEngineDeps> } = {},
): Promise<Services> {
  const started = performance.now();
  const indexDir = resolve(projectRoot, config.INDEX_DIR);
  const kb = loadKnowledgeBase({ extraDir: config.KNOWLEDGE_EXTRA_DIR, snapshotDir: indexDir });
  const answers = loadAnswerTable(kb.entryById);
  const warn: WarningLogger = (message, cause) => log.warn({ err: cause }, message);
  const embedder = await chooseEmbedder(config, kb.entries, warn);
  const loaded = await loadOrBuildIndex(indexDir, indexFingerprint(kb.entrySourceHash, embedder), kb.entries, embedder);
  if (loaded.source === 'built-index') log.info({ dir: indexDir, ms: Math.round(loaded.ms), entriesFrom: kb.entriesFrom }, 'search index read from the built index');
  else log.info({ dir: indexDir, reason: loaded.reason, ms: Math.round(loaded.ms) }, 'search index rebuilt in memory (npm run kb:build writes it for faster start-up)');
  const retriever = await createRetriever({ entries: kb.entries, regions: kb.regions, embedder, index: loaded.index, onWarning: warn });
  const sessions = overrides.store
    ? { store: overrides.store }
    : await createSessionStore(config, log, { onFallback: (operation) => metrics.redisFallbacks.inc({ operation }) });
  const store = sessions.store;
  const metrics = createMetrics({ sessionCount: () => store.size() });
  const understand = createUnderstander(kb.regions);
  // Optional model path (OPENAI_BASE_URL + OPENAI_MODEL); the engine guards every answer it words.
  const rewriter = await createRewriterFromConfig(config, kb.tools, (reason, err) => log.warn({ err, reason }, 'model answer not used'));
  const chat = new ChatEngine({
    ...(rewriter ? { rewriter } : {}),
    understand,
    tools: kb.tools,
    entries: kb.entryById,
    answers,
    retrieve: (query, options) => retriever.search(query, options ?? {}),
    prepareRetrieval: (query) => retriever.prepare(query),
    regions: kb.regions,
    store,
    ...(overrides.today ? { today: overrides.today } : {}),
    onTurn: (event) => {
      metrics.turns.inc({ intent: event.intent, answered_by: event.answeredBy });
      if (event.guardRejected) {
        metrics.guardRejections.inc({ path: event.guardRejected.path, reason: 'unbacked_figure' });
        log.warn({ intent: event.intent, unbacked: event.guardRejected.unbacked.length }, 'figure guard rejected a reply');
      }
      if (event.modelFallback) metrics.modelFallbacks.inc({ reason: event.modelFallback });
    },
    ...overrides.engine,
  });
  const startupMs = Math.round(performance.now() - started);
  log.info({ entries: kb.entries.length, tools: kb.tools.length, embedder: retriever.embedderId, startupMs }, 'knowledge base and indexes loaded');
  return {
    config,
    regions: kb.regions,
    entries: kb.entries,
    entryById: kb.entryById,
    tools: kb.tools,
    retriever,
    store,
    ...(sessions.redis ? { redis: sessions.redis } : {}),
    metrics,
    chat,
    status: () => ({
      ready: true,
      entries: kb.entries.length,
      tools: kb.tools.length,
      sessions: store.kind,
      embedder: retriever.embedderId,
      model: modelConfigured(config),
      startupMs,
    }),
    close: async () => {
      await store.close();
    },
  };
}
