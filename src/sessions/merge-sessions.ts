import type { Session, TurnRecord } from '../dialogue/session.js';

/** Identity of a turn record across copies: its id, or (records written before ids) number and time. */
const turnKey = (t: TurnRecord): string => t.id ?? `${t.turn}|${t.at}`;

/** Of two copies of one turn record, the one carrying the later feedback. */
function laterRecord(a: TurnRecord, b: TurnRecord): TurnRecord {
  const fa = a.feedback?.at ?? '';
  const fb = b.feedback?.at ?? '';
  return fb > fa ? b : a;
}

/**
 * Two copies of one session that diverged (two instances answered it while they could not see
 * each other, or two requests raced) merged so that nothing is lost:
 * - every turn either copy holds, once, in the order they happened; a turn number the client was
 *   given stays as it was given (two answers may carry the same number if both copies gave it);
 * - `turnCount` is the highest either copy gave, so the next turn continues after the last number
 *   the client saw;
 * - the conversation state (slots, pending question, figures the user typed) is the newest copy's.
 * `maxTurns` caps the stored history like every store does.
 */
export function mergeSessions(a: Session, b: Session, maxTurns = Number.POSITIVE_INFINITY): Session {
  const newer = b.updatedAt >= a.updatedAt ? b : a;
  const byKey = new Map<string, TurnRecord>();
  for (const t of [...a.turns, ...b.turns]) {
    const key = turnKey(t);
    const known = byKey.get(key);
    byKey.set(key, known ? laterRecord(known, t) : t);
  }
  const turns = [...byKey.values()].sort((x, y) => (x.at === y.at ? x.turn - y.turn : x.at < y.at ? -1 : 1));
  return {
    ...newer,
    createdAt: a.createdAt < b.createdAt ? a.createdAt : b.createdAt,
    turns: turns.length > maxTurns ? turns.slice(-maxTurns) : turns,
    turnCount: Math.max(a.turnCount, b.turnCount),
  };
}

/** True when `later` already holds everything `earlier` holds (no merge needed). */
export function contains(later: Session, earlier: Session): boolean {
  if (later.turnCount < earlier.turnCount) return false;
  const keys = new Set(later.turns.map(turnKey));
  // Only the turns `later` can still hold (it keeps the newest ones) need to be there.
  const oldestKept = later.turns[0]?.at ?? '';
  return earlier.turns.every((t) => keys.has(turnKey(t)) || t.at < oldestKept);
}
