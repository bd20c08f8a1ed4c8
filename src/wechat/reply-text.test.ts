import { describe, expect, it } from 'vitest';
import { MORE_POINTER, REPLY_MAX_BYTES, WECHAT_TEXT_LIMIT_BYTES, cutAtSentence, fitReply, utf8Bytes } from './reply-text.js';

describe('wechat reply text', () => {
  it('stays under WeChat’s 2,048-byte limit', () => {
    expect(REPLY_MAX_BYTES).toBeLessThan(WECHAT_TEXT_LIMIT_BYTES);
  });

  it('sends a short reply whole with one short citation line', () => {
    const fitted = fitReply('可以转。', { citationSource: '《基本医疗保险关系转移接续暂行办法》 第2条；《另一份文件》' });
    expect(fitted).toEqual({ content: '可以转。\n\n依据：《基本医疗保险关系转移接续暂行办法》 第2条', remainder: '' });
  });

  it('cuts a long reply at a sentence end under the byte limit and points to the rest', () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `第${i}句说明医保关系转移接续的一个要点！`);
    const reply = sentences.join('');
    expect(utf8Bytes(reply)).toBeGreaterThan(REPLY_MAX_BYTES);
    const fitted = fitReply(reply, { citationSource: '出处' });
    expect(utf8Bytes(fitted.content)).toBeLessThanOrEqual(REPLY_MAX_BYTES);
    expect(fitted.content.endsWith(MORE_POINTER)).toBe(true);
    const shown = fitted.content.slice(0, -MORE_POINTER.length).trimEnd();
    expect(shown.endsWith('！')).toBe(true);
    expect(shown + fitted.remainder).toBe(reply);
    expect(fitted.content).not.toContain('依据：');
    // The next page carries the citation.
    expect(fitReply(fitted.remainder, { citationSource: '出处' }).content.endsWith('依据：出处')).toBe(true);
  });

  it('cuts on line breaks and falls back to a character boundary when no sentence ends', () => {
    expect(cutAtSentence('第一行\n第二行很长很长', 14)).toEqual({ head: '第一行\n', tail: '第二行很长很长' });
    const { head } = cutAtSentence('没有句号的很长一段话'.repeat(50), 100);
    expect(utf8Bytes(head)).toBeLessThanOrEqual(100);
    expect(head).not.toContain('\uFFFD');
    expect(head.length).toBe(33);
  });

  it('ends an answer that left something out with the offer line, after the citation line', () => {
    const fitted = fitReply('能转。', { citationSource: '《暂行办法》', offer: '回复“详细”查看更多' });
    expect(fitted).toEqual({ content: '能转。\n\n依据：《暂行办法》\n回复“详细”查看更多', remainder: '' });
    expect(fitReply('能转。', { offer: '回复“详细”查看更多' }).content).toBe('能转。\n\n回复“详细”查看更多');
  });

  it('keeps the offer over the citation line when only one fits', () => {
    const offer = '回复“详细”查看更多'; // 30 bytes
    const reply = '好。'.repeat(320); // 1,920 bytes
    expect(fitReply(reply, { citationSource: '很长的出处名称很长的出处名称', offer }).content).toBe(`${reply}\n\n${offer}`);
  });

  it('pages an answer whose offer does not fit beside it, so the offer is never dropped', () => {
    const offer = '回复“详细”查看更多';
    const reply = '好。'.repeat(330); // 1,980 bytes: fits alone, not with the offer
    const first = fitReply(reply, { citationSource: '出处', offer });
    expect(first.content.endsWith(MORE_POINTER)).toBe(true);
    expect(utf8Bytes(first.content)).toBeLessThanOrEqual(REPLY_MAX_BYTES);
    const last = fitReply(first.remainder, { citationSource: '出处' });
    expect(last.remainder).toBe('');
    expect(last.content).toContain(offer);
    expect(last.content.endsWith('依据：出处')).toBe(true);
    expect((first.content.slice(0, -MORE_POINTER.length) + last.content).replace(/\s/g, '')).toBe(`${reply}${offer}依据：出处`);
  });

  it('drops the citation line when it would not fit', () => {
    const reply = '好。'.repeat(330); // 1,980 bytes
    expect(fitReply(reply, { citationSource: '很长的出处名称' }).content).toBe(reply);
  });
});
