import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProvenance, checkFigures, extractFigures } from './figure-guard.js';

/** 1234 → 一千二百三十四 (the way people write it: 十五, not 一十五). */
function chinese(n: number): string {
  const digits = '零一二三四五六七八九';
  if (n === 0) return '零';
  const parts: string[] = [];
  const units = ['', '十', '百', '千'];
  const section = (x: number): string => {
    let out = '';
    let zero = false;
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(x / 10 ** i) % 10;
      if (d === 0) {
        zero = out !== '';
        continue;
      }
      if (zero) out += '零';
      zero = false;
      out += digits[d]! + units[i]!;
    }
    return out;
  };
  if (n >= 10_000) {
    parts.push(`${section(Math.floor(n / 10_000))}万`);
    const rest = n % 10_000;
    if (rest > 0) parts.push((rest < 1000 ? '零' : '') + section(rest));
  } else parts.push(section(n));
  return parts.join('').replace(/^一十/, '十');
}

/** 250 → 贰佰伍拾 (the numerals of receipts and contracts). */
const financial = (n: number) => chinese(n).replace(/[一二三四五六七八九十百千万]/g, (c) => '壹贰叁肆伍陆柒捌玖拾佰仟萬'['一二三四五六七八九十百千万'.indexOf(c)]!);

const WEEKDAYS = '日一二三四五六';
const isoOf = (d: Date) => d.toISOString().slice(0, 10);

describe('figure guard', () => {
  describe('reading figures as people write them', () => {
    it('matches a Chinese-form date against the ISO date a tool returned', () => {
      const prov = buildProvenance({ toolOutputs: [{ deadline: '2026-05-15' }] });
      expect(checkFigures('最晚在2026年5月15日办完。', prov).ok).toBe(true);
      expect(checkFigures('最晚5月15日。', prov).ok).toBe(true);
      expect(checkFigures('最晚2026年5月16日。', prov).ok).toBe(false);
      expect(checkFigures('最晚5月16号。', prov).ok).toBe(false);
    });

    it('treats full-width digits, thousands separators and Chinese quantities as the same figure', () => {
      const prov = buildProvenance({ snippets: ['转出地10个工作日内办结，等待期不超过6个月。'], toolOutputs: [{ total: 1500 }] });
      expect(checkFigures('转出地１０个工作日内办结。', prov).ok).toBe(true);
      expect(checkFigures('共需1,500元。', prov).ok).toBe(true);
      expect(checkFigures('等待期最长六个月。', prov).ok).toBe(true);
      expect(checkFigures('等待期最长半年。', prov).ok).toBe(true);
      expect(checkFigures('等待期最长七个月。', prov).ok).toBe(false);
    });

    it('reads 万分之五 as 0.05 % and 百分之七点五 as 7.5 %', () => {
      const prov = buildProvenance({ snippets: ['按日加收万分之五的滞纳金'], toolOutputs: [{ ratePercent: 7.5 }] });
      expect(checkFigures('滞纳金每日0.05%。', prov).ok).toBe(true);
      expect(checkFigures('滞纳金每日0.5%。', prov).ok).toBe(false);
      expect(checkFigures('费率按百分之七点五计。', prov).ok).toBe(true);
    });

    it('reads durations in years as months: 两年 = 2年 = 24个月, 一年半 = 18个月', () => {
      const prov = buildProvenance({ toolOutputs: [{ gapYears: 2, waitingMonths: 18 }] });
      expect(checkFigures('断保两年。', prov).ok).toBe(true);
      expect(checkFigures('断保24个月。', prov).ok).toBe(true);
      expect(checkFigures('等待期一年半。', prov).ok).toBe(true);
      expect(checkFigures('断保三年。', prov).ok).toBe(false);
    });

    it('ignores words where a Chinese numeral is not a quantity', () => {
      expect(extractFigures('可以一次性支取，全国统一办理，一般情况下一起办，最后一天也算')).toEqual([]);
    });

    it('reads article numbers and document numbers as such', () => {
      expect(extractFigures('社会保险法第三十二条').map((f) => [f.unit, f.value])).toEqual([['article', '条32']]);
      const prov = buildProvenance({ snippets: ['医保办发〔2021〕43号第十三条'] });
      expect(checkFigures('依据医保办发〔2021〕43号第十三条。', prov).ok).toBe(true);
      expect(checkFigures('依据医保办发〔2021〕44号。', prov).ok).toBe(false);
      expect(checkFigures('依据第十四条。', prov).ok).toBe(false);
    });

    it('lets the user’s own figures back an echo of their case', () => {
      const prov = buildProvenance({ userMessages: ['断缴4个月，基数5000，费率7.5%'] });
      expect(checkFigures('按您给的基数5000元和费率7.5%计算，断缴4个月。', prov).ok).toBe(true);
    });
  });

  describe('property: a figure is backed only by the same value in the same unit', () => {
    const units: Array<[string, string]> = [
      ['workingDays', '个工作日'],
      ['waitingMonths', '个月'],
      ['total', '元'],
      ['ratePercent', '%'],
    ];
    it('rejects a value a tool gave in one unit when the reply states it in another', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(...units), fc.constantFrom(...units), (n, [field], [, replyUnit]) => {
          const sourceUnit = units.find(([f]) => f === field)![1];
          fc.pre(sourceUnit !== replyUnit);
          const prov = buildProvenance({ toolOutputs: [{ [field]: n }] });
          expect(checkFigures(`按规定是${n}${sourceUnit}。`, prov).ok).toBe(true);
          expect(checkFigures(`按规定是${n}${replyUnit}。`, prov).ok).toBe(false);
        }),
        { numRuns: 400 },
      );
    });

    it('rejects any integer that no source holds, in any unit', () => {
      const prov = buildProvenance({
        toolOutputs: [{ deadline: '2026-05-12', workingDays: 10 }],
        snippets: ['转入地在收到信息表后5个工作日内办结。'],
        userMessages: ['2026年4月28日受理的'],
      });
      const known = new Set(['10', '5', '2026', '12', '28', '4']);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom('个工作日', '元', '个月', '天', '%', ''), (n, unit) => {
          fc.pre(!known.has(String(n)));
          expect(checkFigures(`根据规定，需要${n}${unit}才能办完。`, prov).ok).toBe(false);
        }),
        { numRuns: 500 },
      );
    });

    it('rejects any date that no source holds, in either written form', () => {
      const prov = buildProvenance({ toolOutputs: [{ deadline: '2026-05-15' }] });
      fc.assert(
        fc.property(fc.date({ min: new Date('2024-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }), fc.boolean(), (d, inChinese) => {
          const iso = isoOf(d);
          fc.pre(iso !== '2026-05-15');
          const [y, m, day] = iso.split('-');
          const text = inChinese ? `${y}年${Number(m)}月${Number(day)}日` : iso;
          expect(checkFigures(`最晚${text}`, prov).ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('property: Chinese numerals of every common form are the numbers they name', () => {
    it('backs 四十五个工作日 by 45 working days and by nothing else', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 99_999 }), fc.constantFrom('个工作日', '工作日', '个月', '元', '天'), (n, unit) => {
          const field = unit.includes('工作日') ? 'workingDays' : unit === '个月' ? 'months' : unit === '元' ? 'total' : undefined;
          const snippet = field ? undefined : `规定${n}${unit}内办结`;
          const right = buildProvenance(field ? { toolOutputs: [{ [field]: n }] } : { snippets: [snippet!] });
          const wrong = buildProvenance(field ? { toolOutputs: [{ [field]: n + 1 }] } : { snippets: [`规定${n + 1}${unit}内办结`] });
          const reply = `需要${chinese(n)}${unit}。`;
          expect(checkFigures(reply, right).ok).toBe(true);
          expect(checkFigures(reply, wrong).ok).toBe(false);
        }),
        { numRuns: 400 },
      );
    });

    it('reads a count that starts like a service number (12300天) as that count, not a hotline', () => {
      const right = buildProvenance({ snippets: ['规定12300天内办结'] });
      expect(checkFigures('需要一万二千三百天。', right).ok).toBe(true);
      expect(checkFigures('需要一万二千四百天。', right).ok).toBe(false);
      expect(checkFigures('拨打12393咨询。', buildProvenance({ snippets: ['医保服务热线12393'] })).ok).toBe(true);
    });

    it('reads receipt numerals (贰佰伍拾元) and colloquial amounts (四千五, 1.2万)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 9999 }), (n) => {
          const right = buildProvenance({ toolOutputs: [{ total: n }] });
          const wrong = buildProvenance({ toolOutputs: [{ total: n + 10 }] });
          expect(checkFigures(`共${financial(n)}元`, right).ok).toBe(true);
          expect(checkFigures(`共${financial(n)}元`, wrong).ok).toBe(false);
        }),
        { numRuns: 300 },
      );
      const prov = buildProvenance({ toolOutputs: [{ base: 4500, total: 12000 }] });
      expect(checkFigures('基数四千五元，合计1.2万元', prov).ok).toBe(true);
      expect(checkFigures('基数四千六元', prov).ok).toBe(false);
    });

    it('reads 半年, 一年半 and N年 as the months they are', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 30 }), fc.boolean(), (years, half) => {
          const months = years * 12 + (half ? 6 : 0);
          const prov = buildProvenance({ toolOutputs: [{ totalMonths: months }] });
          const said = `${chinese(years).replace(/^二$/, '两')}年${half ? '半' : ''}`;
          expect(checkFigures(`等待期${said}。`, prov).ok).toBe(true);
          expect(checkFigures(`等待期${said}。`, buildProvenance({ toolOutputs: [{ totalMonths: months + 1 }] })).ok).toBe(false);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('property: a number the user typed never backs a rule', () => {
    it('rejects the user’s own figure stated as the time limit, and accepts it echoed as their case', () => {
      fc.assert(
        fc.property(fc.integer({ min: 11, max: 400 }), (n) => {
          const prov = buildProvenance({ userMessages: [`听说要${n}个工作日？我断了${n}个月`] });
          expect(checkFigures(`转移最长需要${n}个工作日。`, prov).ok).toBe(false);
          expect(checkFigures(`按规定等待期不超过${n}个月。`, prov).ok).toBe(false);
          expect(checkFigures(`您断缴了${n}个月。`, prov).ok).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('property: the two stage limits cannot be swapped', () => {
    it('rejects the origin’s limit given to the destination and the other way round', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom('、', '，', '；'), (origin, destination, sep) => {
          fc.pre(origin !== destination);
          const stages = [
            { name: '转出地办理', workingDays: origin },
            { name: '转入地办理', workingDays: destination },
          ];
          const prov = buildProvenance({ toolOutputs: [{ stages }] });
          expect(checkFigures(`转出地${origin}个工作日${sep}转入地${destination}个工作日。`, prov).ok).toBe(true);
          expect(checkFigures(`转出地${destination}个工作日${sep}转入地${origin}个工作日。`, prov).ok).toBe(false);
          expect(checkFigures(`转出地${destination}${sep === '、' ? '、' : '，'}转入地${origin}个工作日。`, prov).ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('property: dates are checked with their weekday', () => {
    it('accepts a date with its own weekday and rejects it with any other', () => {
      fc.assert(
        fc.property(fc.date({ min: new Date('2024-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 6 }), (d, shift) => {
          const iso = isoOf(d);
          const prov = buildProvenance({ toolOutputs: [{ deadline: iso }] });
          const [y, m, day] = iso.split('-').map(Number);
          const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
          const right = WEEKDAYS[weekday]!;
          const wrong = WEEKDAYS[(weekday + shift) % 7]!;
          expect(checkFigures(`最晚${y}年${m}月${day}日（周${right}）`, prov).ok).toBe(true);
          expect(checkFigures(`最晚${y}年${m}月${day}日（周${wrong}）`, prov).ok).toBe(false);
          expect(checkFigures(`最晚${m}月${day}日（星期${wrong}）`, prov).ok).toBe(false);
          expect(checkFigures(`最晚${m}月${day}日（星期${right}）`, prov).ok).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });
});
