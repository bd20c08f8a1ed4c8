import { beforeAll, describe, expect, it } from 'vitest';
import { checkFigures, userProvenance, userQuantitiesOf } from '../../src/dialogue/figure-guard.js';
import { sourcedProvenance } from '../../src/dialogue/guard/sources.js';
import type { ToolCallRecord } from '../../src/dialogue/response.js';
import { loadEntries } from '../../src/knowledge/load.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { createArrearsTool } from '../../src/tools/arrears.js';
import { createTransferTimelineTool, loadStageLimits } from '../../src/tools/transfer-timeline.js';
import { loadCalendar } from '../../src/tools/working-days.js';
import type { Provenance } from '../../src/dialogue/guard/provenance.js';

/**
 * Hand-written replies a model could produce in one realistic turn, checked against what that turn
 * really had: the real timeline and arrears tools, the real knowledge entries the answer cites, and
 * the user's own message (which repeats two web-article myths). Every invented reply must be
 * rejected; the faithful ones must pass.
 */

const USER =
  '我的转移申请2026年4月28日受理的，之前断了4个月，基数5000，费率7.5%。网上说要45个工作日，还有人说等待期要12个月？打12333行吗';
const CITED = [
  'timeline-origin-10-working-days',
  'timeline-destination-5-working-days',
  'continuity-gap-up-to-3-months',
  'continuity-waiting-up-to-6-months',
  'hotline-12393-medical-insurance',
  'late-fee-employer-art86',
  'resident-waiting-fixed-3-months',
  'law-social-insurance-art32-years-cumulate',
];

let sets: Provenance[];
beforeAll(() => {
  const entries = new Map(loadEntries().map((e) => [e.id, e]));
  const cited = CITED.map((id) => entries.get(id)).filter((e): e is KnowledgeEntry => e !== undefined);
  expect(cited).toHaveLength(CITED.length);
  const timeline = createTransferTimelineTool(loadCalendar(), loadStageLimits());
  const arrears = createArrearsTool();
  const employee = { insuranceType: 'employee' as const, gapMonths: 4, aroundTransfer: true, base: 5000, rate: 7.5 };
  const resident = { insuranceType: 'resident' as const, gapYears: 2 };
  const calls: ToolCallRecord[] = [
    { name: 'transfer_timeline', input: { acceptedDate: '2026-04-28' }, output: timeline.run({ acceptedDate: '2026-04-28' }) },
    { name: 'arrears', input: employee, output: arrears.run(employee) },
    { name: 'arrears', input: resident, output: arrears.run(resident) },
  ];
  sets = sourcedProvenance(calls, cited, userProvenance(userQuantitiesOf(USER))).map((s) => s.prov);
});

const invented: Array<[string, string]> = [
  ['the user’s 45 working days stated as the rule', '转移一共需要45个工作日。'],
  ['the same in Chinese numerals', '全程最长四十五个工作日。'],
  ['the same without 个', '整个流程要四十五工作日才能办完。'],
  ['stage limits swapped', '转出地5个工作日内办完，转入地10个工作日内办完。'],
  ['stage limits swapped in a list', '转出地5、转入地10个工作日。'],
  ['destination given the origin’s limit', '转入地收到信息表后10个工作日内办结。'],
  ['origin given the destination’s deadline', '转出地最晚2026年5月21日办完。'],
  ['destination given the origin’s deadline', '转入地最晚2026年5月14日办完。'],
  ['a deadline one day off', '转出地最晚2026年5月15日办完。'],
  ['a right date with a wrong weekday', '转出地最晚2026年5月14日（周五）办完。'],
  ['a month-day with a wrong weekday', '转入地最晚5月21日（星期三）办完。'],
  ['working days as months', '转出地10个月内办完。'],
  ['working days as calendar days', '转出地受理后10天内办完。'],
  ['working days as natural days', '转出地受理后10个自然日内办完。'],
  ['months as working days', '等待期最长6个工作日。'],
  ['the user’s 12 months stated as the cap', '等待期最长12个月。'],
  ['the user’s 12 months as a year', '等待期最长一年。'],
  ['an invented cap', '等待期最长7个月。'],
  ['an invented cap in Chinese', '等待期最长九个月。'],
  ['the user’s gap stated as the rule', '断缴不超过4个月的可以补缴。'],
  ['an invented back-payment threshold', '断缴在5个月以内的都能补缴。'],
  ['a wrong amount', '补缴金额1600元。'],
  ['a wrong amount in Chinese', '补缴金额为一千六百元。'],
  ['a wrong amount in receipt numerals', '补缴金额为壹仟陆佰元。'],
  ['a wrong amount with a separator', '补缴金额为1,600元。'],
  ['a wrong amount in 万', '补缴金额约1.6万元。'],
  ['an invented late fee on top', '按基数5000元、费率7.5%计算，4个月共需1500元，另加滞纳金200元。'],
  ['a wrong rate', '费率按8%计算。'],
  ['a late fee ten times too high', '滞纳金每天0.5%。'],
  ['a late fee as 千分之五', '滞纳金每天千分之五。'],
  ['a late fee as 万分之三', '滞纳金按日加收万分之三。'],
  ['the user’s hotline repeated as the answer', '可以打12333咨询医保转移。'],
  ['an invented hotline', '请拨打12395医保服务热线。'],
  ['a wrong document number', '依据医保办发〔2021〕44号办理。'],
  ['a wrong year in a document number', '依据国办发〔2023〕38号。'],
  ['a wrong article', '依据社会保险法第三十三条。'],
  ['a wrong destination deadline', '转出地最晚2026年5月14日办完，转入地最晚2026年5月28日办完。'],
  ['a wrong fixed waiting period', '居民医保固定等待期为2个月。'],
  ['a wrong variable waiting period', '固定等待期3个月，每断一年再加两个月。'],
  ['an invented total', '全程不超过20个工作日。'],
  ['an invented origin limit in Chinese', '转入地5个工作日内办结，转出地在受理后十五个工作日内办结。'],
  ['an invented start year', '这个规定从2019年起执行。'],
  ['an origin deadline given as the destination’s', '转入地最晚在2026年5月14日前办结。'],
  ['a stage start given as a deadline', '转出地最晚2026年4月28日办完。'],
  ['an invented age limit', '60岁以上的人员不能转移。'],
  ['an invented retiree credit', '退休人员个人账户每月划入2%左右。'],
  ['an invented half-year', '断缴一年半以上就不能补缴了。'],
];

const faithful: Array<[string, string]> = [
  ['both deadlines with their weekdays', '转出地最晚2026年5月14日（周四）办完，转入地最晚2026年5月21日（周四）办完。'],
  ['both limits in their roles', '转出地10个工作日、转入地5个工作日。'],
  ['the user’s case echoed and the tool’s amount', '按您给的基数5000元、费率7.5%，断缴4个月，补缴1500元。'],
  ['the waiting-period cap as 半年', '断缴超过3个月的，等待期最长不超过半年。'],
  ['the hotline', '具体可以拨打12393咨询。'],
  ['the law and its article', '依据社会保险法第三十二条，缴费年限累计计算。'],
  ['the late fee', '滞纳金按日加收万分之五，由用人单位承担。'],
  ['the acceptance date echoed', '您的申请是2026年4月28日受理的。'],
];

describe('figure guard on replies a model could invent in one realistic turn', () => {
  it(`has at least 40 invented replies in the table (${invented.length})`, () => {
    expect(invented.length).toBeGreaterThanOrEqual(40);
  });

  it.each(invented)('rejects %s: %s', (_what, reply) => {
    const result = checkFigures(reply, sets);
    expect(result.ok, `should be rejected: ${reply}`).toBe(false);
  });

  it.each(faithful)('accepts %s: %s', (_what, reply) => {
    const result = checkFigures(reply, sets);
    expect(result.unbacked.map((u) => `${u.raw} (${u.reason})`)).toEqual([]);
  });
});

describe('figure guard when the cited entries themselves mention a refuted claim or an old rule', () => {
  let withCorrections: Provenance[];
  beforeAll(() => {
    const entries = new Map(loadEntries().map((e) => [e.id, e]));
    const cited = ['correction-45-working-days', 'history-2016-procedure-45-days', 'timeline-origin-10-working-days'].map((id) => entries.get(id)!);
    withCorrections = sourcedProvenance([], cited, userProvenance(userQuantitiesOf('网上说要45个工作日，每个环节15个工作日？'))).map((s) => s.prov);
  });

  it.each([
    ['the refuted total as today’s rule', '医保转移全程最长45个工作日。'],
    ['the refuted total in Chinese numerals', '转移一共要四十五个工作日。'],
    ['the old per-stage limit as today’s rule', '每个环节15个工作日内办结。'],
  ])('rejects %s: %s', (_what, reply) => {
    expect(checkFigures(reply, withCorrections).ok).toBe(false);
  });

  it.each([
    ['the claim reported as a web claim', '网上说的45个工作日是旧规定，现在转出地10个工作日内办结。'],
    ['the old limit reported as old', '以前的经办规程是每个环节15个工作日，已不适用。'],
  ])('accepts %s: %s', (_what, reply) => {
    expect(checkFigures(reply, withCorrections).unbacked.map((u) => `${u.raw} (${u.reason})`)).toEqual([]);
  });
});
