import { describe, expect, it } from 'vitest';
import { chinaTime, csvCell, reviewCsv } from './review-csv.js';
import type { ReviewItem } from './review-query.js';

describe('review CSV', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 does', () => {
    expect(csvCell('普通文字')).toBe('普通文字');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('他说"不对"')).toBe('"他说""不对"""');
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvCell(undefined)).toBe('');
  });

  it('never lets a cell run as a spreadsheet formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a BOM, a Chinese header and one row per turn in China time', () => {
    const item: ReviewItem = {
      sessionId: 's-1',
      turn: 3,
      at: '2026-12-05T02:00:00.000Z',
      question: '讲个笑话',
      reply: '抱歉，这个问题不在我的回答范围内。',
      intent: 'out_of_scope',
      reason: 'out_of_scope',
      reasons: ['thumbs_down', 'out_of_scope'],
      rating: 'down',
      comment: '不好笑',
      citations: ['scope-what-we-cover'],
      entries: [{ id: 'scope-what-we-cover', file: 'knowledge/entries/scope/scope-what-we-cover.md' }],
      confidence: 0.67,
      understoodIntent: 'out_of_scope',
      answeredBy: 'rules',
      corrected: [],
      reAsked: false,
      slots: {},
      needs: [],
      context: [],
    };
    const csv = reviewCsv([item]);
    expect(csv.startsWith('\uFEFF时间,会话,轮次,原因')).toBe(true);
    const [, row] = csv.slice(1).split('\r\n');
    expect(row).toBe(
      '2026-12-05 10:00:00,s-1,3,超出范围,点踩；超出范围,out_of_scope,0.67,没帮助,不好笑,讲个笑话,抱歉，这个问题不在我的回答范围内。,scope-what-we-cover,knowledge/entries/scope/scope-what-we-cover.md,,',
    );
    expect(chinaTime('2026-12-31T16:30:00.000Z')).toBe('2027-01-01 00:30:00');
  });
});
