import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { spawnServer, type ServerProcess } from '../helpers/spawn-server.js';
import { postJson } from './http-client.js';

/**
 * SIGTERM while requests are in flight: the process stops accepting, finishes what it accepted
 * (plain JSON turns and SSE streams), closes Redis and exits 0.
 */

interface SlowRequest {
  /** Sends the rest of the body. */
  finish(): void;
  response: Promise<{ status: number; text: string }>;
}

/** A POST whose body arrives in two parts, so the request is accepted and still in flight. */
function slowPost(url: string, body: unknown): SlowRequest {
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  let finish = () => {};
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.write(payload.subarray(0, half));
    finish = () => req.end(payload.subarray(half));
  });
  return { finish: () => finish(), response };
}

let redis: RedisServer;
let server: ServerProcess;
beforeAll(async () => {
  redis = await startRedisServer();
  server = await spawnServer({ REDIS_URL: redis.url });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

describe('graceful shutdown on SIGTERM', () => {
  it('completes accepted requests and SSE streams, turns new work away (503 or refused) and exits 0', async () => {
    const inFlight = Array.from({ length: 5 }, (_, i) => slowPost(`${server.url}/v1/chat`, { sessionId: `drain-${i}`, message: '医保能从青岛转到南京吗？' }));
    const stream = slowPost(`${server.url}/v1/chat/stream`, { sessionId: 'drain-stream', message: '转移要多长时间？' });
    // Background load on fresh connections during the shutdown.
    const outcomes: string[] = [];
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let n = 0; !stop && n < 200; n++) {
          try {
            const r = await postJson(`${server.url}/v1/chat`, { sessionId: `bg-${w}`, message: '你好' });
            outcomes.push(String(r.status));
          } catch (err) {
            outcomes.push((err as NodeJS.ErrnoException).code ?? 'error');
          }
          if (outcomes.at(-1) === 'ECONNREFUSED') break;
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = server.terminate();
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const r of inFlight) r.finish();
    stream.finish();
    const answers = await Promise.all(inFlight.map((r) => r.response));
    const streamed = await stream.response;
    const code = await exit;
    stop = true;
    await load;

    const count = (what: string) => outcomes.filter((o) => o === what).length;
    console.log(
      `[shutdown] in-flight turns completed: ${answers.filter((r) => r.status === 200).length}/${answers.length}; SSE stream completed: ${streamed.text.includes('event: done')}; ` +
        `background requests: ${outcomes.length} (200×${count('200')}, 503×${count('503')}, refused×${count('ECONNREFUSED')}, reset×${count('ECONNRESET')}); exit code ${code}`,
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ intent: 'transfer', turn: 1 });
    }
    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain('event: delta');
    expect(streamed.text).toContain('event: done');
    expect(code).toBe(0);
    expect(count('200')).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !['200', '503', 'ECONNREFUSED', 'ECONNRESET'].includes(o))).toEqual([]);
    expect(server.output()).toContain('"signal":"SIGTERM"');
  }, 60_000);
});
