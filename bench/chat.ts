import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { fmt, freePort, load, startServer } from './lib.js';
import { chatQuestions } from './questions.js';

/** Sessions the load spreads over: each request is a fresh turn in one of them, so state is read and written. */
const SESSIONS = 200;

/** The n-th request of the mix: the same sequence for every target of one run. */
function nthRequest(prefix: string, n: number): string {
  return JSON.stringify({ sessionId: `${prefix}-${n % SESSIONS}`, message: chatQuestions[n % chatQuestions.length]! });
}

/** A bare Fastify app in its own process (the chat server runs in its own process too). */
async function startBare(code: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', code.replace('PORT', String(port))], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** GET / answering {ok: true}: the ceiling the chat is compared with. */
const TRIVIAL = `import Fastify from 'fastify'; const app = Fastify(); app.get('/', async () => ({ ok: true })); await app.listen({ port: PORT, host: '127.0.0.1' }); console.log('ready');`;

/**
 * POST /v1/chat answering, in turn, responses the chat server gave to this same request mix,
 * read from a file: every byte the chat sends, none of its work. What this reaches is the most
 * any chat implementation with these answers could show on this machine with this load generator.
 */
const replaying = (file: string) =>
  `import Fastify from 'fastify'; import { readFileSync } from 'node:fs'; const replies = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8')); let n = 0; const app = Fastify({ bodyLimit: 65536 }); app.post('/v1/chat', async () => replies[n++ % replies.length]); await app.listen({ port: PORT, host: '127.0.0.1' }); console.log('ready');`;

const chatLoad = (url: string, prefix: string, duration: number) => {
  let n = 0;
  return load({
    url: `${url}/v1/chat`,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: nthRequest(prefix, ++n) }),
      },
    ],
  });
};

/**
 * Throughput of POST /v1/chat over a question mix at 20 connections, next to two references
 * measured in the same run: a trivial Fastify route (the target's denominator) and a bare route
 * that replays this run's chat responses without doing any work (the ceiling those answers allow).
 */
export async function benchChat(options: { duration?: number; env?: Record<string, string>; label?: string } = {}): Promise<{ rps: number; p95: number }> {
  const duration = options.duration ?? 8;
  const trivial = await startBare(TRIVIAL);
  const base = await load({ url: trivial.url, duration });
  await trivial.stop();

  const server = await startServer(options.env ?? {});
  console.log(`  start-up to /readyz: ${fmt(server.readyMs, 0)} ms`);
  // One pass of the mix, one request at a time: warms the server up and records what it answers.
  const replies: unknown[] = [];
  for (let n = 1; n <= 2 * SESSIONS; n++) {
    const res = await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nthRequest('warm', n) });
    replies.push(await res.json());
  }
  const chat = await chatLoad(server.url, 'bench', duration);
  await server.stop();

  const dir = await mkdtemp(join(tmpdir(), 'chat-bench-'));
  const file = join(dir, 'replies.json');
  await writeFile(file, JSON.stringify(replies));
  const replay = await startBare(replaying(file));
  const ceiling = await chatLoad(replay.url, 'bench', duration);
  await replay.stop();
  await rm(dir, { recursive: true, force: true });

  const bytes = replies.reduce<number>((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / replies.length;
  const label = options.label ?? 'chat';
  console.log(`  trivial Fastify route (GET, {"ok":true}): ${fmt(base.rps, 0)} req/s  p50 ${fmt(base.p50, 2)} ms  p95 ${fmt(base.p95, 2)} ms`);
  console.log(
    `  bare route replaying the chat's own responses (no work, ${fmt(bytes, 0)} bytes on average): ${fmt(ceiling.rps, 0)} req/s  p95 ${fmt(ceiling.p95, 2)} ms  ratio to trivial ${fmt(ceiling.rps / base.rps, 3)}`,
  );
  console.log(
    `  ${label} POST /v1/chat (${chatQuestions.length} questions, ${SESSIONS} sessions, 20 connections, ${duration} s): ${fmt(chat.rps, 0)} req/s  p50 ${fmt(chat.p50, 2)} ms  p95 ${fmt(chat.p95, 2)} ms  p99 ${fmt(chat.p99, 2)} ms  errors ${chat.errors}  non-2xx ${chat.non2xx}`,
  );
  console.log(`  ratio chat/trivial: ${fmt(chat.rps / base.rps, 3)}  (target ≥ 0.25 with p95 < 20 ms); chat/replay: ${fmt(chat.rps / ceiling.rps, 3)}`);
  return { rps: chat.rps, p95: chat.p95 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('chat throughput');
  await benchChat();
}
