import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildApp } from '../src/app.js';
import type { ChatResponse } from '../src/dialogue/response.js';
import { REVIEW_FILE_NAME } from '../src/review/file-review-store.js';
import { recordFromTurn } from '../src/review/review-record.js';
import { fmt, load, startServer, type LoadResult } from './lib.js';
import { chatQuestions } from './questions.js';
import { average, chatRequests, mb } from './sessions.js';

const TOKEN = 'bench-review-token-0123456789';

/** A full garbage collection, so that heap figures count what is kept, not what awaits collection. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The V8 heap kept (after a full collection) by an in-process app over `turns` chat turns in 200
 * sessions, at three points, with the review off or on; and the size of the review file.
 */
async function heapOver(turns: number, review: { dataDir: string; maxTurns: number } | undefined): Promise<{ points: string[]; usPerTurn: number; sample: ChatResponse }> {
  const app = await buildApp({
    logger: false,
    config: {
      LOG_LEVEL: 'silent',
      RATE_LIMIT_MAX: 1_000_000_000,
      ...(review ? { ADMIN_TOKEN: TOKEN, DATA_DIR: review.dataDir, REVIEW_MAX_TURNS: review.maxTurns } : {}),
    },
  });
  await app.ready();
  const kept = () => {
    collectGarbage();
    return mb(process.memoryUsage().heapUsed);
  };
  const points = [`start ${kept()} MB`];
  let n = 0;
  let busyMs = 0;
  let sample: ChatResponse | undefined;
  for (const stop of [turns / 3, (2 * turns) / 3, turns]) {
    const started = performance.now();
    while (n < stop) {
      n += 1;
      const body = JSON.stringify({ sessionId: `heap-${n % 200}`, message: chatQuestions[n % chatQuestions.length]! });
      const res = await app.inject({ method: 'POST', url: '/v1/chat', headers: { 'content-type': 'application/json' }, payload: body });
      if (n === 1) sample = res.json<ChatResponse>();
    }
    await app.services.review?.flush();
    busyMs += performance.now() - started;
    const file = review ? `, file ${mb((await stat(join(review.dataDir, REVIEW_FILE_NAME))).size)} MB` : '';
    points.push(`${n.toLocaleString('en')} turns ${kept()} MB${file}`);
  }
  await app.close();
  return { points, usPerTurn: (busyMs * 1000) / turns, sample: sample! };
}

/** CPU of building one turn's record (masking, re-ask check, reasons) from a real reply, averaged. */
function recordCostUs(sample: ChatResponse): number {
  const input = {
    intent: sample.intent,
    answeredBy: sample.answeredBy,
    record: {
      sessionId: sample.sessionId,
      turn: 2,
      at: new Date().toISOString(),
      question: '我的医保余额能从烟台转到苏州吗？',
      previousQuestion: '你好，想问一下医保转移的事',
      reply: sample.reply,
      understood: { intent: sample.intent, confidence: 0.63 },
      corrections: [],
      changedSlots: [],
      answeredYesNo: false,
      citations: sample.citations.map((c) => c.id),
      slots: sample.slots,
      needs: sample.needs.map(String),
    },
  };
  const rounds = 20_000;
  for (let i = 0; i < 2000; i++) recordFromTurn(input, { lowConfidence: 0.3 });
  const started = performance.now();
  for (let i = 0; i < rounds; i++) recordFromTurn(input, { lowConfidence: 0.3 });
  return ((performance.now() - started) * 1000) / rounds;
}

/**
 * What recording every turn for the operator review costs: POST /v1/chat throughput with the
 * review off (no ADMIN_TOKEN) and on (the local file store), in alternating rounds of the same
 * run; then the heap an app keeps as turns go past REVIEW_MAX_TURNS, off and on, to show the
 * store's memory and file stay bounded.
 */
export async function benchReview(options: { duration?: number; maxTurns?: number } = {}): Promise<void> {
  const duration = options.duration ?? 6;
  const maxTurns = options.maxTurns ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), 'review-bench-'));
  try {
    const rounds: Record<'off' | 'on', LoadResult[]> = { off: [], on: [] };
    // Alternating order too (off, on, on, off), so that neither side always runs first.
    for (let round = 0; round < 2; round++) {
      for (const kind of round === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        const env: Record<string, string> = kind === 'on' ? { ADMIN_TOKEN: TOKEN, DATA_DIR: join(dir, `rounds-${round}`) } : {};
        const server = await startServer(env);
        rounds[kind].push(await load({ url: `${server.url}/v1/chat`, duration, requests: chatRequests(200, `${kind}-${round}`) }));
        await server.stop();
      }
    }
    for (const [label, r] of [['review off', average(rounds.off)], ['review on ', average(rounds.on)]] as const) {
      console.log(
        `  ${label}  POST /v1/chat (200 sessions, 20 connections, 2 × ${duration} s): ${fmt(r.rps, 0)} req/s  p50 ${fmt(r.p50)} ms  p95 ${fmt(r.p95)} ms  errors ${r.errors}  non-2xx ${r.non2xx}`,
      );
    }
    console.log(`  ratio on/off: ${fmt(average(rounds.on).rps / average(rounds.off).rps, 3)}`);

    const turns = 3 * maxTurns;
    console.log(`  in process, ${turns.toLocaleString('en')} turns over 200 sessions, heap kept after a full GC:`);
    const off = await heapOver(turns, undefined);
    console.log(`    review off: ${off.points.join(' → ')}  (${fmt(off.usPerTurn, 0)} µs a turn, one at a time)`);
    const on = await heapOver(turns, { dataDir: join(dir, 'bounded'), maxTurns });
    console.log(`    review on (REVIEW_MAX_TURNS=${maxTurns.toLocaleString('en')}): ${on.points.join(' → ')}  (${fmt(on.usPerTurn, 0)} µs a turn)`);
    console.log(`  building one turn's record (${[...on.sample.reply].length}-character reply): ${fmt(recordCostUs(on.sample), 1)} µs`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
