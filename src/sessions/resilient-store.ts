import type { MemorySessionStore, Session, SessionStore } from '../dialogue/session.js';
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
}

/**
 * A SessionStore that prefers Redis and never fails a turn because of it.
 *
 * - save: always to memory (write-through), and to Redis when it answers. A session saved while
 *   Redis failed is remembered as pending and written back to Redis by its next successful save.
 * - get: from Redis; on an error or timeout from memory. When Redis has no copy (lost in a
 *   restart) or this instance saved the session during an outage, the copy with more turns wins.
 * - The incident is logged once per outage (and once when Redis is back); every operation
 *   answered from memory is counted through `onFallback`.
 *
 * What this guarantees: every turn is answered and saved somewhere; a conversation served by one
 * instance keeps every turn through an outage; after Redis returns, the next save of each session
 * writes its latest copy back. What it cannot: during an outage instances do not see each other's
 * new turns, so a conversation alternating between instances continues from the copy the
 * answering instance last saw.
 */
export class ResilientSessionStore implements SessionStore {
  readonly kind: string;
  private outage = false;
  /** Ids saved to memory but not to Redis, oldest first. */
  private readonly pending = new Set<string>();

  constructor(private readonly options: ResilientStoreOptions) {
    this.kind = options.primary.kind;
  }

  /** True while the last Redis operation failed. */
  get degraded(): boolean {
    return this.outage;
  }

  async get(id: string): Promise<Session | undefined> {
    let shared: Session | undefined;
    try {
      shared = await this.options.primary.get(id);
      this.recovered();
    } catch (err) {
      this.failed('get', err);
      return this.options.fallback.get(id);
    }
    // Memory is consulted only when it may know better: Redis lost the key (a restart without
    // persistence, an eviction) or this instance saved the session while Redis was down.
    if (shared && !this.pending.has(id)) return shared;
    const local = await this.options.fallback.get(id);
    if (!local) return shared;
    if (!shared) return local;
    return local.turnCount > shared.turnCount ? local : shared;
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

  async close(): Promise<void> {
    await this.options.primary.close();
    await this.options.fallback.close();
  }

  private markPending(id: string): void {
    this.pending.delete(id);
    this.pending.add(id);
    const max = this.options.maxPending ?? 10_000;
    while (this.pending.size > max) {
      const oldest = this.pending.values().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }

  private failed(operation: StoreOperation, err: unknown): void {
    this.options.onFallback?.(operation);
    if (this.outage) return;
    this.outage = true;
    const message = err instanceof Error ? err.message : String(err);
    this.options.log.warn({ operation, err: { message } }, 'Redis session store unavailable; answering from memory');
  }

  private recovered(): void {
    if (!this.outage) return;
    this.outage = false;
    this.options.log.info({ pendingWriteBack: this.pending.size }, 'Redis session store available again');
  }
}
