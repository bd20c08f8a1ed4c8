import { describe, expect, it } from 'vitest';
import { Dedupe, dedupeKey } from './dedupe.js';

describe('wechat retry dedupe', () => {
  it('runs the work once for concurrent and later callers with the same key', async () => {
    const dedupe = new Dedupe<string>();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 'answer';
    };
    const first = dedupe.run('msg:1', work);
    const second = dedupe.run('msg:1', work);
    expect(second.shared).toBe(true);
    expect(await Promise.all([first.result, second.result])).toEqual(['answer', 'answer']);
    expect(await dedupe.run('msg:1', work).result).toBe('answer');
    expect(runs).toBe(1);
  });

  it('forgets failures so that a retry runs again', async () => {
    const dedupe = new Dedupe<string>();
    await expect(dedupe.run('k', async () => Promise.reject(new Error('boom'))).result).rejects.toThrow('boom');
    expect(await dedupe.run('k', async () => 'ok').result).toBe('ok');
  });

  it('expires entries after the TTL and evicts the least recently used beyond the bound', async () => {
    let clock = 0;
    const dedupe = new Dedupe<number>({ ttlMs: 1000, max: 2, now: () => clock });
    let runs = 0;
    const work = async () => ++runs;
    await dedupe.run('a', work).result;
    clock = 999;
    expect(await dedupe.run('a', work).result).toBe(1);
    clock = 2100;
    expect(await dedupe.run('a', work).result).toBe(2);
    await dedupe.run('b', work).result;
    await dedupe.run('c', work).result;
    expect(dedupe.size).toBe(2);
    expect(dedupe.run('a', work).shared).toBe(false);
  });

  it('keys messages by MsgId and events by sender and CreateTime', () => {
    const base = { toUser: 'gh', fromUser: 'oU', createTime: '1700000000' };
    expect(dedupeKey({ ...base, kind: 'text', content: 'x', msgId: '123' })).toBe('msg:123');
    expect(dedupeKey({ ...base, kind: 'event', event: 'subscribe' })).toBe('evt:oU:1700000000:subscribe');
    expect(dedupeKey({ ...base, kind: 'event', event: 'unsubscribe' })).toBe('evt:oU:1700000000:unsubscribe');
    expect(dedupeKey({ ...base, kind: 'voice', recognition: '' })).toBe('evt:oU:1700000000:voice');
  });
});
