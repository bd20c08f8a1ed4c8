import type { ConversationState } from './state.js';
import type { Intent } from './types.js';

export interface TurnRecord {
  /** Unique per turn, so copies of a session that diverged can be merged without losing or repeating one. */
  id?: string;
  turn: number;
  at: string;
  /** The user's message with personal data masked; the raw text is never stored. */
  user: string;
  reply: string;
  intent: Intent;
  answeredBy: 'rules' | 'model';
  feedback?: { rating: 'up' | 'down'; comment?: string; at: string };
}

/** Everything one conversation carries between turns. Plain JSON so Redis can hold it. */
export interface Session {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** What the conversation knows, namespaced: the people it is about and each journey's values. */
  conversation?: ConversationState;
  turns: TurnRecord[];
  /** Total turns ever taken (turns[] is capped). */
  turnCount: number;
  /**
   * Quantities the user has typed in this conversation (`unit|value|role`): a reply may echo them
   * as the user's own case, never state them as a rule.
   */
  userQuantities?: string[];
}

/**
 * An independent copy of a session for a store to hand out or keep. Turn records are shared, not
 * copied: they are frozen here and never change after they are written (feedback replaces the
 * record), so only the small mutable part — slots, pending questions, user figures — is cloned.
 * Copying every stored turn's reply on each get and save was a tenth of a chat turn's CPU.
 */
export function copySession(session: Session): Session {
  const copy = {} as Record<string, unknown>;
  for (const key of Object.keys(session)) {
    if (key !== 'turns') copy[key] = cloneJson((session as unknown as Record<string, unknown>)[key]);
  }
  for (const turn of session.turns) if (!Object.isFrozen(turn)) Object.freeze(turn);
  copy.turns = session.turns.slice();
  return copy as unknown as Session;
}

/**
 * A deep copy of plain JSON data (what a session is, so that Redis can hold it): objects, arrays
 * and primitives; undefined properties are kept as they are. A few times faster than
 * structuredClone on objects this small, which pays for its generality with serialisation.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = cloneJson((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Replaces one turn record with a copy carrying the feedback (records are frozen; see copySession). False if no such turn. */
export function setTurnFeedback(session: Session, turnNumber: number, feedback: NonNullable<TurnRecord['feedback']>): boolean {
  const index = session.turns.findIndex((t) => t.turn === turnNumber);
  if (index < 0) return false;
  session.turns[index] = { ...session.turns[index]!, feedback };
  return true;
}

export function newSession(id: string, now = new Date()): Session {
  const at = now.toISOString();
  return { id, createdAt: at, updatedAt: at, turns: [], turnCount: 0 };
}

/** Where sessions live: memory by default, Redis when configured. */
export interface SessionStore {
  readonly kind: string;
  get(id: string): Promise<Session | undefined>;
  save(session: Session): Promise<void>;
  /** Number of live sessions (approximate for shared stores). */
  size(): Promise<number>;
  close(): Promise<void>;
  /** For stores with a shared backend: this instance's own copy of a session. */
  localCopy?(id: string): Promise<Session | undefined>;
  /** For stores with a shared backend: whether it answers, and what waits to be written back. */
  health?(): { store: string; sharedAvailable: boolean; pendingWriteBack: number };
}

export interface MemoryStoreOptions {
  maxSessions: number;
  ttlSeconds: number;
  /** Most turns kept per session. */
  maxTurns?: number;
  now?: () => number;
}

/**
 * Bounded in-memory store with a TTL. A Map keeps insertion order, so re-inserting on every save
 * makes the first key the least recently used one: eviction is O(1).
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory';
  private readonly map = new Map<string, { session: Session; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: MemoryStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(id: string): Promise<Session | undefined> {
    const hit = this.map.get(id);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.map.delete(id);
      return undefined;
    }
    return copySession(hit.session);
  }

  async save(session: Session): Promise<void> {
    const maxTurns = this.options.maxTurns ?? 50;
    const stored = copySession(session);
    if (stored.turns.length > maxTurns) stored.turns = stored.turns.slice(-maxTurns);
    this.map.delete(session.id);
    this.map.set(session.id, { session: stored, expires: this.now() + this.options.ttlSeconds * 1000 });
    while (this.map.size > this.options.maxSessions) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  async size(): Promise<number> {
    return this.map.size;
  }

  async close(): Promise<void> {
    this.map.clear();
  }
}
