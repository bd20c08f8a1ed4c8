import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

/**
 * Two instances behind a load balancer that sends each turn of a conversation to the other one,
 * while Redis is killed and comes back empty: the conversation keeps every turn and the client
 * sees turn numbers go up one by one — during the outage the instances ask each other for their
 * copies, after it they write them back. /readyz says "degraded" while Redis is down.
 */

let redis: RedisServer;
const apps: FastifyInstance[] = [];
const urls: string[] = [];

async function start(): Promise<void> {
  const app = await buildApp({ config: loadConfig({ REDIS_URL: redis.url, RATE_LIMIT_MAX: '100000' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  urls.push(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
}

const post = async (url: string, body: unknown) => {
  const res = await fetch(`${url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { turn: number; reply: string } };
};
const ready = async (url: string) => (await (await fetch(`${url}/readyz`)).json()) as { status: string; sessionStore?: { sharedAvailable: boolean } };

beforeAll(async () => {
  redis = await startRedisServer();
  await start();
  await start();
  // Instances learn of each other through Redis within one refresh (2 s).
  await new Promise((r) => setTimeout(r, 2500));
}, 60_000);
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await redis?.stop();
});

const MESSAGES = ['我的医保能从青岛转到南京吗', '职工医保', '南京那边单位已经交上了', '要多久', '2026年4月28日受理的', '要带什么材料', '余额呢', '谢谢'];

describe('a conversation alternating between two instances through a Redis outage', () => {
  it('keeps consecutive turn numbers and every turn, and /readyz reports degraded while Redis is down', async () => {
    const sessions = Array.from({ length: 8 }, (_, i) => `peer-${i}`);
    const seen = new Map(sessions.map((id) => [id, [] as number[]]));
    const turn = async (t: number) =>
      Promise.all(
        sessions.map(async (id, i) => {
          const res = await post(urls[(i + t) % 2]!, { sessionId: id, message: MESSAGES[t % MESSAGES.length] });
          expect(res.status).toBe(200);
          seen.get(id)!.push(res.body.turn);
        }),
      );
    for (let t = 0; t < 3; t++) await turn(t);
    await redis.kill();
    for (let t = 3; t < 6; t++) await turn(t);
    expect((await ready(urls[0]!)).status).toBe('degraded');
    expect((await ready(urls[1]!)).sessionStore?.sharedAvailable).toBe(false);
    await redis.restart(); // empty
    await new Promise((r) => setTimeout(r, 1500));
    for (let t = 6; t < 9; t++) await turn(t);

    for (const id of sessions) expect(seen.get(id), id).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await ready(urls[0]!)).status).toBe('ok');
  }, 60_000);

  it('hides the instances’ session copies from anyone without the shared secret', async () => {
    const res = await fetch(`${urls[0]}/internal/sessions/peer-0`);
    expect(res.status).toBe(404);
    const wrong = await fetch(`${urls[0]}/internal/sessions/peer-0`, { headers: { authorization: 'Bearer not-the-secret' } });
    expect(wrong.status).toBe(404);
    const docs = (await (await fetch(`${urls[0]}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths).some((p) => p.startsWith('/internal'))).toBe(false);
  });
});
