import { describe, expect, it } from 'vitest';
import type { Region } from '../tools/region/types.js';
import { cloneJson, copySession, MemorySessionStore, newSession, setTurnFeedback, type Session } from './session.js';
import { newConversation } from './state.js';

const qingdao: Region = { name: '青岛市', shortName: '青岛', code: '370200', level: 'prefecture', city: '青岛市', province: '山东省', provinceCode: '370000', poolingArea: { code: '370200', name: '青岛市' } } as Region;

function withTurns(id: string, n: number): Session {
  const session = newSession(id, new Date('2026-11-23T08:00:00Z'));
  for (let i = 1; i <= n; i++) session.turns.push({ turn: i, at: session.createdAt, user: `问题${i}`, reply: `回答${i}`, intent: 'transfer', answeredBy: 'rules' });
  session.turnCount = n;
  return session;
}

describe('MemorySessionStore', () => {
  it('hands out copies: changing a session after get or save does not change what is stored', async () => {
    const store = new MemorySessionStore({ maxSessions: 10, ttlSeconds: 60 });
    const session = withTurns('a', 2);
    session.conversation = newConversation();
    session.conversation.self.facts.from = structuredClone(qingdao);
    await store.save(session);
    session.conversation.self.facts.to = { ...qingdao, name: '南京市', shortName: '南京' };
    session.turns.push({ turn: 3, at: session.createdAt, user: 'x', reply: 'y', intent: 'transfer', answeredBy: 'rules' });

    const got = (await store.get('a'))!;
    expect(got.conversation!.self.facts.to).toBeUndefined();
    expect(got.turns).toHaveLength(2);
    got.conversation!.self.facts.from!.shortName = '烟台';
    got.conversation!.asked = { journey: 'transfer', slot: 'to' };
    expect((await store.get('a'))!.conversation!.self.facts.from!.shortName).toBe('青岛');
    expect((await store.get('a'))!.conversation!.asked).toBeUndefined();
  });

  it('keeps turn records immutable: feedback replaces the record instead of editing a shared one', async () => {
    const store = new MemorySessionStore({ maxSessions: 10, ttlSeconds: 60 });
    await store.save(withTurns('b', 2));
    const first = (await store.get('b'))!;
    expect(() => {
      (first.turns[0] as { reply: string }).reply = '改过的回答';
    }).toThrow(TypeError);

    expect(setTurnFeedback(first, 2, { rating: 'down', at: '2026-11-23T08:01:00Z' })).toBe(true);
    expect(setTurnFeedback(first, 9, { rating: 'up', at: '2026-11-23T08:01:00Z' })).toBe(false);
    expect((await store.get('b'))!.turns[1]!.feedback).toBeUndefined();
    await store.save(first);
    expect((await store.get('b'))!.turns[1]!.feedback?.rating).toBe('down');
  });

  it('caps the turns it keeps, expires sessions after the TTL and evicts the least recently saved', async () => {
    let now = 0;
    const store = new MemorySessionStore({ maxSessions: 2, ttlSeconds: 10, maxTurns: 3, now: () => now });
    await store.save(withTurns('c', 5));
    expect((await store.get('c'))!.turns.map((t) => t.turn)).toEqual([3, 4, 5]);
    expect((await store.get('c'))!.turnCount).toBe(5);

    await store.save(withTurns('d', 1));
    await store.save(withTurns('c', 1));
    await store.save(withTurns('e', 1));
    expect(await store.get('d')).toBeUndefined();
    expect(await store.size()).toBe(2);

    now = 10_001;
    expect(await store.get('c')).toBeUndefined();
  });
});

describe('copySession', () => {
  it('copies every field deeply except the turn records, which it shares frozen', () => {
    const session = withTurns('f', 2);
    session.conversation = newConversation();
    session.conversation.self.facts.from = structuredClone(qingdao);
    session.userQuantities = ['yuan|5000|', 'date|2026-04-28|'];
    session.conversation.pendingPlace = { text: '朝阳', candidates: [], role: 'to' } as unknown as NonNullable<Session['conversation']>['pendingPlace'];
    const copy = copySession(session);
    expect(copy).toEqual(session);
    expect(copy.conversation!.self.facts.from).not.toBe(session.conversation.self.facts.from);
    expect(copy.conversation!.self.facts.from!.poolingArea).not.toBe(session.conversation.self.facts.from.poolingArea);
    expect(copy.conversation!.pendingPlace).not.toBe(session.conversation.pendingPlace);
    expect(copy.userQuantities).not.toBe(session.userQuantities);
    expect(copy.turns).not.toBe(session.turns);
    expect(copy.turns[0]).toBe(session.turns[0]);
    expect(Object.isFrozen(copy.turns[1])).toBe(true);
  });

  it('clones JSON values like structuredClone does', () => {
    const value = { a: [1, 'x', null, { b: true, c: [[2]] }], d: { e: { f: 'g' } }, h: 0, i: '' };
    const copy = cloneJson(value);
    expect(copy).toEqual(structuredClone(value));
    expect(copy.a[3]).not.toBe(value.a[3]);
  });
});
