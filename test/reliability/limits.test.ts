import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/http/error-handler.js';
import { underPressurePlugin } from '../../src/http/plugins/under-pressure.js';
import { postJson, startApp, type RunningApp } from '../helpers/app.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { untilReady } from '../http/until-ready.js';

const RATE_LIMITED = { error: { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试。' } };

describe('rate limiting per client IP (memory counters)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ config: { RATE_LIMIT_MAX: 5 } });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('answers the request over the limit with 429, a Chinese message and retry-after', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson(`${running.url}/v1/tools/resolve-region`, { name: '昆山' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await postJson(`${running.url}/v1/chat`, { message: '医保能转吗' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(RATE_LIMITED);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('5');
  });

  it('never limits health, readiness or metrics', async () => {
    for (let i = 0; i < 10; i++) {
      for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${running.url}${path}`)).status).toBe(200);
    }
  });
});

describe('rate limiting shared through Redis', () => {
  let redis: RedisServer;
  let first: RunningApp;
  let second: RunningApp;
  beforeAll(async () => {
    redis = await startRedisServer();
    first = await startApp({ config: { RATE_LIMIT_MAX: 6, REDIS_URL: redis.url } });
    second = await startApp({ config: { RATE_LIMIT_MAX: 6, REDIS_URL: redis.url } });
    // Readiness is never rate limited, so waiting for it leaves the counters untouched.
    await untilReady(first);
    await untilReady(second);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.stop();
  });

  it('counts requests to both instances against one limit, and lets users through while Redis is down', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await postJson(`${(i % 2 ? second : first).url}/v1/chat`, { message: '你好' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await postJson(`${first.url}/v1/chat`, { message: '你好' })).body).toEqual(RATE_LIMITED);
    expect((await postJson(`${second.url}/v1/chat`, { message: '你好' })).status).toBe(429);

    await redis.kill();
    const started = performance.now();
    const during = await Promise.all(Array.from({ length: 10 }, (_, i) => postJson(`${(i % 2 ? second : first).url}/v1/chat`, { message: '医保转移要多久' })));
    expect(during.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('body limit', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ config: { RATE_LIMIT_MAX: 1000 } });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('answers a body over 64 KB with 413 and a Chinese message, and one just under it normally', async () => {
    const tooBig = await postJson(`${running.url}/v1/chat`, { message: '转'.repeat(30_000) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大，请精简后再发送。' } });
    const underLimit = await postJson(`${running.url}/v1/chat`, { message: '医保', pad: 'x'.repeat(60_000) });
    expect(underLimit.status).toBe(200);
  });
});

describe('load shedding (under pressure)', () => {
  it('answers 503 with a Chinese message and retry-after while over a limit, and keeps /healthz answering', async () => {
    const app = Fastify();
    installErrorHandler(app);
    // A heap limit of one byte: the process is "under pressure" from the first sample on.
    await app.register(underPressurePlugin, { maxHeapUsedBytes: 1, sampleIntervalMs: 10 });
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.post('/v1/chat', async () => ({ reply: 'ok' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const shed = await postJson(`${url}/v1/chat`, { message: '你好' });
      expect(shed.status).toBe(503);
      expect(shed.body).toEqual({ error: { code: 'OVERLOADED', message: '服务繁忙，请稍后再试。' } });
      expect(shed.headers.get('retry-after')).toBe('5');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(app.hasRoute({ method: 'GET', url: '/status' })).toBe(false);
    } finally {
      await app.close();
    }
  });
});
