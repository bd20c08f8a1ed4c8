import type { Redis } from 'ioredis';
import { decodeRecord, recordKey, type ReviewRecord } from './review-record.js';
import { DAY_MS, type ReviewStore, type TimeRange } from './review-store.js';

/** Prefix of every review key (sessions use `yb:sess:`, the rate limiter `yb:rl:`). */
export const REVIEW_KEY_PREFIX = 'yb:review:';

export interface RedisReviewStoreOptions {
  client: Redis;
  retentionDays: number;
  prefix?: string;
  now?: () => number;
}

const MGET_CHUNK = 500;

/**
 * The review store on the shared Redis, so that every instance records into one place and the
 * page sees all of them. One JSON value per turn (`yb:review:turn:<session>:<turn>`) that
 * expires when its retention ends, and a sorted set of the flagged turns by time
 * (`yb:review:flagged`) trimmed to the same retention on every write, so listing reads only the
 * turns that need an operator and never scans the keyspace.
 */
export class RedisReviewStore implements ReviewStore {
  readonly kind = 'redis';
  private readonly prefix: string;
  private readonly flaggedKey: string;
  private readonly now: () => number;

  constructor(private readonly options: RedisReviewStoreOptions) {
    this.prefix = options.prefix ?? REVIEW_KEY_PREFIX;
    this.flaggedKey = `${this.prefix}flagged`;
    this.now = options.now ?? Date.now;
  }

  private turnKey(member: string): string {
    return `${this.prefix}turn:${member}`;
  }

  async save(record: ReviewRecord): Promise<void> {
    const member = recordKey(record.sessionId, record.turn);
    const retentionMs = this.options.retentionDays * DAY_MS;
    const atMs = Date.parse(record.at);
    const ttlMs = Math.max(1000, atMs + retentionMs - this.now());
    const cutoff = this.now() - retentionMs;
    const tx = this.options.client.multi().set(this.turnKey(member), JSON.stringify(record), 'PX', ttlMs);
    if (record.reasons.length > 0) tx.zadd(this.flaggedKey, atMs, member);
    else tx.zrem(this.flaggedKey, member);
    tx.zremrangebyscore(this.flaggedKey, '-inf', `(${cutoff}`);
    const results = await tx.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('review store: transaction discarded');
  }

  async get(sessionId: string, turn: number): Promise<ReviewRecord | undefined> {
    const raw = await this.options.client.get(this.turnKey(recordKey(sessionId, turn)));
    return raw ? decodeRecord(raw) : undefined;
  }

  async flagged(range: TimeRange, max: number): Promise<ReviewRecord[]> {
    const members = await this.options.client.zrevrangebyscore(this.flaggedKey, range.untilMs, range.sinceMs, 'LIMIT', 0, max);
    return this.read(members);
  }

  async turns(sessionId: string, from: number, to: number): Promise<ReviewRecord[]> {
    const members: string[] = [];
    for (let turn = Math.max(1, from); turn <= to; turn++) members.push(recordKey(sessionId, turn));
    return this.read(members);
  }

  /** The records of these members, in their order, leaving out any that expired or cannot be read. */
  private async read(members: string[]): Promise<ReviewRecord[]> {
    const out: ReviewRecord[] = [];
    for (let i = 0; i < members.length; i += MGET_CHUNK) {
      const keys = members.slice(i, i + MGET_CHUNK).map((m) => this.turnKey(m));
      if (keys.length === 0) continue;
      for (const raw of await this.options.client.mget(...keys)) {
        const record = raw ? decodeRecord(raw) : undefined;
        if (record) out.push(record);
      }
    }
    return out;
  }

  /** A save resolves only once Redis has it. */
  async flush(): Promise<void> {}

  /** The connection is shared with the sessions, which close it. */
  async close(): Promise<void> {}
}
