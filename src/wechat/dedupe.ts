import { TtlLru } from './ttl-lru.js';
import type { InboundMessage } from './xml.js';

/** WeChat retries twice within about 15 s; a minute covers late retries with margin. */
export const DEDUPE_TTL_MS = 60_000;
export const DEDUPE_MAX_ENTRIES = 10_000;

/**
 * The key WeChat recommends for spotting its own retries: MsgId for messages,
 * FromUserName + CreateTime for events (which have no MsgId). The event name is added so that,
 * say, a subscribe and a menu click in the same second stay two events.
 */
export function dedupeKey(message: InboundMessage): string {
  if (message.kind === 'event') return `evt:${message.fromUser}:${message.createTime}:${message.event}`;
  if (message.msgId) return `msg:${message.msgId}`;
  return `evt:${message.fromUser}:${message.createTime}:${message.kind}`;
}

/**
 * Runs work once per key: concurrent callers share the in-flight promise and later callers get the
 * settled result until it expires. A failure is forgotten at once so that a retry can try again.
 */
export class Dedupe<T> {
  private readonly cache: TtlLru<Promise<T>>;

  constructor(options: { max?: number; ttlMs?: number; now?: () => number } = {}) {
    this.cache = new TtlLru<Promise<T>>({ max: options.max ?? DEDUPE_MAX_ENTRIES, ttlMs: options.ttlMs ?? DEDUPE_TTL_MS, now: options.now });
  }

  /** Returns the shared result for `key`, running `work` only if nothing is cached or in flight. */
  run(key: string, work: () => Promise<T>): { result: Promise<T>; shared: boolean } {
    const existing = this.cache.get(key);
    if (existing) return { result: existing, shared: true };
    const result = Promise.resolve().then(work);
    this.cache.set(key, result);
    result.catch(() => {
      if (this.cache.get(key) === result) this.cache.delete(key);
    });
    return { result, shared: false };
  }

  get size(): number {
    return this.cache.size;
  }
}
