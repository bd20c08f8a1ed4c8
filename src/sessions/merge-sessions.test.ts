import { describe, expect, it } from 'vitest';
import { newSession, type Session, type TurnRecord } from '../dialogue/session.js';
import { contains, mergeSessions } from './merge-sessions.js';

let clock = Date.parse('2026-12-01T08:00:00Z');
const tick = () => new Date((clock += 1000)).toISOString();

function answered(session: Session, user: string, id = user): Session {
  const at = tick();
  const turn: TurnRecord = { id, turn: session.turnCount + 1, at, user, reply: `答：${user}`, intent: 'transfer', answeredBy: 'rules' };
  return { ...session, turnCount: session.turnCount + 1, updatedAt: at, turns: [...session.turns, turn] };
}

describe('merging two copies of a session that diverged', () => {
  const start = answered(answered(newSession('s-1', new Date(clock)), '从青岛转南京'), '职工医保');

  it('keeps every turn either instance answered, in the order they happened, and continues after the highest number given', () => {
    const onA = answered(start, '要多久');
    const onB = answered(start, '带什么材料');
    const laterOnA = answered(onA, '余额呢');
    const merged = mergeSessions(laterOnA, onB);
    expect(merged.turns.map((t) => t.user)).toEqual(['从青岛转南京', '职工医保', '要多久', '带什么材料', '余额呢']);
    // The client was given 3 twice (once by each instance) and 4 once: the next turn is 5.
    expect(merged.turns.map((t) => t.turn)).toEqual([1, 2, 3, 3, 4]);
    expect(merged.turnCount).toBe(4);
  });

  it('takes the conversation state from the newer copy', () => {
    const conversation = (acceptedDate: string) => ({ subject: 'self' as const, self: { facts: {}, journeys: { timeline: { acceptedDate } } } });
    const older = { ...answered(start, '要多久'), conversation: conversation('2026-11-02') };
    const newer = { ...answered(start, '不对，是11月3号'), conversation: conversation('2026-11-03') };
    expect(mergeSessions(older, newer).conversation).toEqual(conversation('2026-11-03'));
    expect(mergeSessions(newer, older).conversation).toEqual(conversation('2026-11-03'));
  });

  it('is the same copy again when one copy already holds the other', () => {
    const later = answered(start, '要多久');
    expect(contains(later, start)).toBe(true);
    expect(contains(start, later)).toBe(false);
    expect(mergeSessions(start, later).turns).toEqual(later.turns);
    expect(mergeSessions(later, later).turns).toHaveLength(3);
  });

  it('keeps the feedback given on either copy of a turn', () => {
    const base = answered(start, '要多久');
    const rated = { ...base, turns: base.turns.map((t) => (t.turn === 3 ? { ...t, feedback: { rating: 'down' as const, at: tick() } } : t)) };
    const moved = answered(base, '余额呢');
    const merged = mergeSessions(rated, moved);
    expect(merged.turns.find((t) => t.turn === 3)?.feedback?.rating).toBe('down');
    expect(merged.turns).toHaveLength(4);
  });

  it('caps the merged history like the stores do, keeping the newest turns', () => {
    let a = start;
    let b = start;
    for (let i = 0; i < 30; i++) {
      a = answered(a, `A${i}`);
      b = answered(b, `B${i}`);
    }
    const merged = mergeSessions(a, b, 20);
    expect(merged.turns).toHaveLength(20);
    expect(merged.turns.at(-1)?.user).toBe('B29');
    expect(merged.turnCount).toBe(32);
  });

  it('matches records written before turns had ids by number and time', () => {
    const legacy = { ...start, turns: start.turns.map(({ id: _id, ...t }) => t) };
    expect(mergeSessions(legacy, legacy).turns).toHaveLength(2);
  });
});
