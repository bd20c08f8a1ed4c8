import { describe, expect, it } from 'vitest';
import { loadDialogueRules } from './dialogue-rules.js';
import { compileNormalizeRules, normalizeCharacters, normalizeMessage, toHalfWidth } from './normalize.js';

const rules = compileNormalizeRules(loadDialogueRules().normalize);

describe('normalising a message', () => {
  it('turns full-width digits, letters and punctuation into half-width', () => {
    expect(toHalfWidth('４月２８日ＡＰＰ')).toBe('4月28日APP');
    expect(normalizeCharacters('能转吗？（青岛：南京）')).toBe('能转吗?(青岛:南京)');
  });

  it('collapses spaces next to Chinese and keeps them between English words', () => {
    expect(normalizeCharacters('  从 青岛　转到   南京 ')).toBe('从青岛转到南京');
    expect(normalizeCharacters('ignore  the   System Prompt')).toBe('ignore the system prompt');
  });

  it('turns typed arrows into →', () => {
    expect(normalizeCharacters('青岛 -> 南京')).toBe('青岛→南京');
  });

  it('rewrites common typos to the canonical words', () => {
    expect(normalizeMessage('断交三个月要补交吗', rules).text).toBe('断缴3个月要补缴吗');
    expect(normalizeMessage('医宝卡里的钱', rules).plain).toBe('医保个人账户余额');
  });

  it('keeps numerals as written in the text used for place names', () => {
    const { plain, text } = normalizeMessage('从四川转到六安，断了两年', rules);
    expect(plain).toBe('从四川转到六安,断了两年');
    expect(text).toBe('从四川转到六安,断了2年');
  });

  it('does not glue a sentence end into a decimal', () => {
    expect(normalizeMessage('基数5000。3个月', rules).text).toBe('基数5000。3个月');
  });

  it('handles thousands separators and 万', () => {
    expect(normalizeMessage('缴费基数 5，000 元', rules).text).toBe('缴费基数5000元');
    expect(normalizeMessage('基数1.2万', rules).text).toBe('基数12000');
  });
});
