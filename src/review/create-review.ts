import type { Redis } from 'ioredis';
import { FileReviewStore } from './file-review-store.js';
import { RedisReviewStore } from './redis-review-store.js';
import { chinaDayStart, countReasons, MAX_SCAN, type ReasonCounts } from './review-query.js';
import { ReviewRecorder } from './review-recorder.js';
import type { ReviewStore } from './review-store.js';

export interface ReviewSettings {
  DATA_DIR: string;
  REVIEW_RETENTION_DAYS: number;
  REVIEW_MAX_TURNS: number;
  REVIEW_LOW_CONFIDENCE: number;
}

export interface ReviewLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Redis when the service has it (every instance records into one place), else the file under DATA_DIR. */
export async function createReviewStore(
  settings: Omit<ReviewSettings, 'REVIEW_LOW_CONFIDENCE'>,
  redis: Redis | undefined,
  log: ReviewLog,
  options: { readOnly?: boolean } = {},
): Promise<ReviewStore> {
  if (redis) return new RedisReviewStore({ client: redis, retentionDays: settings.REVIEW_RETENTION_DAYS });
  return FileReviewStore.open({
    dir: settings.DATA_DIR,
    retentionDays: settings.REVIEW_RETENTION_DAYS,
    maxRecords: settings.REVIEW_MAX_TURNS,
    log,
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}

/** The recorder the chat engine's turn events feed, over the store the settings choose. */
export async function createReviewRecorder(
  settings: ReviewSettings,
  redis: Redis | undefined,
  log: ReviewLog,
  onLost?: () => void,
): Promise<ReviewRecorder> {
  const store = await createReviewStore(settings, redis, log);
  log.info({ store: store.kind, retentionDays: settings.REVIEW_RETENTION_DAYS }, 'operator review recording');
  return new ReviewRecorder({ store, lowConfidence: settings.REVIEW_LOW_CONFIDENCE, log, ...(onLost ? { onLost } : {}) });
}

/** Flagged turns since 00:00 China time, by reason: the counts /metrics exports. */
export async function countToday(store: ReviewStore, today: string, now = Date.now()): Promise<ReasonCounts> {
  return countReasons(await store.flagged({ sinceMs: chinaDayStart(today), untilMs: now }, MAX_SCAN));
}
