import type { TurnEvent } from '../dialogue/chat-engine.js';
import { recordFromTurn, storedSessionId, withFeedback, type RecordSettings, type ReviewRecord } from './review-record.js';
import type { ReviewStore } from './review-store.js';

export interface ReviewRecorderOptions extends RecordSettings {
  store: ReviewStore;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Writes queued at most; beyond it a turn is not recorded (a store that hangs must not grow memory). */
  maxPending?: number;
  /** Called for each record that could not be written or was dropped. */
  onLost?: () => void;
}

/**
 * Records every chat turn for the operator review, off the turn's own path: `record` queues the
 * write and returns at once, and a failing store (Redis down) costs a log line per outage, never
 * a user's answer. Writes of one session run one after another, so a rating always lands on its
 * turn; different sessions do not wait for each other.
 */
export class ReviewRecorder {
  private readonly chains = new Map<string, Promise<void>>();
  private pending = 0;
  private failing = false;

  constructor(private readonly options: ReviewRecorderOptions) {}

  get store(): ReviewStore {
    return this.options.store;
  }

  /** Queues the record of a finished turn. Never throws: the user's answer does not depend on it. */
  record(event: TurnEvent): void {
    const record = this.build(event);
    if (record) void this.enqueue(record.sessionId, () => this.options.store.save(record));
  }

  private build(event: TurnEvent): ReviewRecord | undefined {
    try {
      return recordFromTurn(
        {
          record: event.record,
          intent: event.intent,
          answeredBy: event.answeredBy,
          ...(event.modelFallback ? { modelFallback: event.modelFallback } : {}),
        },
        this.options,
      );
    } catch (err) {
      this.lost(err);
      return undefined;
    }
  }

  /** Puts a user's rating (and comment) on the recorded turn; a turn that was not recorded is left alone. */
  feedback(input: { sessionId: string; turn: number; rating: 'up' | 'down'; comment?: string }): Promise<void> {
    const at = new Date().toISOString();
    const sessionId = storedSessionId(input.sessionId);
    return this.enqueue(sessionId, async () => {
      const record = await this.options.store.get(sessionId, input.turn);
      if (!record) return;
      await this.options.store.save(withFeedback(record, { rating: input.rating, at, ...(input.comment ? { comment: input.comment } : {}) }));
    });
  }

  /** Resolves once every queued write has been tried and what was saved is written. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
    await this.options.store.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.options.store.close();
  }

  private enqueue(sessionId: string, write: () => Promise<void>): Promise<void> {
    if (this.pending >= (this.options.maxPending ?? 1000)) {
      this.lost(new Error('too many review writes queued'));
      return Promise.resolve();
    }
    this.pending += 1;
    const run: Promise<void> = (this.chains.get(sessionId) ?? Promise.resolve())
      .then(write)
      .then(
        () => {
          if (this.failing) this.options.log.info({ store: this.options.store.kind }, 'review store: writing again');
          this.failing = false;
        },
        (err: unknown) => this.lost(err),
      )
      .finally(() => {
        this.pending -= 1;
        if (this.chains.get(sessionId) === run) this.chains.delete(sessionId);
      });
    this.chains.set(sessionId, run);
    return run;
  }

  private lost(err: unknown): void {
    this.options.onLost?.();
    if (this.failing) return;
    this.failing = true;
    this.options.log.warn({ err, store: this.options.store.kind }, 'review store: a turn was not recorded');
  }
}
