import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReviewStore, REVIEW_FILE_NAME } from './file-review-store.js';
import { testRecord } from './test-records.js';
import { DAY_MS } from './review-store.js';

const scratch = mkdtempSync(join(tmpdir(), 'review-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(scratch, `d${++dirs}`);

const NOW = Date.parse('2026-12-06T02:00:00.000Z');


const open = (dir: string, extra: Partial<Parameters<typeof FileReviewStore.open>[0]> = {}) =>
  FileReviewStore.open({ dir, retentionDays: 30, maxRecords: 1000, now: () => NOW, ...extra });

describe('the local review store', () => {
  it('keeps records across a close and a reopen, the last save of a turn winning', async () => {
    const dir = freshDir();
    const first = await open(dir);
    await first.save(testRecord('a', 1, NOW - 3000));
    await first.save(testRecord('a', 2, NOW - 2000, ['out_of_scope']));
    await first.save(testRecord('b', 1, NOW - 1000, ['low_confidence']));
    await first.save({ ...testRecord('a', 2, NOW - 2000, ['thumbs_down', 'out_of_scope']), rating: 'down', comment: '没用' });
    await first.close();

    const second = await open(dir);
    expect((await second.get('a', 2))?.comment).toBe('没用');
    const flagged = await second.flagged({ sinceMs: 0, untilMs: NOW }, 10);
    expect(flagged.map((r) => `${r.sessionId}:${r.turn}`)).toEqual(['b:1', 'a:2']);
    expect((await second.turns('a', 0, 5)).map((r) => r.turn)).toEqual([1, 2]);
    await second.close();
    // Compacted at start-up: one line per live record.
    expect(readFileSync(join(dir, REVIEW_FILE_NAME), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('drops records past retention and beyond its count, oldest first', async () => {
    const dir = freshDir();
    const store = await open(dir, { retentionDays: 7, maxRecords: 3 });
    await store.save(testRecord('old', 1, NOW - 8 * DAY_MS, ['out_of_scope']));
    expect(await store.get('old', 1)).toBeUndefined();
    for (let turn = 1; turn <= 4; turn++) await store.save(testRecord('c', turn, NOW - (10 - turn) * 1000));
    expect((await store.turns('c', 1, 4)).map((r) => r.turn)).toEqual([2, 3, 4]);
    await store.close();

    // A later start with a shorter retention forgets what has aged out since.
    const later = await open(dir, { retentionDays: 7, maxRecords: 3, now: () => NOW + 7 * DAY_MS });
    expect(await later.turns('c', 1, 4)).toEqual([]);
    await later.close();
    expect(readFileSync(join(dir, REVIEW_FILE_NAME), 'utf8')).toBe('');
  });

  it('rewrites the file once superseded lines outnumber the live records', async () => {
    const dir = freshDir();
    const store = await open(dir, { maxRecords: 10 });
    for (let i = 0; i < 1100; i++) await store.save({ ...testRecord('x', 1, NOW - 1000), comment: `第${i}次` });
    await store.close();
    const lines = readFileSync(join(dir, REVIEW_FILE_NAME), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(1100);
    expect(JSON.parse(lines.at(-1)!).comment).toBe('第1099次');
  });

  it('skips a truncated or foreign line instead of refusing to start', async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.save(testRecord('a', 1, NOW - 1000, ['out_of_scope']));
    await store.close();
    appendFileSync(join(dir, REVIEW_FILE_NAME), '{"sessionId":"a","turn":2,"at":\n');
    const warnings: string[] = [];
    const reopened = await open(dir, { log: { warn: (_obj, msg) => warnings.push(msg) } });
    expect((await reopened.flagged({ sinceMs: 0, untilMs: NOW }, 10)).map((r) => r.turn)).toEqual([1]);
    expect(warnings).toEqual(['review store: unreadable lines skipped']);
    await reopened.close();
  });

  it('refuses to start on a data directory it cannot write, naming it', async () => {
    const blocker = freshDir();
    writeFileSync(blocker, 'a file where the directory should be');
    await expect(open(join(blocker, 'data'))).rejects.toThrow(/复核记录目录 DATA_DIR=.*data 无法读写/);
  });

  it('opened read-only, reads without writing (the export command beside a running service)', async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.save(testRecord('a', 1, NOW - 1000, ['out_of_scope']));
    await store.close();
    const before = readFileSync(join(dir, REVIEW_FILE_NAME), 'utf8');
    const reader = await open(dir, { readOnly: true });
    await reader.save(testRecord('a', 2, NOW, ['out_of_scope']));
    expect((await reader.flagged({ sinceMs: 0, untilMs: NOW }, 10)).map((r) => r.turn)).toEqual([1]);
    await reader.close();
    expect(readFileSync(join(dir, REVIEW_FILE_NAME), 'utf8')).toBe(before);
  });
});
