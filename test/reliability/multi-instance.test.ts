import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_KEY_PREFIX } from '../../src/sessions/redis-store.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { spawnServer, type ServerProcess } from '../helpers/spawn-server.js';
import { conversation, persona, secretsOf, type Persona } from './conversations.js';
import { counterTotal, keepAliveAgent, percentile, postJson, type Answer } from './http-client.js';

/**
 * Two instances of the service (child processes of src/server.ts) share one real redis-server:
 * conversations alternate between them turn by turn, under load, while Redis is killed and
 * restarted. Their logs are captured and searched for what the users typed.
 */

const SESSIONS = 200;
const TURNS = 10;

let redis: RedisServer;
let a: ServerProcess;
let b: ServerProcess;
let inspect: Redis;
const everyone: Persona[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_MAX: '1000000' };
  [a, b] = await Promise.all([spawnServer({ ...env, LOG_LEVEL: 'info' }), spawnServer({ ...env, LOG_LEVEL: 'trace' })]);
  inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  await inspect.connect();
}, 120_000);

afterAll(async () => {
  inspect?.disconnect();
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

interface Outcome {
  answers: Answer[];
  failures: string[];
  /** Turn numbers the service returned, per session, in order. */
  turns: Map<string, number[]>;
}

/** Runs every session's ten turns; sessions run concurrently, turns of one session in order. */
async function runConversations(
  ids: { id: string; who: Persona; pick: (turn: number) => ServerProcess }[],
  thinkMs = 0,
): Promise<Outcome> {
  const agent = keepAliveAgent();
  const outcome: Outcome = { answers: [], failures: [], turns: new Map() };
  await Promise.all(
    ids.map(async ({ id, who, pick }) => {
      const turns: number[] = [];
      outcome.turns.set(id, turns);
      const messages = conversation(who);
      for (let t = 0; t < TURNS; t++) {
        if (thinkMs) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
        try {
          const answer = await postJson(`${pick(t).url}/v1/chat`, { sessionId: id, message: messages[t] }, agent);
          outcome.answers.push(answer);
          turns.push(answer.status === 200 ? (answer.body as { turn: number }).turn : -answer.status);
        } catch (err) {
          outcome.failures.push(`${id} turn ${t + 1}: ${(err as Error).message}`);
          turns.push(0);
        }
      }
    }),
  );
  agent.destroy();
  return outcome;
}

async function storedTurnCount(id: string): Promise<number | undefined> {
  const raw = await inspect.get(`${SESSION_KEY_PREFIX}${id}`);
  return raw ? (JSON.parse(raw) as { turnCount: number }).turnCount : undefined;
}

/** Server-side latencies of POST /v1/chat from the instances' one-line-per-request logs. */
function serverLatencies(logs: string): number[] {
  return logs
    .split('\n')
    .filter((line) => line.includes('"route":"/v1/chat"'))
    .map((line) => (JSON.parse(line) as { ms: number }).ms);
}

const fallbacks = async () => (await counterTotal(a.url, 'redis_fallbacks_total')) + (await counterTotal(b.url, 'redis_fallbacks_total'));

describe('two instances sharing one Redis', () => {
  it(`answers ${SESSIONS} concurrent sessions × ${TURNS} turns alternating between instances, each history complete`, async () => {
    const ids = Array.from({ length: SESSIONS }, (_, i) => {
      const who = persona(i);
      everyone.push(who);
      return { id: `load-${i}`, who, pick: (t: number) => ((i + t) % 2 ? b : a) };
    });
    const started = performance.now();
    const outcome = await runConversations(ids);
    const seconds = (performance.now() - started) / 1000;
    const serverErrors = outcome.answers.filter((r) => r.status >= 500).length;
    const incomplete = [...outcome.turns.values()].filter((t) => t.join(',') !== '1,2,3,4,5,6,7,8,9,10').length;
    const stored = await Promise.all(ids.map(({ id }) => storedTurnCount(id)));
    const p95 = percentile(outcome.answers.map((r) => r.ms), 95);
    const serverMs = serverLatencies(a.output() + b.output());
    console.log(
      `[load] requests sent: ${outcome.answers.length + outcome.failures.length}; 200: ${outcome.answers.filter((r) => r.status === 200).length}; ` +
        `5xx: ${serverErrors}; network errors: ${outcome.failures.length}; sessions with a gap: ${incomplete}; ` +
        `turns lost: ${stored.reduce<number>((sum, n) => sum + (TURNS - (n ?? 0)), 0)}; Redis fallbacks: ${await fallbacks()}; ` +
        `p50 ${percentile(outcome.answers.map((r) => r.ms), 50).toFixed(1)} ms; p95 ${p95.toFixed(1)} ms; ${(outcome.answers.length / seconds).toFixed(0)} turns/s over 2 instances, 16 connections each ` +
        `(client-side, queueing included); server time p50 ${percentile(serverMs, 50).toFixed(1)} ms, p95 ${percentile(serverMs, 95).toFixed(1)} ms`,
    );
    expect(outcome.failures).toEqual([]);
    expect(outcome.answers.every((r) => r.status === 200)).toBe(true);
    expect(incomplete).toBe(0);
    expect(stored).toEqual(Array(SESSIONS).fill(TURNS));
    const sample = JSON.parse((await inspect.get(`${SESSION_KEY_PREFIX}load-7`))!) as { turns: { turn: number; user: string }[] };
    expect(sample.turns.map((t) => t.turn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(JSON.stringify(sample)).not.toContain(persona(7).idNumber);
    expect(await inspect.ttl(`${SESSION_KEY_PREFIX}load-7`)).toBeGreaterThan(7000);
    expect(await fallbacks()).toBe(0);
  }, 180_000);

  it('survives Redis being killed and restarted mid-load: no 5xx, every turn answered, Redis used again', async () => {
    // Half the sessions stay on one instance (as with sticky load balancing), half alternate.
    const ids = Array.from({ length: SESSIONS }, (_, k) => {
      const i = SESSIONS + k;
      const who = persona(i);
      everyone.push(who);
      const sticky = k % 2 === 0;
      return { id: `fault-${k}`, who, sticky, pick: (t: number) => (sticky ? (k % 4 === 0 ? a : b) : (k + t) % 2 ? b : a) };
    });
    const before = await fallbacks();
    let restartedAt = Number.POSITIVE_INFINITY;
    const chaos = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      await redis.restart(); // empty: the outage also lost every key
      restartedAt = performance.now();
    })();
    const outcome = await runConversations(ids, 250);
    await chaos;
    const during = (await fallbacks()) - before;

    const serverErrors = outcome.answers.filter((r) => r.status >= 500).length;
    const stickyIds = ids.filter((s) => s.sticky);
    const alternating = ids.filter((s) => !s.sticky);
    const continuous = (id: string) => outcome.turns.get(id)!.join(',') === '1,2,3,4,5,6,7,8,9,10';
    const lost = (list: typeof ids) => list.reduce((sum, s) => sum + (TURNS - Math.max(...outcome.turns.get(s.id)!)), 0);
    // After Redis is back (and the clients have reconnected), numbering continues turn by turn.
    const settled = restartedAt + 1500;
    let brokenAfterRecovery = 0;
    for (const s of ids) {
      const answers = outcome.answers.filter((r) => (r.body as { sessionId?: string }).sessionId === s.id && r.started >= settled);
      answers.sort((x, y) => x.started - y.started);
      for (let j = 1; j < answers.length; j++) if ((answers[j]!.body as { turn: number }).turn !== (answers[j - 1]!.body as { turn: number }).turn + 1) brokenAfterRecovery += 1;
    }
    // Sessions with a turn after Redis is back (a session whose last turn was served from memory
    // during the outage has no copy in the emptied Redis; how many end that early depends only on
    // how fast the turns are answered).
    const lastStarted = (id: string) => Math.max(...outcome.answers.filter((r) => (r.body as { sessionId?: string }).sessionId === id).map((r) => r.started));
    const recovered = ids.filter((s) => lastStarted(s.id) >= settled);
    const storedAfter = await Promise.all(recovered.map(async (s) => ({ s, n: await storedTurnCount(s.id) })));
    const writtenBack = storedAfter.filter(({ s, n }) => n === Math.max(...outcome.turns.get(s.id)!)).length;

    // Redis is in use again: further turns cause no fallback and land in Redis.
    const quietBefore = await fallbacks();
    const extra = await Promise.all(ids.slice(0, 20).map((s) => postJson(`${a.url}/v1/chat`, { sessionId: s.id, message: '谢谢' })));
    const quietAfter = await fallbacks();

    const statuses = [...new Set(outcome.answers.map((r) => r.status))].map((s) => `${s}×${outcome.answers.filter((r) => r.status === s).length}`).join(' ');
    console.log(
      `[fault] requests sent: ${outcome.answers.length + outcome.failures.length}; statuses: ${statuses}; 5xx: ${serverErrors}; network errors: ${outcome.failures.length}; ` +
        `Redis fallbacks during the outage: ${during}; after recovery: ${quietAfter - quietBefore}; ` +
        `sticky sessions continuous: ${stickyIds.filter((s) => continuous(s.id)).length}/${stickyIds.length} (turns lost ${lost(stickyIds)}); ` +
        `alternating sessions continuous: ${alternating.filter((s) => continuous(s.id)).length}/${alternating.length} (turn numbers repeated from an older copy: ${lost(alternating)}); ` +
        `numbering breaks after recovery: ${brokenAfterRecovery}; sessions with a turn after recovery whose latest turn is in Redis: ${writtenBack}/${recovered.length} (of ${ids.length}); ` +
        `p95 ${percentile(outcome.answers.map((r) => r.ms), 95).toFixed(1)} ms`,
    );
    expect(outcome.failures).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(outcome.answers.every((r) => r.status === 200)).toBe(true);
    expect(during).toBeGreaterThan(0);
    // Guaranteed: a conversation served by one instance keeps every turn through the outage.
    expect(lost(stickyIds)).toBe(0);
    expect(stickyIds.every((s) => continuous(s.id))).toBe(true);
    // Guaranteed: once Redis is back, turns continue one by one and the latest copy is in Redis.
    expect(brokenAfterRecovery).toBe(0);
    expect(recovered.length).toBeGreaterThan(ids.length / 2);
    expect(writtenBack).toBe(recovered.length);
    expect(extra.every((r) => r.status === 200)).toBe(true);
    expect(quietAfter).toBe(quietBefore);
    for (const [k, r] of extra.entries()) expect(await storedTurnCount(ids[k]!.id)).toBe((r.body as { turn: number }).turn);
  }, 180_000);

  it('never writes a name, ID number or phone number the users typed into either instance’s logs', () => {
    const logs = a.output() + b.output();
    const lines = logs.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('"route":"/v1/chat"') && l.includes('"intent"')).length).toBeGreaterThanOrEqual(2 * SESSIONS * TURNS);
    const leaked = secretsOf(everyone).filter((secret) => logs.includes(secret));
    console.log(`[privacy] log lines checked: ${lines.length}; personal values typed: ${secretsOf(everyone).length}; found in logs: ${leaked.length}`);
    expect(leaked).toEqual([]);
    expect(everyone.length).toBe(2 * SESSIONS);
  });
});
