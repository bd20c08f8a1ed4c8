import { describe, expect, it } from 'vitest';
import { turnSchema, type Turn } from './case-schema.js';
import type { ChatExchange } from './chat-client.js';
import { checkTurn, normaliseSlotValue } from './check-turn.js';

const turn = (fields: Record<string, unknown>): Turn => turnSchema.parse({ user: '问题', ...fields });

function reply(fields: Record<string, unknown> = {}, status = 200): ChatExchange {
  const json = {
    sessionId: 's',
    reply: '',
    intent: 'transfer',
    slots: {},
    needs: [],
    citations: [],
    figures: [],
    toolCalls: [],
    suggestions: [],
    answeredBy: 'rules',
    ...fields,
  };
  return { status, json, text: JSON.stringify(json), latencyMs: 12 };
}

const ctx = { turn: 1, sent: '问题', userMessages: ['问题'] };

describe('checkTurn', () => {
  it('passes a reply that meets every expectation', () => {
    const result = checkTurn(
      turn({
        intent: 'timeline',
        facts: ['(?<!\\d)10个?工作日', '2026-05-14|(?<![\\d-])05-14'],
        citations: ['timeline-origin-10-working-days'],
        tools: ['transfer_timeline'],
        slots: { acceptedDate: '2026-04-28' },
      }),
      reply({
        intent: 'timeline',
        reply: '转出地须在十个工作日内办完，即2026年5月14日前。',
        slots: { acceptedDate: '2026-04-28' },
        citations: [{ id: 'timeline-origin-10-working-days', title: '转出地10个工作日', source: '医保办发〔2021〕43号', snippet: '…' }],
        figures: [{ text: '2026-05-14', source: 'tool:transfer_timeline' }],
        toolCalls: [{ name: 'transfer_timeline', input: {}, output: { stages: [{ name: '转出地', deadline: '2026-05-14', workingDays: 10 }] } }],
      }),
      ctx,
    );
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.facts).toEqual({ expected: 2, matched: 2 });
    expect(result.citations).toEqual({ cited: 1, relevant: 1, expectedHit: true });
  });

  it('does not penalise a reply that explains the superseded 45-day rule', () => {
    const forbidden = [
      '(?<!(旧|老|原|以前|过去|此前|之前|曾|2016|2009|2010|人社|文章|网上|有些|有的|说|称|已)[^。；\\n]{0,30})(全程|整个流程|全流程|总共|一共|合计|最长|最多)[^。；\\n]{0,8}45个?工作日',
    ];
    const explained = checkTurn(
      turn({ forbidden }),
      reply({ reply: '有些文章说每个环节15个工作日、全程45个工作日，那是2016年的旧规程。' }),
      ctx,
    );
    expect(explained.failures.filter((f) => f.includes('禁止'))).toEqual([]);
    const stated = checkTurn(turn({ forbidden }), reply({ reply: '医保转移全程需要45个工作日。' }), ctx);
    expect(stated.failures.some((f) => f.includes('禁止'))).toBe(true);
  });

  it('catches a forbidden claim written with Chinese numerals', () => {
    const result = checkTurn(turn({ forbidden: ['(?<!\\d)250(?!\\d)'] }), reply({ reply: '每月约二百五十元。' }), ctx);
    expect(result.passed).toBe(false);
  });

  it('reports unbacked figures and accepts those from the user and the tool outputs', () => {
    const result = checkTurn(
      turn({}),
      reply({
        reply: '断缴4个月，按基数5000元、费率7.5%计算，需补缴1500元，另加滞纳金300元。',
        toolCalls: [{ name: 'arrears', input: {}, output: { amount: { total: 1500 } } }],
      }),
      { turn: 1, sent: 'x', userMessages: ['断缴4个月，基数5000，费率7.5%'] },
    );
    expect(result.unbacked.map((f) => f.value)).toEqual(['300']);
    expect(result.passed).toBe(false);
  });

  it('never takes the response’s own figures list as backing: it is read off the reply', () => {
    const result = checkTurn(turn({}), reply({ reply: '全程需要47个工作日。', figures: [{ text: '47个工作日', source: 'tool:transfer_timeline' }] }), ctx);
    expect(result.unbacked.map((f) => f.value)).toEqual(['47']);
  });

  it('reports a date with a wrong weekday and a stage limit said of the wrong stage', () => {
    const toolCalls = [{ name: 'transfer_timeline', input: {}, output: { stages: [{ name: '转出地办理', deadline: '2027-01-04', workingDays: 10 }, { name: '转入地办理', workingDays: 5 }] } }];
    const weekday = checkTurn(turn({}), reply({ reply: '最晚2027年1月4日（周二）办完。', toolCalls }), ctx);
    expect(weekday.unbacked.map((f) => f.raw)).toEqual(['2027年1月4日（周二']);
    const swapped = checkTurn(turn({}), reply({ reply: '转出地5个工作日、转入地10个工作日。', toolCalls }), ctx);
    expect(swapped.unbacked).toHaveLength(2);
    const right = checkTurn(turn({}), reply({ reply: '转出地10个工作日、转入地5个工作日，最晚2027年1月4日（周一）。', toolCalls }), ctx);
    expect(right.unbacked).toEqual([]);
  });

  it('reports internal text in a reply', () => {
    const result = checkTurn(turn({}), reply({ reply: '工具 arrears 返回 undefined。请在国家医保服务平台App查询。' }), ctx);
    expect(result.internalText).toEqual(['arrears', 'undefined']);
    expect(result.passed).toBe(false);
  });

  it('counts figures in cited titles, sources and snippets as backed', () => {
    const result = checkTurn(
      turn({}),
      reply({
        reply: '依据社会保险法第86条，按日加收万分之五。',
        citations: [{ id: 'late-fee-employer-art86', title: '滞纳金', source: '社会保险法 第八十六条', snippet: '按日加收0.05%的滞纳金' }],
      }),
      ctx,
    );
    expect(result.unbacked).toEqual([]);
  });

  it('computes citation precision from expected and also-relevant ids', () => {
    const result = checkTurn(
      turn({ citations: ['a-entry'], alsoRelevant: ['b-entry'] }),
      reply({
        citations: ['a-entry', 'b-entry', 'c-entry'].map((id) => ({ id, title: 't', source: 's', snippet: 'x' })),
      }),
      ctx,
    );
    expect(result.citations).toEqual({ cited: 3, relevant: 2, expectedHit: true });
    expect(result.passed).toBe(true);
  });

  it('fails when none of the acceptable citations is cited', () => {
    const result = checkTurn(turn({ citations: ['a-entry'] }), reply(), ctx);
    expect(result.passed).toBe(false);
    expect(result.citations).toEqual({ cited: 0, relevant: 0, expectedHit: false });
  });

  it('compares place slots by their short names', () => {
    const result = checkTurn(
      turn({ slots: { fromCity: '烟台', toCity: '恩施', insuranceType: 'employee', retired: true } }),
      reply({ slots: { fromCity: '烟台市', toCity: '恩施土家族苗族自治州', insuranceType: 'employee', retired: true } }),
      ctx,
    );
    expect(result.slots).toEqual({ expected: 4, matched: 4 });
  });

  it('accepts a municipality in the province slot', () => {
    const result = checkTurn(turn({ slots: { fromCity: '北京' } }), reply({ slots: { fromProvince: '北京市' } }), ctx);
    expect(result.passed).toBe(true);
  });

  it('accepts alias names and alternatives in needs', () => {
    const ok = checkTurn(turn({ needs: ['toCity', 'base|ratePercent'] }), reply({ needs: ['toProvince', 'ratePercent'] }), ctx);
    expect(ok.passed).toBe(true);
    const missing = checkTurn(turn({ needs: ['insuranceType'] }), reply({ needs: ['toCity'] }), ctx);
    expect(missing.passed).toBe(false);
  });

  it('checks a bad-input turn by status and a Chinese error message', () => {
    const expect400 = turn({ status: 400 });
    const good = { status: 400, json: { error: { code: 'EMPTY_MESSAGE', message: '消息内容不能为空' } }, text: '', latencyMs: 1 };
    expect(checkTurn(expect400, good, ctx).passed).toBe(true);
    const english = { ...good, json: { error: { code: 'X', message: 'Bad Request' } } };
    expect(checkTurn(expect400, english, ctx).passed).toBe(false);
    const crash = { status: 500, json: { error: { code: 'INTERNAL', message: '服务器内部错误' } }, text: '', latencyMs: 1 };
    expect(checkTurn(expect400, crash, ctx).failures).toContain('服务端错误 HTTP 500');
  });

  it('fails a response that breaks the contract', () => {
    const result = checkTurn(turn({}), { status: 200, json: { reply: 'x' }, text: '{"reply":"x"}', latencyMs: 1 }, ctx);
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toMatch(/接口约定/);
  });
});

describe('normaliseSlotValue', () => {
  it('strips administrative suffixes', () => {
    expect(normaliseSlotValue('苏州市')).toBe('苏州');
    expect(normaliseSlotValue('江苏省')).toBe('江苏');
    expect(normaliseSlotValue('新疆维吾尔自治区')).toBe('新疆');
  });
});
