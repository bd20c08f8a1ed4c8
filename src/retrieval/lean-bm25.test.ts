import { describe, expect, it } from 'vitest';
import { loadEntries } from '../knowledge/load.js';
import { loadLabelledQueries } from '../../eval/retrieval/evaluate.js';
import { analyzeQueryTerms, toBm25Document, type Bm25Document } from './bm25.js';
import { LeanBm25Index } from './lean-bm25.js';
import { groupOfScope } from './region-groups.js';
import { MiniSearchBm25Index } from './minisearch-bm25.js';

const docs: Bm25Document[] = [
  { id: 'gap', title: '断缴不超过3个月可以补缴', keywords: '断交 补交', body: '转移前中断缴费不超过3个月的，可以按转入地规定补缴。' },
  { id: 'hotline', title: '医保问题打12393', keywords: '医保电话 热线', body: '12393是全国医疗保障服务热线。' },
  { id: 'balance', title: '个人账户余额随关系转移', keywords: '医保卡里的钱', body: '职工医保个人账户余额随医保关系划转。' },
];

describe('lean BM25 index', () => {
  it('finds an entry by a colloquial typo through lexicon expansion', () => {
    const index = new LeanBm25Index(docs);
    expect(index.search('断交了能补吗', 3)[0]?.id).toBe('gap');
    expect(index.search('医保卡里的钱怎么办', 3)[0]?.id).toBe('balance');
  });

  it('returns nothing for a query with no known term', () => {
    expect(new LeanBm25Index(docs).search('天气怎么样', 3)).toEqual([]);
  });

  it('scores exactly like the MiniSearch reference on small documents', () => {
    const lean = new LeanBm25Index(docs);
    const reference = new MiniSearchBm25Index(docs);
    for (const q of ['断交三个月怎么补缴', '医保电话是多少', '余额转移']) {
      const a = lean.search(q, 3);
      const b = reference.search(q, 3);
      expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
      a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i]!.score, 9));
    }
  });

  it('ranks the same top ids as MiniSearch on every evaluation query over the real entries', () => {
    const entries = loadEntries().map(toBm25Document);
    const lean = new LeanBm25Index(entries);
    const reference = new MiniSearchBm25Index(entries);
    const queries = loadLabelledQueries();
    expect(queries.length).toBeGreaterThanOrEqual(120);
    for (const { q } of queries) {
      const terms = analyzeQueryTerms(q);
      const a = lean.searchTerms(terms, 10);
      const b = reference.searchTerms(terms, 10);
      expect(a.map((h) => h.id), q).toEqual(b.map((h) => h.id));
    }
  });

  it('searches within region groups exactly as an index of only those entries would', () => {
    const entries = loadEntries();
    const groups = entries.map((e) => groupOfScope(e.scope));
    const index = new LeanBm25Index(entries.map(toBm25Document), undefined, groups);
    const whole = new LeanBm25Index(entries.map(toBm25Document));
    const wanted = [...new Set(groups)].filter((g) => g === 'national' || g.includes('320000') || g.includes('320100'));
    const only = new LeanBm25Index(entries.filter((_, i) => wanted.includes(groups[i]!)).map(toBm25Document));
    expect(wanted.length).toBeGreaterThan(2);
    for (const { q } of loadLabelledQueries()) {
      const terms = analyzeQueryTerms(q);
      const got = index.searchTerms(terms, 10, wanted);
      const expected = only.searchTerms(terms, 10);
      expect(got.map((h) => h.id), q).toEqual(expected.map((h) => h.id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 9));
      // Over every group it is the plain index.
      expect(index.searchTerms(terms, 10), q).toEqual(whole.searchTerms(terms, 10).map((h) => ({ id: h.id, score: expect.closeTo(h.score, 9) })));
    }
  });

  it('finds nothing in a group it does not have', () => {
    const index = new LeanBm25Index(docs, undefined, ['a', 'b', 'a']);
    expect(index.searchTerms(analyzeQueryTerms('医保电话'), 3, ['nowhere'])).toEqual([]);
    expect(index.searchTerms(analyzeQueryTerms('12393'), 3, ['b']).map((h) => h.id)).toEqual(['hotline']);
    expect(index.searchTerms(analyzeQueryTerms('12393'), 3, ['a'])).toEqual([]);
  });

  it('answers the same from its snapshot', () => {
    const index = new LeanBm25Index(docs, undefined, ['a', 'b', 'b']);
    const copy = new LeanBm25Index(structuredClone(index.snapshot()));
    for (const q of ['断交三个月怎么补缴', '医保电话是多少', '余额转移']) {
      expect(copy.search(q, 3)).toEqual(index.search(q, 3));
      expect(copy.searchTerms(analyzeQueryTerms(q), 3, ['b'])).toEqual(index.searchTerms(analyzeQueryTerms(q), 3, ['b']));
    }
  });
});
