import { spawn } from 'node:child_process';
import type autocannon from 'autocannon';
import { once } from 'node:events';
import { fmt, freePort, load, startServer } from './lib.js';
import { chatQuestions } from './questions.js';

/** A bare Fastify route in its own process: the ceiling the chat is compared with. */
async function startTrivial(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const code = `import Fastify from 'fastify'; const app = Fastify(); app.get('/', async () => ({ ok: true })); await app.listen({ port: ${port}, host: '127.0.0.1' }); console.log('ready');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Throughput of POST /v1/chat over a question mix, next to a trivial route measured in the same run. */
export async function benchChat(options: { duration?: number; env?: Record<string, string>; label?: string } = {}): Promise<{ rps: number; p95: number }> {
  const duration = options.duration ?? 8;
  const trivial = await startTrivial();
  const base = await load({ url: trivial.url, duration });
  await trivial.stop();

  const server = await startServer(options.env ?? {});
  console.log(`  start-up to /readyz: ${fmt(server.readyMs, 0)} ms`);
  let n = 0;
  const chat = await load({
    url: `${server.url}/v1/chat`,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: autocannon.Request) => {
          n += 1;
          const message = chatQuestions[n % chatQuestions.length]!;
          // Each request is a fresh turn in one of 200 sessions, so state is read and written.
          return { ...req, body: JSON.stringify({ sessionId: `bench-${n % 200}`, message }) };
        },
      },
    ],
  });
  await server.stop();
  const label = options.label ?? 'chat';
  console.log(`  trivial Fastify route: ${fmt(base.rps, 0)} req/s  p50 ${base.p50} ms  p95 ${base.p95} ms`);
  console.log(`  ${label} POST /v1/chat (${chatQuestions.length} questions, 20 connections, ${duration} s): ${fmt(chat.rps, 0)} req/s  p50 ${chat.p50} ms  p95 ${chat.p95} ms  p99 ${chat.p99} ms  errors ${chat.errors}  non-2xx ${chat.non2xx}`);
  console.log(`  ratio chat/trivial: ${fmt(chat.rps / base.rps, 3)}  (target ≥ 0.25 with p95 < 20 ms)`);
  return { rps: chat.rps, p95: chat.p95 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('chat throughput');
  await benchChat();
}
