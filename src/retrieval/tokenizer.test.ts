import { describe, expect, it } from 'vitest';
import { normalizeText, segmentForSearch, segmentWords } from './tokenizer.js';

describe('tokenizer', () => {
  it('keeps domain words from knowledge/jieba-dict.txt whole', () => {
    const words = segmentWords('统筹区内换工作要办转移接续吗，先查待遇等待期和集中参保期');
    expect(words).toEqual(expect.arrayContaining(['统筹区', '转移接续', '待遇等待期', '集中参保期']));
  });

  it('drops stop words and punctuation but keeps domain single characters', () => {
    const words = segmentWords('我的医保余额能从青岛转到南京吗？');
    expect(words).not.toContain('的');
    expect(words).not.toContain('吗');
    expect(words).not.toContain('？');
    expect(words).toContain('医保');
    expect(words).toContain('余额');
  });

  it('folds full-width characters and upper case', () => {
    expect(normalizeText('打１２３９３问ＡＰＰ')).toBe('打12393问app');
    expect(segmentForSearch('１２３９３')).toEqual(['12393']);
  });

  it('writes small Chinese counts before a time unit as digits', () => {
    expect(normalizeText('断交三个月，断了两年，十五个工作日，半年')).toBe('断交3个月,断了2年,15个工作日,6个月');
    expect(normalizeText('一次性支取')).toBe('一次性支取');
  });

  it('also yields the sub-words of long words in search mode', () => {
    expect(segmentForSearch('个人账户余额')).toEqual(expect.arrayContaining(['个人账户', '账户', '余额']));
  });
});
