import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeRecord, recordKey, type ReviewRecord } from './review-record.js';
import { DAY_MS, type ReviewStore, type TimeRange } from './review-store.js';

export const REVIEW_FILE_NAME = 'review-turns.jsonl';

export interface FileReviewStoreOptions {
  /** The data directory (DATA_DIR); created if missing. */
  dir: string;
  retentionDays: number;
  /** Most records kept; the oldest go first. */
  maxRecords: number;
  /** Read what is there and never write (the export command, while the service may be running). */
  readOnly?: boolean;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void };
}

interface Held {
  record: ReviewRecord;
  atMs: number;
}

/** Lines beyond the live records the file may carry (superseded feedback, expired turns) before it is rewritten. */
const COMPACT_SLACK = 1000;

/**
 * The review store without Redis: every record in memory for listing, and an append-only JSON
 * Lines file under DATA_DIR so that a restart keeps them. A record saved again (feedback) is
 * appended again and the last line wins. The file is rewritten with only the live records at
 * start-up and whenever superseded lines outnumber the live ones, so it stays bounded by
 * retention and count like the memory. A save returns at once; lines saved while a write is
 * under way go out together in the next one, and `flush` waits for them.
 * One process per DATA_DIR: several instances share Redis instead.
 */
export class FileReviewStore implements ReviewStore {
  readonly kind = 'file';
  readonly path: string;
  private readonly held = new Map<string, Held>();
  private readonly now: () => number;
  private handle: FileHandle | undefined;
  private pending: string[] = [];
  private flushing: Promise<void> | undefined;
  private linesOnDisk = 0;
  private closed = false;

  private constructor(private readonly options: FileReviewStoreOptions) {
    this.path = join(options.dir, REVIEW_FILE_NAME);
    this.now = options.now ?? Date.now;
  }

  /** Loads the file (skipping lines that are not records), drops what is past retention, and compacts it. */
  static async open(options: FileReviewStoreOptions): Promise<FileReviewStore> {
    const store = new FileReviewStore(options);
    try {
      await store.load();
      if (!options.readOnly) {
        await mkdir(options.dir, { recursive: true, mode: 0o700 });
        await store.rewrite();
      }
    } catch (err) {
      throw new Error(`复核记录目录 DATA_DIR=${options.dir} 无法读写：${(err as Error).message}`, { cause: err });
    }
    return store;
  }

  private async load(): Promise<void> {
    if (!existsSync(this.path)) return;
    let skipped = 0;
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const record = decodeRecord(line);
      if (record) this.hold(record);
      else skipped += 1;
    }
    if (skipped > 0) this.options.log?.warn({ skipped, file: REVIEW_FILE_NAME }, 'review store: unreadable lines skipped');
    this.prune();
  }

  private hold(record: ReviewRecord): void {
    const atMs = Date.parse(record.at);
    if (Number.isNaN(atMs)) return;
    // Map.set on a key already there keeps its place, so the map stays in the order turns were first saved.
    this.held.set(recordKey(record.sessionId, record.turn), { record, atMs });
  }

  /** Drops records past retention and beyond the count bound, oldest first. */
  private prune(): void {
    const cutoff = this.now() - this.options.retentionDays * DAY_MS;
    for (const [key, { atMs }] of this.held) {
      if (atMs >= cutoff && this.held.size <= this.options.maxRecords) break;
      this.held.delete(key);
    }
  }

  async save(record: ReviewRecord): Promise<void> {
    if (this.closed || this.options.readOnly) return;
    this.hold(record);
    this.prune();
    this.pending.push(`${JSON.stringify(record)}\n`);
    this.kick();
  }

  /** Resolves once every saved line is in the file (the OS has it), so a crash after it loses nothing. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async get(sessionId: string, turn: number): Promise<ReviewRecord | undefined> {
    return this.held.get(recordKey(sessionId, turn))?.record;
  }

  async flagged(range: TimeRange, max: number): Promise<ReviewRecord[]> {
    const out: Held[] = [];
    for (const held of this.held.values()) {
      if (held.record.reasons.length > 0 && held.atMs >= range.sinceMs && held.atMs <= range.untilMs) out.push(held);
    }
    return out
      .sort((a, b) => b.atMs - a.atMs)
      .slice(0, max)
      .map((h) => h.record);
  }

  async turns(sessionId: string, from: number, to: number): Promise<ReviewRecord[]> {
    const out: ReviewRecord[] = [];
    for (let turn = Math.max(1, from); turn <= to; turn++) {
      const held = this.held.get(recordKey(sessionId, turn));
      if (held) out.push(held.record);
    }
    return out;
  }

  /** Writes what is pending, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Starts the write loop unless it is running; a save made while it finishes starts it again. */
  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushPending().finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        this.handle ??= await open(this.path, 'a', 0o600);
        await this.handle.write(batch.join(''));
        this.linesOnDisk += batch.length;
        if (this.linesOnDisk > 2 * this.held.size + COMPACT_SLACK) await this.rewrite();
      } catch (err) {
        this.options.log?.warn({ err, lines: batch.length }, 'review store: write failed; records kept in memory only');
      }
    }
  }

  /** Replaces the file with the live records: written beside it, flushed to disk, then renamed over it. */
  private async rewrite(): Promise<void> {
    const temporary = `${this.path}.tmp`;
    const out = await open(temporary, 'w', 0o600);
    try {
      let chunk = '';
      for (const { record } of this.held.values()) {
        chunk += `${JSON.stringify(record)}\n`;
        if (chunk.length > 1 << 20) {
          await out.write(chunk);
          chunk = '';
        }
      }
      await out.write(chunk);
      await out.sync();
    } finally {
      await out.close();
    }
    await this.handle?.close();
    this.handle = undefined;
    await rename(temporary, this.path);
    this.linesOnDisk = this.held.size;
  }
}
