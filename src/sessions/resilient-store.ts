import type { MemorySessionStore, Session, SessionStore } from '../dialogue/session.js';
import { contains, mergeSessions } from './merge-sessions.js';
import type { SessionLog } from './redis-client.js';

export type StoreOperation = 'get' | 'save' | 'size';

export interface ResilientStoreOptions {
  /** The shared store (Redis). Any rejection counts as an outage. */
  primary: SessionStore;
  /** The process-local copy every save also goes to. */
  fallback: MemorySessionStore;
  log: SessionLog;
  /** Called for every operation answered from memory because the primary failed. */
  onFallback?: (operation: StoreOperation) => void;
  /** Most sessions remembered as "saved to memory only" for write-back (defaults to 10,000). */
  maxPending?: number;
  /** Sessions written back at once while flushing (defaults to 16). */
  flushConcurrency?: number;
  /** Pause before retrying a write-back that failed, in ms (defaults to 1,000). */
  retryFlushMs?: number;
  /**
   * Other instances' in-memory copies of a session, asked for while Redis is down, so that a
   * conversation alternating between instances keeps every turn and its numbering.
   */
  peerCopies?: (id: string) => Promise<Session[]>;
  /** How long after an outage a key missing from Redis is also looked for in peers (defaults to 60 s). */
  settleMs?: number;
}

/** All copies of one session merged into one (undefined when there is none). */
function mergeAll(copies: ReadonlyArray<Session | undefined>): Session | undefined {
  let merged: Session | undefined;
  for (const copy of copies) {
    if (!copy) continue;
    merged = !merged ? copy : contains(merged, copy) ? merged : contains(copy, merged) ? copy : mergeSessions(merged, copy);
  }
  return merged;
}

/** What /readyz reports about sessions. */
export interface SessionStoreHealth {
  store: string;
  /** False while the shared store is failing and turns are answered from memory. */
  sharedAvailable: boolean;
  /** Sessions saved to memory only, waiting to be written back to the shared store. */
  pendingWriteBack: number;
}

/**
 * A SessionStore that prefers Redis and never fails a turn because of it.
 *
 * - save: always to memory (write-through), and to Redis when it answers. A session saved while
 *   Redis failed joins a dirty set.
 * - write-back: as soon as Redis answers again (the client reconnects, or any operation succeeds)
 *   every session in the dirty set is written back — whether or not it gets another turn — with
 *   the Redis store's compare-and-set, which merges it with any copy another instance wrote
 *   meanwhile (every turn kept, the newest state wins). A write-back that fails stays dirty and
 *   is retried. The dirty set is bounded (`maxPending`, oldest dropped first, logged).
 * - get: from Redis; on an error or timeout from memory. When this instance holds a copy not yet
 *   written back, the two copies are merged.
 * - The incident is logged once per outage (and once when Redis is back); every operation
 *   answered from memory is counted through `onFallback`.
 *
 * What this guarantees: every turn is answered and saved somewhere; a conversation served by one
 * instance keeps every turn and its numbering through an outage; after Redis returns, every turn
 * any instance answered is in Redis and numbering continues after the highest number given. What
 * it cannot: while Redis is down, instances do not see each other's new turns, so a conversation
 * alternating between them may be given the same turn number twice during the outage (both
 * answers are kept).
 */
export class ResilientSessionStore implements SessionStore {
  readonly kind: string;
  private outage = false;
  /** Ids saved to memory but not to Redis, oldest first. */
  private readonly pending = new Set<string>();
  private flushing: Promise<void> | undefined;
  /** When the last outage ended: for a while after, a key missing from Redis may be one it lost. */
  private recoveredAt = Number.NEGATIVE_INFINITY;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: ResilientStoreOptions) {
    this.kind = options.primary.kind;
  }

  /** True while the last Redis operation failed. */
  get degraded(): boolean {
    return this.outage;
  }

  health(): SessionStoreHealth {
    return { store: this.kind, sharedAvailable: !this.outage, pendingWriteBack: this.pending.size };
  }

  async get(id: string): Promise<Session | undefined> {
    let shared: Session | undefined;
    try {
      shared = await this.options.primary.get(id);
      this.recovered();
    } catch (err) {
      this.failed('get', err);
      return mergeAll([await this.options.fallback.get(id), ...((await this.options.peerCopies?.(id)) ?? [])]);
    }
    // Memory is consulted only when it may know better: Redis lost the key (a restart without
    // persistence, an eviction) or this instance saved the session while Redis was down. Just
    // after an outage, a key Redis lost may live on in another instance that has not written it
    // back yet: ask.
    if (shared && !this.pending.has(id)) return shared;
    const copies = [shared, await this.options.fallback.get(id)];
    if (!shared && Date.now() - this.recoveredAt < (this.options.settleMs ?? 60_000)) copies.push(...((await this.options.peerCopies?.(id)) ?? []));
    return mergeAll(copies);
  }

  async save(session: Session): Promise<void> {
    await this.options.fallback.save(session);
    try {
      await this.options.primary.save(session);
      this.pending.delete(session.id);
      this.recovered();
    } catch (err) {
      this.failed('save', err);
      this.markPending(session.id);
    }
  }

  /** This instance's own copy of a session (what a peer asks for during an outage). */
  localCopy(id: string): Promise<Session | undefined> {
    return this.options.fallback.get(id);
  }

  async size(): Promise<number> {
    try {
      const n = await this.options.primary.size();
      this.recovered();
      return n;
    } catch (err) {
      this.failed('size', err);
      return this.options.fallback.size();
    }
  }

  /**
   * Writes every dirty session back to Redis. Called when the connection is ready again and after
   * any operation that shows Redis answering; concurrent calls share one pass.
   */
  flushPending(): Promise<void> {
    if (this.closed || this.pending.size === 0) return Promise.resolve();
    this.flushing ??= this.flushPass().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.flushing;
    await this.options.primary.close();
    await this.options.fallback.close();
  }

  private async flushPass(): Promise<void> {
    const ids = [...this.pending];
    const width = this.options.flushConcurrency ?? 16;
    let written = 0;
    let failedOnce = false;
    for (let i = 0; i < ids.length && !failedOnce; i += width) {
      await Promise.all(
        ids.slice(i, i + width).map(async (id) => {
          const local = await this.options.fallback.get(id);
          if (!local) {
            // Expired or evicted from memory: nothing left to write back.
            this.pending.delete(id);
            return;
          }
          try {
            await this.options.primary.save(local);
            this.recovered();
            // A turn saved to memory only while this write was in flight keeps the id dirty.
            const now = await this.options.fallback.get(id);
            if (now && now.updatedAt === local.updatedAt) this.pending.delete(id);
            written += 1;
          } catch (err) {
            failedOnce = true;
            this.failed('save', err);
          }
        }),
      );
    }
    if (written > 0) this.options.log.info({ written, stillPending: this.pending.size }, 'sessions saved during the Redis outage written back');
    if (this.pending.size > 0 && !this.closed) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.flushPending(), this.options.retryFlushMs ?? 1000);
      this.retryTimer.unref();
    }
  }

  private markPending(id: string): void {
    this.pending.delete(id);
    this.pending.add(id);
    const max = this.options.maxPending ?? 10_000;
    let dropped = 0;
    while (this.pending.size > max) {
      const oldest = this.pending.values().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
      dropped += 1;
    }
    if (dropped > 0) this.options.log.warn({ dropped, max }, 'write-back set full; oldest sessions stay in memory only');
  }

  private failed(operation: StoreOperation, err: unknown): void {
    this.options.onFallback?.(operation);
    if (this.outage) return;
    this.outage = true;
    const message = err instanceof Error ? err.message : String(err);
    this.options.log.warn({ operation, err: { message } }, 'Redis session store unavailable; answering from memory');
  }

  private recovered(): void {
    if (this.outage) {
      this.outage = false;
      this.recoveredAt = Date.now();
      this.options.log.info({ pendingWriteBack: this.pending.size }, 'Redis session store available again');
    }
    if (this.pending.size > 0) void this.flushPending();
  }
}
