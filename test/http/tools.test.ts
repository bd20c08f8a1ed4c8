import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChinese, postJson, startApp, type RunningApp } from '../helpers/app.js';

let server: RunningApp;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => server.close());

const tool = (route: string, body: unknown, raw = false) => postJson(`${server.url}/v1/tools/${route}`, body, raw);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- error bodies are arbitrary JSON
function expectChineseError(res: { status: number; body: any }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.body.error).toBeDefined();
  if (code) expect(res.body.error.code).toBe(code);
  expect(isChinese(res.body.error.message)).toBe(true);
}

describe('POST /v1/tools/working-days', () => {
  it('adds 10 working days to 2026-04-28 across 劳动节 and the make-up Saturday', async () => {
    const res = await tool('working-days', { op: 'add', start: '2026-04-28', days: 10 });
    expect(res.status).toBe(200);
    // 04-29, 04-30, 05-06, 05-07, 05-08, 05-09 (Sat, make-up), 05-11, 05-12, 05-13, 05-14
    expect(res.body.result.date).toBe('2026-05-14');
  });

  it('counts working days, the from day excluded and the to day included', async () => {
    const res = await tool('working-days', { op: 'count', from: '2025-09-30', to: '2025-10-09' });
    expect(res.status).toBe(200);
    expect(res.body.result.days).toBe(1);
  });

  it('rejects a date past the provisional year or before the first notice with 422 instead of guessing', async () => {
    expectChineseError(await tool('working-days', { op: 'add', start: '2028-01-04', days: 1 }), 422, 'DATE_OUT_OF_RANGE');
    expectChineseError(await tool('working-days', { op: 'count', from: '2023-12-31', to: '2024-01-05' }), 422, 'DATE_OUT_OF_RANGE');
    const pastEnd = await tool('working-days', { op: 'add', start: '2027-12-25', days: 10 });
    expectChineseError(pastEnd, 422, 'DATE_OUT_OF_RANGE');
    expect(pastEnd.body.error.message).toContain('2024–2027');
  });

  it('answers on both sides of the boundary: 2027-12-31 provisionally, 2028-01-01 with a 422', async () => {
    const last = await tool('working-days', { op: 'check', date: '2027-12-31' });
    expect(last.status).toBe(200);
    expect(last.body.result).toMatchObject({ day: { date: '2027-12-31', working: true }, provisional: true });
    expectChineseError(await tool('working-days', { op: 'check', date: '2028-01-01' }), 422, 'DATE_OUT_OF_RANGE');
    const inNoticeYear = await tool('working-days', { op: 'add', start: '2026-12-25', days: 3 });
    expect(inNoticeYear.body.result).toMatchObject({ date: '2026-12-30', provisional: false });
  });

  it('rejects malformed input with 400 and a Chinese message', async () => {
    expectChineseError(await tool('working-days', { op: 'add', start: '28/04/2026', days: 10 }), 400);
    expectChineseError(await tool('working-days', { op: 'multiply', start: '2026-04-28', days: 10 }), 400);
    expectChineseError(await tool('working-days', { op: 'add', start: '2026-04-28', days: 'ten' }), 400);
    expectChineseError(await tool('working-days', { op: 'add', start: '2026-02-30', days: 1 }), 400);
    expectChineseError(await tool('working-days', '{"op":"add",', true), 400, 'INVALID_JSON');
  });
});

describe('POST /v1/tools/transfer-timeline', () => {
  it('returns both deadlines with their basis, worst case without the 信息表 date', async () => {
    const res = await tool('transfer-timeline', { acceptedDate: '2026-04-28' });
    expect(res.status).toBe(200);
    const stages = res.body.result.stages as { id: string; deadline: string | null; workingDays: number | null; basis: { source: { docNumber?: string } } }[];
    expect(stages.find((s) => s.id === 'transfer-out')?.deadline).toBe('2026-05-14');
    expect(stages.find((s) => s.id === 'transfer-in')?.deadline).toBe('2026-05-21');
    expect(stages.find((s) => s.id === 'balance-credit')?.deadline).toBeNull();
    expect(stages[0]!.basis.source.docNumber).toBe('医保办发〔2021〕43号');
    expect(res.body.result.latest).toBe('2026-05-21');
  });

  it('counts the destination from the day the 信息表 arrived', async () => {
    const res = await tool('transfer-timeline', { acceptedDate: '2026-04-28', infoSheetReceivedDate: '2026-05-08' });
    expect(res.body.result.latest).toBe('2026-05-14');
  });

  it('rejects bad and out-of-range input', async () => {
    expectChineseError(await tool('transfer-timeline', {}), 400);
    expectChineseError(await tool('transfer-timeline', { acceptedDate: '2028-03-01' }), 422, 'DATE_OUT_OF_RANGE');
    expectChineseError(await tool('transfer-timeline', { acceptedDate: '2027-12-24' }), 422, 'DATE_OUT_OF_RANGE');
    expectChineseError(await tool('transfer-timeline', { acceptedDate: '2026-05-08', infoSheetReceivedDate: '2026-05-01' }), 400);
  });
});

describe('POST /v1/tools/resolve-region', () => {
  it('resolves a county-level city to its province and pooling area', async () => {
    const res = await tool('resolve-region', { name: '昆山' });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ name: '昆山市', province: '江苏省', code: '320583', poolingArea: { name: '苏州市' } });
  });

  it('answers 404 with suggestions for an unknown place and 409 with candidates for an ambiguous one', async () => {
    const unknown = await tool('resolve-region', { name: '火星市' });
    expectChineseError(unknown, 404, 'REGION_NOT_FOUND');
    expect(Array.isArray(unknown.body.error.suggestions)).toBe(true);
    const ambiguous = await tool('resolve-region', { name: '朝阳' });
    expectChineseError(ambiguous, 409, 'REGION_AMBIGUOUS');
    expect(ambiguous.body.error.candidates.length).toBeGreaterThan(1);
    expectChineseError(await tool('resolve-region', { name: '' }), 400);
    expectChineseError(await tool('resolve-region', { name: 42 }), 400);
  });
});

describe('POST /v1/tools/transfer-eligibility', () => {
  it('says 烟台 → 苏州 is cross-province and an employee should apply', async () => {
    const res = await tool('transfer-eligibility', { from: '烟台', to: '苏州', insuranceType: 'employee', retired: false });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ movement: 'cross_province', applicability: 'should_apply', transferNeeded: true });
    expect(res.body.result.balance.outcome).toBe('moves_with_relationship');
  });

  it('needs no transfer inside one pooling area and asks for missing facts', async () => {
    const same = await tool('transfer-eligibility', { from: '南京市玄武区', to: '南京市鼓楼区' });
    expect(same.body.result.movement).toBe('same_pooling_area');
    expect(same.body.result.transferNeeded).toBe(false);
    const missing = await tool('transfer-eligibility', { from: '青岛', to: '南京' });
    expect(missing.body.result.needs).toContain('insuranceType');
  });

  it('sends retirees to 异地就医备案 instead of a transfer', async () => {
    const res = await tool('transfer-eligibility', { from: '青岛', to: '南京', insuranceType: 'employee', retired: true });
    expect(res.body.result.applicability).toBe('retiree_filing');
  });

  it('rejects unknown places and bad types', async () => {
    expectChineseError(await tool('transfer-eligibility', { from: '火星市', to: '南京' }), 404, 'REGION_NOT_FOUND');
    expectChineseError(await tool('transfer-eligibility', { from: '青岛', to: '南京', insuranceType: 'gold' }), 400);
  });
});

describe('POST /v1/tools/arrears', () => {
  it('computes months × base × rate only from the figures given', async () => {
    const res = await tool('arrears', { insuranceType: 'employee', gapMonths: 4, base: 5000, rate: 7.5 });
    expect(res.status).toBe(200);
    expect(res.body.result.amount.total).toBe(1500);
    expect(res.body.result.lateFee.who).toBe('employer');
    const noBase = await tool('arrears', { insuranceType: 'employee', gapMonths: 4 });
    expect(noBase.body.result.amount).toBeNull();
  });

  it('gives a 居民医保 waiting period of at least 6 months after a 4-year gap, however much is repaid', async () => {
    const res = await tool('arrears', { insuranceType: 'resident', gapYears: 4, yearsRepaid: 4, place: '青岛' });
    expect(res.body.result.waiting.totalMonths).toBe(6);
    const elsewhere = await tool('arrears', { insuranceType: 'resident', gapYears: 4, yearsRepaid: 4, place: '西安' });
    expect(elsewhere.body.result.benefitsResume).toMatchObject({ waitingMonths: null, minWaitingMonths: 6 });
  });

  it('totals a 居民医保 waiting period only where the counting of gap years is known', async () => {
    const qingdao = await tool('arrears', { insuranceType: 'resident', gapYears: 2, place: '青岛市' });
    expect(qingdao.status).toBe(200);
    expect(qingdao.body.result.waiting).toMatchObject({ countedAs: '青岛市', totalMonths: 4 });
    for (const place of [undefined, '郑州', '广州', '江苏']) {
      const res = await tool('arrears', { insuranceType: 'resident', gapYears: 2, ...(place ? { place } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.result.waiting).toBeNull();
      expect(res.body.result.benefitsResume).toMatchObject({ waitingMonths: null, minWaitingMonths: 3 });
      expect(res.body.result.notes.join('')).toContain('计数方法');
    }
    expectChineseError(await tool('arrears', { insuranceType: 'resident', gapYears: 2, place: '不存在的地方' }), 404);
  });

  it('rejects bad input', async () => {
    expectChineseError(await tool('arrears', { gapMonths: 4 }), 400);
    expectChineseError(await tool('arrears', { insuranceType: 'employee', gapMonths: -1 }), 400);
  });
});

describe('POST /v1/tools/payout-eligibility and /v1/tools/retiree-credit', () => {
  it('never states a payout rule for resettled retirees', async () => {
    const res = await tool('payout-eligibility', { situation: 'resettled_retiree' });
    expect(res.status).toBe(200);
    expect(res.body.result.verdict).not.toMatch(/^yes/);
    const death = await tool('payout-eligibility', { situation: 'death' });
    expect(death.body.result.verdict).toBe('yes_inherited');
    expectChineseError(await tool('payout-eligibility', { situation: 'lottery' }), 400);
  });

  it('gives the national 2 % benchmark and no invented city figure', async () => {
    const res = await tool('retiree-credit', { city: '深圳' });
    expect(res.status).toBe(200);
    expect(res.body.result.percent).toBe(2);
    expect(res.body.result.localFigure).toBeNull();
    expect(JSON.stringify(res.body.result)).not.toContain('250');
    expectChineseError(await tool('retiree-credit', { averagePension: 'lots' }), 400);
  });
});
