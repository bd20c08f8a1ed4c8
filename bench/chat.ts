import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import type { SearchOptions } from '../src/retrieval/hybrid.js';
import { createServices } from '../src/services.js';
import { fmt, freePort, load, startServer } from './lib.js';
import { chatQuestions } from './questions.js';

/** Sessions the load spreads over: each request is a fresh turn in one of them, so state is read and written. */
const SESSIONS = 200;

/** The n-th request of the mix: the same sequence for every target of one run. */
function nthRequest(prefix: string, n: number): string {
  return JSON.stringify({ sessionId: `${prefix}-${n % SESSIONS}`, message: chatQuestions[n % chatQuestions.length]! });
}

/** A bare Fastify app in its own process (the chat server runs in its own process too). */
async function startBare(code: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', code.replace('PORT', String(port))], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
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
 * measured in the same run: a trivial Fastify route and a bare route that replays this run's chat
 * responses without doing any work (the ceiling those answers allow; chat ÷ replay is the
 * target). Then where a request's CPU goes: the servers' CPU per request, and the turn in process
 * with its retrieval and serialisation.
 */
export async function benchChat(options: { duration?: number; env?: Record<string, string>; label?: string } = {}): Promise<{ rps: number; p95: number }> {
  const duration = options.duration ?? 8;
  const trivial = await startBare(TRIVIAL);
  const base = await load({ url: trivial.url, duration });
  await trivial.stop();

  const server = await startServer({ ...options.env });
  console.log(`  start-up to /readyz: ${fmt(server.readyMs, 0)} ms`);
  // One pass of the mix, one request at a time: warms the server up and records what it answers.
  const replies: unknown[] = [];
  for (let n = 1; n <= 2 * SESSIONS; n++) {
    const res = await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nthRequest('warm', n) });
    replies.push(await res.json());
  }
  const chatCpu = cpuMs(server.child.pid!);
  const chat = await chatLoad(server.url, 'bench', duration);
  const chatCpuPerRequest = (cpuMs(server.child.pid!) - chatCpu) / chat.requests;
  await server.stop();

  const dir = await mkdtemp(join(tmpdir(), 'chat-bench-'));
  const file = join(dir, 'replies.json');
  await writeFile(file, JSON.stringify(replies));
  const replay = await startBare(replaying(file));
  const replayCpu = cpuMs(replay.pid);
  const ceiling = await chatLoad(replay.url, 'bench', duration);
  const replayCpuPerRequest = (cpuMs(replay.pid) - replayCpu) / ceiling.requests;
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
  const turn = await turnBreakdown(options.env ?? {});
  console.log(
    `  server CPU per request: chat ${fmt(chatCpuPerRequest, 3)} ms, replay ${fmt(replayCpuPerRequest, 3)} ms (receiving the request and sending the same answers)`,
  );
  console.log(
    `  in process, CPU per turn: ${fmt(turn.turnMs, 3)} ms (p50 ${fmt(turn.turnP50, 3)}), of which retrieval ${fmt(turn.retrievalMs, 3)} ms and JSON serialisation ${fmt(turn.serialiseMs, 3)} ms; the rest is the dialogue turn (understanding, composers and tools, figure guard, session copy)`,
  );
  const bound = replayCpuPerRequest / (replayCpuPerRequest + turn.turnMs);
  console.log(`  chat/replay if everything around the turn cost no more than the replay route: ${fmt(bound, 3)}`);
  console.log(`  ratio chat/trivial: ${fmt(chat.rps / base.rps, 3)}; chat/replay: ${fmt(chat.rps / ceiling.rps, 3)} (target ≥ 0.3); p95 at 20 connections ${fmt(chat.p95, 2)} ms (target < 20 ms)`);
  return { rps: chat.rps, p95: chat.p95 };
}

/** CPU time (user + system, ms) a process has used so far (Linux /proc, 10 ms ticks). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The same request mix in this process, without HTTP: CPU per turn (mean and p50), the part
 * spent in retrieval (the turns' own searches, replayed) and serialising the response.
 */
async function turnBreakdown(env: Record<string, string>): Promise<{ turnMs: number; turnP50: number; retrievalMs: number; serialiseMs: number }> {
  const services = await createServices({ ...loadConfig({}), ...env }, { info() {}, warn() {}, error() {} });
  const searches: [string, SearchOptions | undefined][] = [];
  const search = services.retriever.search.bind(services.retriever);
  const turns = 2_000;
  const request = (n: number, prefix: string) => ({ sessionId: `${prefix}-${n % SESSIONS}`, message: chatQuestions[n % chatQuestions.length]! });
  for (let n = 0; n < turns; n++) await services.chat.handle(request(n, 'warm'));
  services.retriever.search = (query, opts) => {
    searches.push([query, opts]);
    return search(query, opts);
  };
  const perTurn: number[] = [];
  let serialise = 0;
  const started = process.cpuUsage();
  for (let n = 0; n < turns; n++) {
    const before = process.cpuUsage();
    const response = await services.chat.handle(request(n, 'turn'));
    const used = process.cpuUsage(before);
    perTurn.push((used.user + used.system) / 1000);
    const s0 = process.cpuUsage();
    JSON.stringify(response);
    const s1 = process.cpuUsage(s0);
    serialise += (s1.user + s1.system) / 1000;
  }
  const total = process.cpuUsage(started);
  services.retriever.search = search;
  const r0 = process.cpuUsage();
  for (const [query, opts] of searches) search(query, opts);
  const r1 = process.cpuUsage(r0);
  await services.close();
  perTurn.sort((a, b) => a - b);
  return {
    turnMs: (total.user + total.system) / 1000 / turns - serialise / turns,
    turnP50: perTurn[Math.floor(turns / 2)]!,
    retrievalMs: (r1.user + r1.system) / 1000 / turns,
    serialiseMs: serialise / turns,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('chat throughput');
  await benchChat();
}
