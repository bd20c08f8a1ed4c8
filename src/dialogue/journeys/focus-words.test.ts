import { describe, expect, it } from 'vitest';
import { saysWord } from './focus-words.js';

describe('a narrower question read by its words', () => {
  it('finds a plain word anywhere in the message', () => {
    expect(saysWord('能加急吗', '加急')).toBe(true);
    expect(saysWord('能快点吗', '加急')).toBe(false);
  });

  it('finds words joined by "+" in their order, whatever stands between them', () => {
    expect(saysWord('那个余额大概哪天能到账啊', '余额+到账')).toBe(true);
    expect(saysWord('余额到账', '余额+到账')).toBe(true);
    expect(saysWord('到账了吗 余额还剩多少', '余额+到账')).toBe(false);
    expect(saysWord('卡里的钱什么时候能到', '余额+到账')).toBe(false);
  });
});
