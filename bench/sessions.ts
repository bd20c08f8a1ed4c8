import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type autocannon from 'autocannon';
import { fmt, freePort, load, startServer, type LoadResult, type Spawned } from './lib.js';
import { chatQuestions } from './questions.js';

/** A throwaway redis-server on a free loopback port (persistence off), stopped by process id. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let seen = '';
  for await (const chunk of child.stdout!) {
    seen += String(chunk);
    if (seen.includes('Ready to accept connections')) break;
  }
  child.stdout!.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** POST /v1/chat where every request is the next turn of one of `sessions` conversations. */
export function chatRequests(sessions: number | 'fresh', prefix: string): autocannon.Request[] {
  let n = 0;
  return [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req: autocannon.Request) => {
        n += 1;
        const sessionId = sessions === 'fresh' ? `${prefix}-${n}` : `${prefix}-${n % sessions}`;
        return { ...req, body: JSON.stringify({ sessionId, message: chatQuestions[n % chatQuestions.length]! }) };
      },
    },
  ];
}

export async function memoryOf(server: Spawned): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const metric = (name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? NaN);
  return { rss: metric('process_resident_memory_bytes'), heap: metric('nodejs_heap_size_used_bytes') };
}

export const mb = (bytes: number) => fmt(bytes / 1024 / 1024, 1);

export function average(results: LoadResult[]): LoadResult {
  const mean = (pick: (r: LoadResult) => number) => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  const total = (pick: (r: LoadResult) => number) => results.reduce((sum, r) => sum + pick(r), 0);
  return { rps: mean((r) => r.rps), p50: mean((r) => r.p50), p95: mean((r) => r.p95), p99: mean((r) => r.p99), errors: total((r) => r.errors), non2xx: total((r) => r.non2xx), requests: total((r) => r.requests) };
}

/**
 * Sessions in Redis next to sessions in memory, measured in the same run: POST /v1/chat
 * throughput over 200 rotating sessions (target: Redis ≥ 0.7 × memory), then the resident memory
 * of one Redis-backed server after 10,000 and after 50,000 turns, each in a new session (target:
 * < 10 % growth — the local copy is bounded by SESSION_MAX, Redis keys by the TTL).
 */
export async function benchSessions(options: { duration?: number } = {}): Promise<void> {
  const duration = options.duration ?? 6;
  const redis = await startRedis();
  try {
    // Alternating rounds, so that a busy moment of the machine does not favour one side.
    const rounds: Record<'memory' | 'redis', LoadResult[]> = { memory: [], redis: [] };
    for (let round = 0; round < 2; round++) {
      for (const kind of ['memory', 'redis'] as const) {
        const server = await startServer(kind === 'redis' ? { REDIS_URL: redis.url } : {});
        rounds[kind].push(await load({ url: `${server.url}/v1/chat`, duration, requests: chatRequests(200, `${kind}-${round}`) }));
        await server.stop();
      }
    }
    const memory = average(rounds.memory);
    const shared = average(rounds.redis);
    for (const [label, r] of [['memory sessions', memory], ['Redis sessions ', shared]] as const) {
      console.log(
        `  ${label}  POST /v1/chat (200 sessions, 20 connections, 2 × ${duration} s): ${fmt(r.rps, 0)} req/s  p50 ${fmt(r.p50)} ms  p95 ${fmt(r.p95)} ms  errors ${r.errors}  non-2xx ${r.non2xx}`,
      );
    }
    console.log(`  ratio Redis/memory: ${fmt(shared.rps / memory.rps, 3)}  (target ≥ 0.7)`);

    const server = await startServer({ REDIS_URL: redis.url, SESSION_MAX: '10000' });
    const baseline = await memoryOf(server);
    const first = await load({ url: `${server.url}/v1/chat`, amount: 10_000, connections: 20, requests: chatRequests('fresh', 'rss') });
    const after10k = await memoryOf(server);
    const rest = await load({ url: `${server.url}/v1/chat`, amount: 40_000, connections: 20, requests: chatRequests('fresh', 'rss2') });
    const after50k = await memoryOf(server);
    await server.stop();
    const growth = (after50k.rss - after10k.rss) / after10k.rss;
    console.log(
      `  RSS of a Redis-session server (SESSION_MAX 10000, a new session per turn): ${mb(baseline.rss)} MB at start, ${mb(after10k.rss)} MB after 10,000 turns, ` +
        `${mb(after50k.rss)} MB after 50,000 turns  → growth ${fmt(growth * 100, 1)} %  (target < 10 %; non-2xx ${first.non2xx + rest.non2xx}, errors ${first.errors + rest.errors})`,
    );
    console.log(`  V8 heap used at the same points: ${mb(baseline.heap)} MB, ${mb(after10k.heap)} MB, ${mb(after50k.heap)} MB`);
  } finally {
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('sessions: Redis next to memory');
  await benchSessions();
}
