import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js';
import { MemorySessionStore, newSession, type Session } from '../dialogue/session.js';
import { closeRedisClient, createRedisClient, waitForRedis } from './redis-client.js';
import { RedisSessionStore, SESSION_KEY_PREFIX } from './redis-store.js';
import { ResilientSessionStore, type StoreOperation } from './resilient-store.js';

function turnTaken(session: Session): Session {
  session.turnCount += 1;
  session.turns.push({ turn: session.turnCount, at: new Date().toISOString(), user: `问题${session.turnCount}`, reply: '回答', intent: 'transfer', answeredBy: 'rules' });
  return session;
}

interface Instance {
  store: ResilientSessionStore;
  client: Redis;
  fallbacks: StoreOperation[];
  warnings: string[];
  infos: string[];
}

async function instance(url: string): Promise<Instance> {
  const warnings: string[] = [];
  const infos: string[] = [];
  const fallbacks: StoreOperation[] = [];
  const log = { info: (_o: object, m: string) => void infos.push(m), warn: (_o: object, m: string) => void warnings.push(m) };
  const client = createRedisClient(url, log, { maxReconnectDelayMs: 100 });
  await waitForRedis(client, 5000);
  const store = new ResilientSessionStore({
    primary: new RedisSessionStore({ client, ttlSeconds: 600, maxTurns: 20 }),
    fallback: new MemorySessionStore({ maxSessions: 1000, ttlSeconds: 600, maxTurns: 20 }),
    log,
    onFallback: (op) => fallbacks.push(op),
  });
  return { store, client, fallbacks, warnings, infos };
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let redis: RedisServer;
let a: Instance;
let b: Instance;
beforeAll(async () => {
  redis = await startRedisServer();
  a = await instance(redis.url);
  b = await instance(redis.url);
});
afterAll(async () => {
  await closeRedisClient(a.client);
  await closeRedisClient(b.client);
  await redis?.stop();
});

describe('resilient session store', () => {
  it('lets two instances continue each other’s conversation through Redis', async () => {
    await a.store.save(turnTaken(newSession('shared-1')));
    const onB = await b.store.get('shared-1');
    expect(onB?.turnCount).toBe(1);
    await b.store.save(turnTaken(onB!));
    expect((await a.store.get('shared-1'))?.turnCount).toBe(2);
    expect(a.fallbacks).toEqual([]);
  });

  it('prefers the copy saved during an outage over the older one in Redis, and writes it back', async () => {
    const session = turnTaken(newSession('pending-1'));
    await a.store.save(session);
    // Drop the connection (ioredis reconnects by itself): Redis keeps turn 1.
    const reconnected = once(a.client, 'ready');
    a.client.disconnect(true);
    await a.store.save(turnTaken(session));
    expect(a.store.degraded).toBe(true);
    expect(a.fallbacks).toEqual(['save']);
    await reconnected;
    // Redis still holds turn 1; this instance's turn 2 wins and the next save writes it back.
    const back = await a.store.get('pending-1');
    expect(back?.turnCount).toBe(2);
    expect(a.store.degraded).toBe(false);
    await a.store.save(turnTaken(back!));
    expect(JSON.parse((await b.client.get(`${SESSION_KEY_PREFIX}pending-1`))!).turnCount).toBe(3);
    expect(a.warnings).toHaveLength(1);
    expect(a.infos.filter((m) => m.includes('available again'))).toHaveLength(1);
  });

  it('answers from memory while Redis is down, logs the outage once, and uses Redis again after a restart', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `outage-${i}`);
    for (const id of ids) await a.store.save(turnTaken(newSession(id)));
    a.fallbacks.length = 0;
    a.warnings.length = 0;
    await redis.kill();
    const started = performance.now();
    for (const id of ids) {
      const session = await a.store.get(id);
      expect(session?.turnCount).toBe(1);
      await a.store.save(turnTaken(session!));
    }
    expect(performance.now() - started).toBeLessThan(2000);
    expect(a.fallbacks.filter((op) => op === 'get')).toHaveLength(20);
    expect(a.fallbacks.filter((op) => op === 'save')).toHaveLength(20);
    expect(a.warnings).toEqual(['Redis session store unavailable; answering from memory']);
    expect(await a.store.size()).toBeGreaterThanOrEqual(20);

    // A fresh, empty Redis on the same port: memory copies carry on and are written back.
    await redis.restart();
    await until(async () => a.client.status === 'ready');
    const before = a.fallbacks.length;
    for (const id of ids) {
      const session = await a.store.get(id);
      expect(session?.turnCount).toBe(2);
      await a.store.save(turnTaken(session!));
    }
    expect(a.fallbacks.length).toBe(before);
    for (const id of ids) expect(JSON.parse((await a.client.get(`${SESSION_KEY_PREFIX}${id}`))!).turnCount).toBe(3);
    expect(a.warnings).toHaveLength(1);
  });
});
