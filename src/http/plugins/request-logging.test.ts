import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startApp, type RunningApp } from '../../../test/helpers/app.js';

const lines: Record<string, unknown>[] = [];
const stream = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    callback();
  },
});

let server: RunningApp;
beforeAll(async () => {
  server = await startApp({ logger: { level: 'info', stream } });
});
afterAll(async () => server.close());

/** Request lines written for one path, waiting briefly for a streamed reply's line (logged after it ends). */
async function requestLines(path: string, expected: number): Promise<Record<string, unknown>[]> {
  const found = () => lines.filter((l) => l.msg === 'request' && l.path === path);
  for (let i = 0; i < 50 && found().length < expected; i++) await new Promise((r) => setTimeout(r, 10));
  return found();
}

describe('request logging', () => {
  it('writes one line per request with route, status, latency, intent and answering path', async () => {
    const answered = await postJson(`${server.url}/v1/chat`, { message: '医保转移要带什么材料？' });
    expect(answered.status).toBe(200);
    const rejected = await postJson(`${server.url}/v1/chat`, { message: '   ' });
    expect(rejected.status).toBe(400);

    const logged = await requestLines('/v1/chat', 2);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ method: 'POST', route: '/v1/chat', status: 200, intent: answered.body.intent, answeredBy: 'rules' });
    expect(typeof logged[0]!.ms).toBe('number');
    expect(logged[1]).toMatchObject({ route: '/v1/chat', status: 400 });
    expect(logged[1]!.intent).toBeUndefined();
  });

  it('logs a streamed reply once, when its response has ended', async () => {
    const res = await fetch(`${server.url}/v1/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: '医保转移要多久？' }),
    });
    expect(await res.text()).toContain('event: done');
    const logged = await requestLines('/v1/chat/stream', 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await requestLines('/v1/chat/stream', 1)).toHaveLength(1);
    expect(logged[0]).toMatchObject({ route: '/v1/chat/stream', status: 200, answeredBy: 'rules' });
  });
});
