import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REVIEW_FILE_NAME } from '../src/review/file-review-store.js';
import { fmt, load, startServer, type LoadResult } from './lib.js';
import { average, chatRequests, mb, memoryOf } from './sessions.js';

const TOKEN = 'bench-review-token-0123456789';

/**
 * What recording every turn for the operator review costs: POST /v1/chat throughput with the
 * review off (no ADMIN_TOKEN) and on (the local file store), in alternating rounds of the same
 * run; then the memory and file size of the local store as turns go past REVIEW_MAX_TURNS, to
 * show that both stay bounded.
 */
export async function benchReview(options: { duration?: number; maxTurns?: number } = {}): Promise<void> {
  const duration = options.duration ?? 6;
  const maxTurns = options.maxTurns ?? 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'review-bench-'));
  try {
    const rounds: Record<'off' | 'on', LoadResult[]> = { off: [], on: [] };
    for (let round = 0; round < 2; round++) {
      for (const kind of ['off', 'on'] as const) {
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

    const dataDir = join(dir, 'bounded');
    const server = await startServer({ ADMIN_TOKEN: TOKEN, DATA_DIR: dataDir, REVIEW_MAX_TURNS: String(maxTurns) });
    const size = async () => (await stat(join(dataDir, REVIEW_FILE_NAME))).size;
    const points: string[] = [];
    const base = await memoryOf(server);
    points.push(`start: RSS ${mb(base.rss)} MB, heap ${mb(base.heap)} MB`);
    for (const [i, amount] of [maxTurns, maxTurns, maxTurns].entries()) {
      // The same 200 sessions throughout (their own memory is bounded), so what grows is the review store.
      const result = await load({ url: `${server.url}/v1/chat`, amount, connections: 20, requests: chatRequests(200, `bounded`) });
      const m = await memoryOf(server);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const lost = /^review_records_lost_total (\d+)/m.exec(metrics)?.[1];
      points.push(
        `after ${((i + 1) * amount).toLocaleString('en')} turns: RSS ${mb(m.rss)} MB, heap ${mb(m.heap)} MB, file ${mb(await size())} MB (records lost ${lost}, non-2xx ${result.non2xx})`,
      );
    }
    await server.stop();
    console.log(`  local store with REVIEW_MAX_TURNS=${maxTurns.toLocaleString('en')}:`);
    for (const p of points) console.log(`    ${p}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
