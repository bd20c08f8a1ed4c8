import { createHash } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import { z } from 'zod';
import type { Session, SessionStore } from '../dialogue/session.js';
import { mergeSessions } from './merge-sessions.js';

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
    conversation: z.record(z.string(), z.unknown()).optional(),
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
 * Writes a session only if the stored value is still the one this instance last read (compared by
 * SHA-1, '' for "no value"); otherwise answers 0 and the caller merges and tries again. Atomic in
 * Redis, so it needs no WATCH on the connection the rate limiter shares.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local digest = ''
if current then digest = redis.sha1hex(current) end
if digest ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** COMPARE_AND_SET, sent once and then called by its digest (ioredis defineCommand). */
    ybSessionCompareAndSet(key: string, expectedDigest: string, json: string, ttlSeconds: number): Result<number, Context>;
  }
}

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex');

/** Raised when a session could not be written after several concurrent changes in a row. */
export class SessionWriteConflict extends Error {
  override readonly name = 'SessionWriteConflict';
}

/**
 * Sessions as one JSON value per key (`yb:sess:<id>`) with a TTL refreshed on every save, so
 * several instances behind a load balancer continue each other's conversations. Errors and
 * timeouts propagate: the resilient wrapper decides what to do about them.
 *
 * A save never overwrites a copy it has not seen: it is a compare-and-set against the value this
 * instance last read (or wrote) for the session, and on a mismatch — another instance answered
 * meanwhile, or wrote back what it held during an outage — the two copies are merged
 * (`mergeSessions`: every turn kept, the newest state) and written again.
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis';
  private readonly prefix: string;
  private readonly maxTurns: number;
  private sizeCache: { value: number; at: number } | undefined;
  /** Digest of the value last read or written per session id (bounded, oldest dropped first). */
  private readonly seen = new Map<string, string>();
  private readonly maxSeen: number;

  constructor(private readonly options: RedisStoreOptions & { maxSeen?: number }) {
    this.prefix = options.prefix ?? SESSION_KEY_PREFIX;
    this.maxTurns = options.maxTurns ?? 50;
    this.maxSeen = options.maxSeen ?? 20_000;
    if (typeof (options.client as { ybSessionCompareAndSet?: unknown }).ybSessionCompareAndSet !== 'function') options.client.defineCommand('ybSessionCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET });
  }

  key(id: string): string {
    return this.prefix + id;
  }

  async get(id: string): Promise<Session | undefined> {
    const raw = await this.options.client.get(this.key(id));
    this.remember(id, raw === null ? '' : sha1(raw));
    return raw === null ? undefined : decodeSession(raw);
  }

  async save(session: Session): Promise<void> {
    let expected = this.seen.get(session.id);
    let next = capTurns(session, this.maxTurns);
    for (let attempt = 0; attempt < 8; attempt++) {
      if (expected === undefined) {
        // Nothing read by this instance (or it changed since): merge with what is stored now.
        const raw = await this.options.client.get(this.key(session.id));
        expected = raw === null ? '' : sha1(raw);
        const stored = raw === null ? undefined : decodeSession(raw);
        if (stored) next = mergeSessions(stored, session, this.maxTurns);
      }
      const json = JSON.stringify(next);
      const written = await this.options.client.ybSessionCompareAndSet(this.key(session.id), expected, json, this.options.ttlSeconds);
      if (written === 1) {
        this.remember(session.id, sha1(json));
        return;
      }
      expected = undefined;
    }
    throw new SessionWriteConflict(`session ${session.id} changed concurrently too often`);
  }

  private remember(id: string, digest: string): void {
    this.seen.delete(id);
    this.seen.set(id, digest);
    if (this.seen.size > this.maxSeen) this.seen.delete(this.seen.keys().next().value!);
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
