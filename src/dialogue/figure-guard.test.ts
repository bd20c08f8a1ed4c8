import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProvenance, checkFigures, chineseNumeralToNumber, extractFigures } from './figure-guard.js';

describe('figure guard', () => {
  describe('normalisation', () => {
    it('reads Chinese numerals', () => {
      expect(chineseNumeralToNumber('十五')).toBe(15);
      expect(chineseNumeralToNumber('三十二')).toBe(32);
      expect(chineseNumeralToNumber('一千五百')).toBe(1500);
      expect(chineseNumeralToNumber('两万')).toBe(20000);
      expect(chineseNumeralToNumber('零')).toBe(0);
    });

    it('matches a Chinese-form date against the ISO date a tool returned', () => {
      const prov = buildProvenance({ toolOutputs: [{ deadline: '2026-05-15' }] });
      expect(checkFigures('转出地最晚在2026年5月15日办完。', prov).ok).toBe(true);
      expect(checkFigures('最晚5月15日。', prov).ok).toBe(true);
      expect(checkFigures('最晚2026年5月16日。', prov).ok).toBe(false);
      expect(checkFigures('最晚5月16号。', prov).ok).toBe(false);
    });

    it('treats full-width digits, thousands separators and Chinese quantities as the same figure', () => {
      const prov = buildProvenance({ snippets: ['转出地10个工作日内办结，等待期不超过6个月。'], toolOutputs: [{ total: 1500 }] });
      expect(checkFigures('转出地１０个工作日内办结。', prov).ok).toBe(true);
      expect(checkFigures('共需1,500元。', prov).ok).toBe(true);
      expect(checkFigures('等待期最长六个月。', prov).ok).toBe(true);
      expect(checkFigures('等待期最长七个月。', prov).ok).toBe(false);
    });

    it('reads 万分之五 as 0.05 %', () => {
      const prov = buildProvenance({ snippets: ['按日加收万分之五的滞纳金'] });
      expect(checkFigures('滞纳金每日0.05%。', prov).ok).toBe(true);
      expect(checkFigures('滞纳金每日0.5%。', prov).ok).toBe(false);
    });

    it('ignores words where a Chinese numeral is not a quantity', () => {
      expect(extractFigures('可以一次性支取，全国统一办理，一般情况下')).toEqual([]);
    });

    it('counts article numbers written in Chinese', () => {
      const figures = extractFigures('社会保险法第三十二条');
      expect(figures.map((f) => f.value)).toEqual(['32']);
    });

    it('backs numbers the user typed', () => {
      const prov = buildProvenance({ userMessages: ['断缴4个月，基数5000，费率7.5%'] });
      expect(checkFigures('按您给的基数5000元和费率7.5%计算，4个月。', prov).ok).toBe(true);
    });
  });

  describe('property: a number outside the provenance set is always rejected', () => {
    it('rejects any integer that no source holds', () => {
      const prov = buildProvenance({
        toolOutputs: [{ deadline: '2026-05-12', workingDays: 10 }],
        snippets: ['转入地在收到信息表后5个工作日内办结。'],
        userMessages: ['2026年4月28日受理的'],
      });
      const known = new Set(['10', '5', '2026', '12', '28', '4']);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom('个工作日', '元', '个月', '天', '%', ''), (n, unit) => {
          fc.pre(!known.has(String(n)));
          const reply = `根据规定，需要${n}${unit}才能办完。`;
          expect(checkFigures(reply, prov).ok).toBe(false);
        }),
        { numRuns: 500 },
      );
    });

    it('rejects any decimal amount that no source holds, whatever its formatting', () => {
      const prov = buildProvenance({ toolOutputs: [{ total: 1500, ratePercent: 7.5 }] });
      fc.assert(
        fc.property(fc.integer({ min: 1000, max: 9_999_999 }), fc.boolean(), (n, withComma) => {
          fc.pre(n !== 1500);
          const text = withComma ? n.toLocaleString('en-US') : String(n);
          expect(checkFigures(`补缴金额为${text}元`, prov).ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });

    it('rejects any date that no source holds, in either written form', () => {
      const prov = buildProvenance({ toolOutputs: [{ deadline: '2026-05-15' }] });
      fc.assert(
        fc.property(fc.date({ min: new Date('2024-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }), fc.boolean(), (d, chinese) => {
          const iso = d.toISOString().slice(0, 10);
          fc.pre(iso !== '2026-05-15');
          const [y, m, day] = iso.split('-');
          const text = chinese ? `${y}年${Number(m)}月${Number(day)}日` : iso;
          expect(checkFigures(`最晚${text}`, prov).ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });

    it('accepts any number that a source does hold', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
          const prov = buildProvenance({ toolOutputs: [{ value: n }] });
          expect(checkFigures(`结果是${n}。`, prov).ok).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  });
});
