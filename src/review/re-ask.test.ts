import { describe, expect, it } from 'vitest';
import { bigramSimilarity, isReAsk } from './re-ask.js';

describe('re-asked questions', () => {
  it('sees the same question asked again with filler words and punctuation', () => {
    expect(isReAsk('医保转移要多久', '医保转移到底要多久？')).toBe(true);
    expect(isReAsk('我的医保余额能从烟台转到苏州吗？', '请问 医保余额能从烟台转到苏州吗')).toBe(true);
  });

  it('does not take a different question for a repeat', () => {
    expect(isReAsk('医保转移要多久', '转移要带什么材料')).toBe(false);
    expect(isReAsk('断缴三个月怎么补缴', '个人账户的钱能取出来吗')).toBe(false);
  });

  it('ignores short answers, which repeat naturally ("是的", "职工医保")', () => {
    expect(isReAsk('是的', '是的')).toBe(false);
    expect(isReAsk('职工医保', '职工医保')).toBe(false);
  });

  it('measures bigram overlap from 0 to 1', () => {
    expect(bigramSimilarity('转移要多久', '转移要多久')).toBe(1);
    expect(bigramSimilarity('转移要多久', '天气怎么样')).toBe(0);
  });
});
