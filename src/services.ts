import { join, resolve, sep } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { modelConfigured, type Config } from './config.js';
import { ChatEngine, chinaToday, type ChatEngineDeps } from './dialogue/chat-engine.js';
import type { SessionStore } from './dialogue/session.js';
import { loadJourneys, type Journey } from './dialogue/journeys/schema.js';
import { checkJourneys } from './dialogue/journeys/check-journeys.js';
import { INTENT_MODEL_DIR, loadIntentClassifierFrom } from './dialogue/nlu/load-classifier.js';
import { createReader } from './dialogue/understand/read.js';
import { entrySourceHash, readEntrySnapshot } from './knowledge/entry-snapshot.js';
import { parseEntryFiles, readEntryFiles } from './knowledge/load.js';
import { loadProvincialCoverage, type ProvincialCoverage } from './knowledge/provincial-coverage.js';
import { checkTablesAgreeWithEntries } from './knowledge/table-agreement.js';
import type { KnowledgeEntry } from './knowledge/schema.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createSessionStore } from './sessions/create-session-store.js';
import type { Redis } from 'ioredis';
import type { PeerDirectory } from './sessions/peer-directory.js';
import { createRewriterFromConfig } from './llm/rewriter-from-config.js';
import { createRetriever, entryEmbeddingText, type Retriever } from './retrieval/hybrid.js';
import { indexFingerprint, loadOrBuildIndex } from './retrieval/index-store.js';
import { OfflineEmbedder, type Embedder } from './retrieval/offline-embedder.js';
import { knowledgeDir, projectRoot } from './paths.js';
import { countToday, createReviewRecorder } from './review/create-review.js';
import type { ReviewRecorder } from './review/review-recorder.js';
import { createArrearsTool } from './tools/arrears.js';
import { createPayoutTool } from './tools/payout.js';
import { loadRegionResolver } from './tools/region/load-regions.js';
import { createResolveRegionTool } from './tools/region/resolve-region-tool.js';
import type { RegionLookup } from './tools/region/types.js';
import { createRetireeCreditTool } from './tools/retiree-credit.js';
import type { Tool } from './tools/tool.js';
import { createTransferEligibilityTool } from './tools/transfer-eligibility.js';
import { createTransferTimelineTool, loadStageLimits } from './tools/transfer-timeline.js';
import { calendarRunway } from './tools/calendar-runway.js';
import { type Calendar, createWorkingDaysTool, loadCalendar } from './tools/working-days.js';

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
  /** The journey files (knowledge/dialogue/journeys), checked against renderers, tools and entries. */
  journeys: readonly Journey[];
  /** Which provincial rules were read, per province and topic. */
  coverage: ProvincialCoverage;
  store: SessionStore;
  /** The shared Redis connection (sessions and rate limits), when REDIS_URL is set. */
  redis?: Redis;
  /** The other instances (learnt through Redis), when REDIS_URL is set. */
  peers?: PeerDirectory;
  metrics: Metrics;
  chat: ChatEngine;
  /** The operator review's recorder and store; present only when ADMIN_TOKEN is set. */
  review?: ReviewRecorder;
  status(): ServiceStatus;
  close(): Promise<void>;
}

/** What /readyz reports. `degraded`: serving, but a shared backend (Redis) is not answering. */
export interface ServiceStatus {
  ready: boolean;
  status: 'ok' | 'degraded';
  entries: number;
  tools: number;
  sessions: string;
  /** With Redis configured: whether it answers and how many sessions wait to be written back. */
  sessionStore?: { sharedAvailable: boolean; pendingWriteBack: number };
  embedder: string;
  model: boolean;
  startupMs: number;
  /** The working-day calendar's runway: last notice year, last computable day, days left. */
  calendar: { lastNoticeYear: number; lastDay: string; daysRemaining: number };
}

export interface KnowledgeBase {
  regions: RegionLookup;
  entries: KnowledgeEntry[];
  entryById: Map<string, KnowledgeEntry>;
  calendar: Calendar;
  tools: Tool[];
  /** Which provincial rules were read, per province and topic. */
  coverage: ProvincialCoverage;
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

/** An entry file of knowledge/entries (not of KNOWLEDGE_EXTRA_DIR). */
const isBuiltInEntry = (file: string) => resolve(projectRoot, file).startsWith(join(knowledgeDir, 'entries') + sep);

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
  const entries = snapshot ?? parseEntryFiles(files, { regionCodes, regionName: (code) => regions.byCode(code) });
  const entryById = new Map(entries.map((e) => [e.id, e]));
  // A table row that names an entry must say what the entry says about scope and verification.
  checkTablesAgreeWithEntries(entryById);
  // The provincial coverage table registers the built-in entries; a further folder's entries are
  // searched and cited like them but are not rows of that table.
  const builtIn = new Map([...entryById].filter(([, e]) => isBuiltInEntry(e.file)));
  const coverage = loadProvincialCoverage(builtIn, { provinceName: (code) => regions.byCode(code)?.name });
  const calendar = loadCalendar();
  const tools: Tool[] = [
    createWorkingDaysTool(calendar),
    createTransferTimelineTool(calendar, loadStageLimits()),
    createResolveRegionTool(regions),
    createTransferEligibilityTool({ regions }),
    createArrearsTool({ regions }),
    createPayoutTool({ regions }),
    createRetireeCreditTool({ regions }),
  ] as Tool[];
  return { regions, entries, entryById, calendar, tools, coverage, entrySourceHash: sourceHash, entriesFrom: snapshot ? 'snapshot' : 'files' };
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
  const journeys = loadJourneys();
  checkJourneys(journeys, kb.entryById, kb.tools);
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
  const today = overrides.today ?? chinaToday;
  const runway = () => calendarRunway(kb.calendar, today());
  // Turns are recorded for review only when someone can review them (ADMIN_TOKEN): nothing is
  // kept about conversations that no operator will read.
  const review = config.ADMIN_TOKEN
    ? await createReviewRecorder(config, sessions.redis, log, () => metrics.reviewRecordsLost.inc())
    : undefined;
  const metrics = createMetrics({
    sessionCount: () => store.size(),
    calendarRunway: runway,
    ...(review ? { reviewCountsToday: () => countToday(review.store, chinaToday()) } : {}),
  });
  const read = createReader(kb.regions);
  const intent = loadIntentClassifierFrom(kb.regions, join(indexDir, INTENT_MODEL_DIR));
  if (intent.source === 'stored') log.info({ ms: Math.round(intent.ms) }, 'intent model read from the built index');
  else if (intent.reason) log.info({ reason: intent.reason, ms: Math.round(intent.ms) }, 'intent model trained on the corpus (npm run kb:build stores it for faster start-up)');
  const classifier = intent.classifier;
  // Optional model path (OPENAI_BASE_URL + OPENAI_MODEL); the engine guards every answer it words.
  const rewriter = await createRewriterFromConfig(config, kb.tools, (reason, err) => log.warn({ err, reason }, 'model answer not used'));
  const chat = new ChatEngine({
    ...(rewriter ? { rewriter } : {}),
    read,
    classifier,
    journeys,
    tools: kb.tools,
    entries: kb.entryById,
    coverage: kb.coverage,
    retrieve: (query, options) => retriever.search(query, options ?? {}),
    prepareRetrieval: (query) => retriever.prepare(query),
    regions: kb.regions,
    store,
    ...(overrides.today ? { today: overrides.today } : {}),
    onTurn: (event) => {
      metrics.turns.inc({ intent: event.intent, answered_by: event.answeredBy });
      if (event.guardRejected) {
        metrics.guardRejections.inc({ path: event.guardRejected.path, reason: event.guardRejected.reason });
        log.warn({ intent: event.intent, reason: event.guardRejected.reason, count: event.guardRejected.unbacked.length }, 'guard rejected a reply');
      }
      if (event.modelFallback) metrics.modelFallbacks.inc({ reason: event.modelFallback });
      review?.record(event);
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
    journeys,
    coverage: kb.coverage,
    store,
    ...(sessions.redis ? { redis: sessions.redis } : {}),
    ...(sessions.peers ? { peers: sessions.peers } : {}),
    metrics,
    chat,
    ...(review ? { review } : {}),
    status: () => {
      const health = store.health?.();
      return {
        ready: true,
        status: health && !health.sharedAvailable ? 'degraded' : 'ok',
        entries: kb.entries.length,
      tools: kb.tools.length,
        sessions: store.kind,
        ...(health ? { sessionStore: { sharedAvailable: health.sharedAvailable, pendingWriteBack: health.pendingWriteBack } } : {}),
        embedder: retriever.embedderId,
        model: modelConfigured(config),
        startupMs,
        calendar: (({ lastNoticeYear, lastDay, daysRemaining }) => ({ lastNoticeYear, lastDay, daysRemaining }))(runway()),
      };
    },
    close: async () => {
      // Pending review writes first: they may use the Redis connection the session store closes.
      await review?.close();
      await store.close();
    },
  };
}
