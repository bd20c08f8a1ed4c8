import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js';
import { newSession, type Session } from '../dialogue/session.js';
import { closeRedisClient, createRedisClient, waitForRedis } from './redis-client.js';
import { decodeSession, RedisSessionStore, SESSION_KEY_PREFIX } from './redis-store.js';

const quiet = { info: () => {}, warn: () => {} };

function withTurns(id: string, n: number): Session {
  const session = newSession(id);
  for (let i = 1; i <= n; i++) session.turns.push({ turn: i, at: session.createdAt, user: `问题${i}`, reply: `回答${i}`, intent: 'transfer', answeredBy: 'rules' });
  session.turnCount = n;
  return session;
}

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = createRedisClient(redis.url, quiet);
  expect(await waitForRedis(client, 5000)).toBe(true);
});
afterAll(async () => {
  await closeRedisClient(client);
  await redis?.stop();
});

describe('redis session store', () => {
  it('stores a session as one JSON key under the prefix with the TTL, refreshed on every save', async () => {
    const store = new RedisSessionStore({ client, ttlSeconds: 120 });
    await store.save(withTurns('ttl-1', 1));
    expect(await client.ttl(`${SESSION_KEY_PREFIX}ttl-1`)).toBeGreaterThan(110);
    await client.expire(`${SESSION_KEY_PREFIX}ttl-1`, 5);
    await store.save(withTurns('ttl-1', 2));
    expect(await client.ttl(`${SESSION_KEY_PREFIX}ttl-1`)).toBeGreaterThan(110);
    const back = await store.get('ttl-1');
    expect(back?.turnCount).toBe(2);
    expect(back?.turns.map((t) => t.turn)).toEqual([1, 2]);
  });

  it('keeps the last N turns while turnCount keeps the total, and keeps feedback', async () => {
    const store = new RedisSessionStore({ client, ttlSeconds: 60, maxTurns: 5 });
    const session = withTurns('cap-1', 12);
    session.turns[11]!.feedback = { rating: 'down', comment: '不清楚', at: session.createdAt };
    await store.save(session);
    const back = await store.get('cap-1');
    expect(back?.turnCount).toBe(12);
    expect(back?.turns.map((t) => t.turn)).toEqual([8, 9, 10, 11, 12]);
    expect(back?.turns[4]?.feedback?.rating).toBe('down');
    expect(session.turns).toHaveLength(12);
  });

  it('treats a missing, foreign or corrupt value as no session', async () => {
    const store = new RedisSessionStore({ client, ttlSeconds: 60 });
    expect(await store.get('nobody')).toBeUndefined();
    await client.set(`${SESSION_KEY_PREFIX}bad-json`, '{"id":');
    await client.set(`${SESSION_KEY_PREFIX}bad-shape`, JSON.stringify({ id: 'bad-shape', turns: 'no' }));
    expect(await store.get('bad-json')).toBeUndefined();
    expect(await store.get('bad-shape')).toBeUndefined();
    expect(decodeSession('null')).toBeUndefined();
  });

  it('counts live sessions by SCAN on its own prefix only, cached briefly', async () => {
    const prefix = 'yb:size-test:';
    const store = new RedisSessionStore({ client, ttlSeconds: 60, prefix, sizeCacheMs: 0 });
    const pipeline = client.pipeline();
    for (let i = 0; i < 2500; i++) pipeline.set(`${prefix}s${i}`, '{}', 'EX', 60);
    pipeline.set('yb:rl:other', '1');
    await pipeline.exec();
    expect(await store.size()).toBe(2500);
    const bounded = new RedisSessionStore({ client, ttlSeconds: 60, prefix, sizeCacheMs: 0, maxScanKeys: 1000 });
    const partial = await bounded.size();
    expect(partial).toBeGreaterThanOrEqual(1000);
    expect(partial).toBeLessThan(2500);
  });

  it('fails fast instead of hanging while Redis is down', async () => {
    const down = await startRedisServer();
    const c = createRedisClient(down.url, quiet);
    await waitForRedis(c, 5000);
    const store = new RedisSessionStore({ client: c, ttlSeconds: 60 });
    await store.save(withTurns('ff', 1));
    await down.kill();
    const started = performance.now();
    await expect(store.get('ff')).rejects.toThrow();
    await expect(store.save(withTurns('ff', 2))).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1000);
    await closeRedisClient(c);
  });
});
