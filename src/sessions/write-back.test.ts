import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js';
import { newSession, type Session } from '../dialogue/session.js';
import { createSessionStore, type CreatedSessionStore } from './create-session-store.js';
import { SESSION_KEY_PREFIX } from './redis-store.js';

/** Two instances' session stores over one real redis-server, wired exactly as the service wires them. */

const quiet = { info: () => {}, warn: () => {} };
const settings = (url: string) => ({ REDIS_URL: url, SESSION_MAX: 1000, SESSION_TTL_SECONDS: 600 });

let n = 0;
function answered(session: Session, user: string): Session {
  const at = new Date(Date.parse('2026-12-01T08:00:00Z') + (n += 1) * 1000).toISOString();
  session.turnCount += 1;
  session.updatedAt = at;
  session.turns.push({ id: `t${n}`, turn: session.turnCount, at, user, reply: '…', intent: 'transfer', answeredBy: 'rules' });
  return session;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  // Commands fail until the client has reconnected; that is "not yet".
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let redis: RedisServer;
let a: CreatedSessionStore;
let b: CreatedSessionStore;
const stored = async (id: string) => {
  const raw = await a.redis!.get(`${SESSION_KEY_PREFIX}${id}`);
  return raw ? (JSON.parse(raw) as Session) : undefined;
};

beforeAll(async () => {
  redis = await startRedisServer();
  a = await createSessionStore(settings(redis.url), quiet);
  b = await createSessionStore(settings(redis.url), quiet);
});
afterAll(async () => {
  await a?.store.close();
  await b?.store.close();
  await redis?.stop();
});

describe('sessions saved to memory during a Redis outage', () => {
  it('are written back when Redis returns, without waiting for another turn, and /readyz-style health tells the truth meanwhile', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `quiet-${i}`);
    for (const id of ids) await a.store.save(answered(newSession(id), '从烟台转苏州'));
    await redis.kill();
    for (const id of ids) {
      const session = (await a.store.get(id))!;
      await a.store.save(answered(session, '要多久'));
    }
    expect(a.store.health!()).toMatchObject({ sharedAvailable: false, pendingWriteBack: 30 });

    await redis.restart(); // empty: the outage lost every key
    // No further turn: the dirty set is flushed on reconnect.
    await until(async () => (await stored(ids.at(-1)!))?.turnCount === 2);
    for (const id of ids) expect((await stored(id))?.turns.map((t) => t.user)).toEqual(['从烟台转苏州', '要多久']);
    expect(a.store.health!()).toMatchObject({ sharedAvailable: true, pendingWriteBack: 0 });
  });

  it('loses no turn of a conversation two instances answered separately during the outage', async () => {
    const id = 'split-1';
    await a.store.save(answered(newSession(id), '从青岛转南京'));
    const seenByB = (await b.store.get(id))!;
    await redis.kill();
    // A answers turn 2, B (which cannot see A's turn) also answers a turn 2, then A a turn 3.
    const onA = (await a.store.get(id))!;
    await a.store.save(answered(onA, '职工医保'));
    await b.store.save(answered(seenByB, '带什么材料'));
    await a.store.save(answered((await a.store.get(id))!, '余额呢'));
    await redis.restart();

    await until(async () => {
      const s = await stored(id);
      return s !== undefined && s.turns.length === 4;
    });
    const merged = (await stored(id))!;
    expect(merged.turns.map((t) => t.user).sort()).toEqual(['从青岛转南京', '余额呢', '带什么材料', '职工医保'].sort());
    // Numbering continues after the highest number either instance gave.
    expect(merged.turnCount).toBe(3);
    const next = (await b.store.get(id))!;
    expect(next.turnCount).toBe(3);
  });

  it('never overwrites a turn another instance wrote since this one read the session', async () => {
    const id = 'race-1';
    await a.store.save(answered(newSession(id), '第一问'));
    const onA = (await a.store.get(id))!;
    const onB = (await b.store.get(id))!;
    await b.store.save(answered(onB, 'B 的第二问'));
    await a.store.save(answered(onA, 'A 的第二问'));
    const s = (await stored(id))!;
    expect(s.turns.map((t) => t.user).sort()).toEqual(['A 的第二问', 'B 的第二问', '第一问'].sort());
  });
});
