import type { ReviewRecord } from './review-record.js';

/** A time range in epoch milliseconds, both ends included. */
export interface TimeRange {
  sinceMs: number;
  untilMs: number;
}

/**
 * Where recorded turns live: a local file by default, Redis when configured. Records are
 * already masked; a store only keeps them, bounded by age (and, locally, by count).
 */
export interface ReviewStore {
  readonly kind: 'file' | 'redis';
  /** Adds or replaces the record of one session turn. */
  save(record: ReviewRecord): Promise<void>;
  get(sessionId: string, turn: number): Promise<ReviewRecord | undefined>;
  /** Records with at least one reason whose time falls in the range, newest first, at most `max`. */
  flagged(range: TimeRange, max: number): Promise<ReviewRecord[]>;
  /** The records of one session from turn `from` to `to` (both included) that are still kept, in turn order. */
  turns(sessionId: string, from: number, to: number): Promise<ReviewRecord[]>;
  /** Resolves once everything saved so far is written where a restart finds it. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
