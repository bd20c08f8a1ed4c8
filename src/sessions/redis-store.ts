import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Session, SessionStore } from '../dialogue/session.js';

/** Prefix of every session key; the rate limiter shares the connection under its own prefix. */
export const SESSION_KEY_PREFIX = 'yb:sess:';

export interface RedisStoreOptions {
  client: Redis;
  ttlSeconds: number;
  /** Most turns kept per session; `turnCount` keeps the total. */
  maxTurns?: number;
  prefix?: string;
  /** Upper bound of keys SCAN walks for size(), so a metrics scrape stays cheap. */
  maxScanKeys?: number;
  /** How long a computed size() is reused. */
  sizeCacheMs?: number;
}

// What is read back from Redis is checked before use: a foreign or truncated value is treated
// as no session rather than crashing a turn.
const storedSession = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    state: z.record(z.string(), z.unknown()),
    lastAsked: z.array(z.string()),
    turns: z.array(z.object({ turn: z.number(), user: z.string(), reply: z.string() }).passthrough()),
    turnCount: z.number().int().nonnegative(),
  })
  .passthrough();

/** Parses a stored session; undefined for anything that is not one. */
export function decodeSession(raw: string): Session | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = storedSession.safeParse(value);
  return parsed.success ? (parsed.data as unknown as Session) : undefined;
}

/** The session as stored: the last `maxTurns` turns only. */
export function capTurns(session: Session, maxTurns: number): Session {
  if (session.turns.length <= maxTurns) return session;
  return { ...session, turns: session.turns.slice(-maxTurns) };
}

/**
 * Sessions as one JSON value per key (`yb:sess:<id>`) with a TTL refreshed on every save, so
 * several instances behind a load balancer continue each other's conversations. Errors and
 * timeouts propagate: the resilient wrapper decides what to do about them.
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis';
  private readonly prefix: string;
  private readonly maxTurns: number;
  private sizeCache: { value: number; at: number } | undefined;

  constructor(private readonly options: RedisStoreOptions) {
    this.prefix = options.prefix ?? SESSION_KEY_PREFIX;
    this.maxTurns = options.maxTurns ?? 50;
  }

  key(id: string): string {
    return this.prefix + id;
  }

  async get(id: string): Promise<Session | undefined> {
    const raw = await this.options.client.get(this.key(id));
    return raw === null ? undefined : decodeSession(raw);
  }

  async save(session: Session): Promise<void> {
    const stored = capTurns(session, this.maxTurns);
    await this.options.client.set(this.key(session.id), JSON.stringify(stored), 'EX', this.options.ttlSeconds);
  }

  /**
   * Live sessions by SCAN over the prefix, walking at most `maxScanKeys` keys and reusing the
   * result for a few seconds: a lower bound on very large stores, never a blocking KEYS.
   */
  async size(): Promise<number> {
    const cacheMs = this.options.sizeCacheMs ?? 5000;
    if (this.sizeCache && Date.now() - this.sizeCache.at < cacheMs) return this.sizeCache.value;
    const limit = this.options.maxScanKeys ?? 100_000;
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await this.options.client.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0' && count < limit);
    this.sizeCache = { value: count, at: Date.now() };
    return count;
  }

  async close(): Promise<void> {
    // The client is shared with the rate limiter; its owner closes it.
  }
}
