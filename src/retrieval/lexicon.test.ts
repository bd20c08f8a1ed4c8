import { describe, expect, it } from 'vitest';
import { getLexicon, Lexicon, lexiconSchema } from './lexicon.js';

describe('lexicon', () => {
  const lexicon = getLexicon();

  it('maps colloquial forms and typos to their concept', () => {
    expect(lexicon.match('医宝断交了怎么补交').concepts).toEqual(expect.arrayContaining(['medical-insurance', 'arrears-gap', 'backpay']));
    expect(lexicon.match('去外地看病怎么报销').concepts).toContain('out-of-area-care');
    expect(lexicon.match('医保卡里的钱能取出来吗').concepts).toEqual(expect.arrayContaining(['personal-account', 'withdraw']));
  });

  it('expands a query with the canonical terms of the knowledge base', () => {
    const { expansions } = lexicon.match('断交了');
    expect(expansions).toEqual(expect.arrayContaining(['断缴', '中断缴费']));
  });

  it('does not treat the pooled fund as the personal account', () => {
    expect(lexicon.match('统筹账户的钱').concepts).not.toContain('personal-account');
  });

  it('rejects a lexicon with duplicate concept ids', () => {
    const bad = { concepts: [{ id: 'a', canonical: 'x' }, { id: 'a', canonical: 'y' }] };
    expect(lexiconSchema.safeParse(bad).success).toBe(false);
  });

  it('matches full-width input after normalisation', () => {
    const small = new Lexicon(lexiconSchema.parse({ concepts: [{ id: 'hotline', canonical: '12393', forms: ['医保电话'] }] }));
    expect(small.match('１２３９３').concepts).toEqual(['hotline']);
  });
});
