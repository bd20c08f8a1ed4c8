import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  type StageLimits,
  createTransferTimelineTool,
  loadStageLimits,
  stageLimitsSchema,
  supersededTotalWorkingDays,
  transferTimeline,
} from './transfer-timeline.js';
import { type Calendar, loadCalendar } from './working-days.js';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (DomainError.isInstance(err)) return err;
    throw err;
  }
  throw new Error('expected a DomainError, none was thrown');
}

let calendar: Calendar;
let limits: StageLimits;
beforeAll(() => {
  calendar = loadCalendar();
  limits = loadStageLimits();
});

const stage = (timeline: ReturnType<typeof transferTimeline>, id: string) => timeline.stages.find((s) => s.id === id)!;

describe('stage-limits table', () => {
  it('holds the current national limits of 医保办发〔2021〕43号', () => {
    const byId = Object.fromEntries(limits.current.stages.map((s) => [s.id, s]));
    expect(byId['transfer-out']).toMatchObject({ workingDays: 10, who: '转出地医保经办机构' });
    expect(byId['transfer-in']).toMatchObject({ workingDays: 5, who: '转入地医保经办机构' });
    expect(byId['balance-credit']).toMatchObject({ workingDays: null });
    for (const s of limits.current.stages)
      expect(s.source).toMatchObject({ docNumber: '医保办发〔2021〕43号', issuer: '国家医保局办公室 财政部办公厅', date: '2021-11-01' });
  });

  it('keeps the superseded procedure so the "45 working days" claim can be explained', () => {
    expect(limits.superseded.stages.map((s) => s.workingDays)).toEqual([15, 15, 15]);
    expect(supersededTotalWorkingDays(limits)).toBe(45);
    expect(limits.superseded.documents.map((d) => d.source.docNumber)).toEqual(['人社厅发〔2016〕94号', '人社险中心函〔2010〕58号']);
    expect(limits.superseded.documents[0]!.inForceFrom).toBe('2016-09-01');
  });

  it('rejects a table that drops a stage the timeline needs or sets no limit for transfer-out', () => {
    const missing = structuredClone(limits);
    missing.current.stages = missing.current.stages.filter((s) => s.id !== 'transfer-in');
    expect(stageLimitsSchema.safeParse(missing).success).toBe(false);

    const noLimit = structuredClone(limits);
    noLimit.current.stages[0]!.workingDays = null;
    expect(stageLimitsSchema.safeParse(noLimit).success).toBe(false);
  });
});

describe('transfer timeline', () => {
  it('crosses Labour Day 2026 and counts the make-up Saturday', () => {
    // Accepted Tue 2026-04-28; counting starts the next day.
    // Origin, 10 WD: 04-29 (1), 04-30 (2), [05-01..05-05 劳动节 off], 05-06 (3), 05-07 (4), 05-08 (5),
    //   Sat 05-09 make-up (6), [Sun 05-10 off], 05-11 (7), 05-12 (8), 05-13 (9), 05-14 (10) → 2026-05-14.
    // Destination, worst case 5 WD after the origin's deadline: 05-15 (1), [05-16/17 weekend],
    //   05-18 (2), 05-19 (3), 05-20 (4), 05-21 (5) → 2026-05-21.
    const t = transferTimeline({ acceptedDate: '2026-04-28' }, calendar, limits);
    expect(stage(t, 'transfer-out')).toMatchObject({ deadline: '2026-05-14', workingDays: 10, countedFrom: '2026-04-28' });
    expect(stage(t, 'transfer-in')).toMatchObject({ deadline: '2026-05-21', workingDays: 5, countedFrom: '2026-05-14' });
    expect(t.latest).toBe('2026-05-21');
    expect(t.notes.join('\n')).toContain('最晚情况');
    expect(t.notes.join('\n')).toContain('劳动节 2026-05-01 至 2026-05-05');
  });

  it('counts the destination from the day the 信息表 was received when it is known', () => {
    // 信息表 received Fri 2026-05-08: Sat 05-09 make-up (1), 05-11 (2), 05-12 (3), 05-13 (4), 05-14 (5).
    const t = transferTimeline({ acceptedDate: '2026-04-28', infoSheetReceivedDate: '2026-05-08' }, calendar, limits);
    expect(stage(t, 'transfer-in')).toMatchObject({ deadline: '2026-05-14', countedFrom: '2026-05-08' });
    expect(stage(t, 'transfer-out').deadline).toBe('2026-05-14');
    expect(t.latest).toBe('2026-05-14');
    expect(t.notes.join('\n')).not.toContain('最晚情况');
    expect(t.notes.join('\n')).toContain('2026-05-08');
  });

  it('accepts a 信息表 received on the day of acceptance', () => {
    // Thu 2026-03-05 → 03-06 (1), 03-09 (2), 03-10 (3), 03-11 (4), 03-12 (5).
    const t = transferTimeline({ acceptedDate: '2026-03-05', infoSheetReceivedDate: '2026-03-05' }, calendar, limits);
    expect(t.latest).toBe('2026-03-12');
  });

  it('sets no deadline for crediting the balance and says to ask the destination', () => {
    const t = transferTimeline({ acceptedDate: '2026-04-28' }, calendar, limits);
    expect(stage(t, 'balance-credit')).toMatchObject({ deadline: null, workingDays: null, countedFrom: null });
    const note = t.notes.find((n) => n.includes('个人账户余额'));
    expect(note).toContain('未规定时限');
    expect(note).toContain('转入地');
    expect(t.notes.join('\n')).toContain('更快');
  });

  it('cites 医保办发〔2021〕43号 for every stage and the holiday notice for the calendar', () => {
    const t = transferTimeline({ acceptedDate: '2025-12-24' }, calendar, limits);
    for (const s of t.stages) {
      expect(s.basis.source.docNumber).toBe('医保办发〔2021〕43号');
      expect(s.basis).toMatchObject({ scope: 'national', confidence: 'official' });
    }
    // Accepted 2025-12-24, deadlines in January 2026: both years' notices are cited.
    expect(t.calendarBasis.map((b) => b.source.docNumber)).toEqual(['国办发明电〔2024〕12号', '国办发明电〔2025〕7号']);
  });

  it('reads the limits from the table: changing workingDays changes the deadlines', () => {
    const faster = structuredClone(limits);
    faster.current.stages.find((s) => s.id === 'transfer-out')!.workingDays = 8;
    faster.current.stages.find((s) => s.id === 'transfer-in')!.workingDays = 3;
    // 8 WD from 2026-04-28 → 05-12 (see the hand count above); 3 WD more → 05-13, 05-14, 05-15.
    const t = transferTimeline({ acceptedDate: '2026-04-28' }, calendar, faster);
    expect(stage(t, 'transfer-out')).toMatchObject({ deadline: '2026-05-12', workingDays: 8 });
    expect(stage(t, 'transfer-in')).toMatchObject({ deadline: '2026-05-15', workingDays: 3 });
    expect(t.latest).toBe('2026-05-15');
  });

  it('computes a crediting deadline if the table ever sets one', () => {
    const withCredit = structuredClone(limits);
    withCredit.current.stages.find((s) => s.id === 'balance-credit')!.workingDays = 5;
    const t = transferTimeline({ acceptedDate: '2026-04-28' }, calendar, withCredit);
    // Worst case: the balance leaves on the origin's deadline 05-14; 5 WD later is 05-21.
    expect(stage(t, 'balance-credit')).toMatchObject({ deadline: '2026-05-21', countedFrom: '2026-05-14' });
  });

  it('rejects a 信息表 date before the acceptance date with a 400', () => {
    const err = errorOf(() =>
      transferTimeline({ acceptedDate: '2026-04-28', infoSheetReceivedDate: '2026-04-27' }, calendar, limits),
    );
    expect([err.code, err.status]).toEqual(['BAD_REQUEST', 400]);
    expect(err.message).toContain('早于');
  });

  it.each([
    [{ acceptedDate: '2023-12-20' }, 'DATE_OUT_OF_RANGE', 422],
    [{ acceptedDate: '2027-12-24' }, 'DATE_OUT_OF_RANGE', 422], // the 10 WD run past 2027, the last provisional year
    [{ acceptedDate: '2027-12-01', infoSheetReceivedDate: '2028-01-04' }, 'DATE_OUT_OF_RANGE', 422],
    [{ infoSheetReceivedDate: '2027-12-28' }, 'DATE_OUT_OF_RANGE', 422],
    [{ acceptedDate: '2026-02-30' }, 'INVALID_DATE', 400],
  ] as const)('refuses %j with %s', (input, code, status) => {
    const err = errorOf(() => transferTimeline(input, calendar, limits));
    expect([err.code, err.status]).toEqual([code, status]);
  });
});

describe('transfer timeline into a year without a holiday notice', () => {
  it('gives both deadlines from 2026-12-20, each marked provisional, with the reason', () => {
    // Origin, 10 WD: 12-21..12-25 (5), 12-28..12-31 (9), [2027-01-01 元旦], 01-04 (10).
    // Destination, 5 WD after 01-04: 01-05, 01-06, 01-07, 01-08, 01-11.
    const t = transferTimeline({ acceptedDate: '2026-12-20' }, calendar, limits);
    expect(stage(t, 'transfer-out')).toMatchObject({ deadline: '2027-01-04', provisional: true });
    expect(stage(t, 'transfer-in')).toMatchObject({ deadline: '2027-01-11', provisional: true });
    expect(stage(t, 'balance-credit')).toMatchObject({ deadline: null, provisional: false });
    expect(t).toMatchObject({ latest: '2027-01-11', provisional: true, provisionalReason: '2027年的放假调休安排还没公布，暂按法定节假日推算，实际可能相差几天。' });
    expect(t.notes.join('\n')).toContain('元旦 2027-01-01');
    expect(t.calendarBasis.map((b) => b.source.docNumber ?? b.source.title)).toEqual(['国办发明电〔2025〕7号', '全国年节及纪念日放假办法']);
  });

  it('marks only the stage that runs into 2027', () => {
    // Accepted 2026-12-15: origin 12-29 (inside the 2026 notice); destination 12-30, 12-31, 01-04, 01-05, 01-06.
    const t = transferTimeline({ acceptedDate: '2026-12-15' }, calendar, limits);
    expect(stage(t, 'transfer-out')).toMatchObject({ deadline: '2026-12-29', provisional: false });
    expect(stage(t, 'transfer-in')).toMatchObject({ deadline: '2027-01-06', provisional: true });
    expect(t.provisional).toBe(true);
  });

  it('is not provisional inside the notice years', () => {
    const t = transferTimeline({ acceptedDate: '2026-12-01' }, calendar, limits);
    expect(t.latest).toBe('2026-12-22');
    expect(t.provisional).toBe(false);
    expect(t.stages.every((s) => !s.provisional)).toBe(true);
    expect(t).not.toHaveProperty('provisionalReason');
  });

  it('counts a 2027 acceptance across the Spring Festival on the statutory days only (no 调休)', () => {
    // Accepted Mon 2027-02-01: 02-02..02-04 (3), [02-05 除夕 .. 02-08 初三 off], 02-09..02-12 (7), 02-15..02-17 (10).
    const t = transferTimeline({ acceptedDate: '2027-02-01' }, calendar, limits);
    expect(stage(t, 'transfer-out')).toMatchObject({ deadline: '2027-02-17', provisional: true });
    expect(t.notes.join('\n')).toContain('春节 2027-02-05 至 2027-02-08');
  });

  it('marks the destination-only timeline too', () => {
    const t = transferTimeline({ infoSheetReceivedDate: '2026-12-28' }, calendar, limits);
    expect(t).toMatchObject({ latest: '2027-01-05', provisional: true });
  });
});

describe('transfer_timeline tool', () => {
  it('is exposed as transfer_timeline on the transfer-timeline route and runs the timeline', () => {
    const tool = createTransferTimelineTool(calendar, limits);
    expect([tool.name, tool.route]).toEqual(['transfer_timeline', 'transfer-timeline']);
    expect(tool.description).toContain('10 个工作日');
    const out = tool.run(tool.input.parse({ acceptedDate: '2026-04-28' }));
    expect(out.latest).toBe('2026-05-21');
    expect(out.stages.map((s) => s.name)).toEqual(['转出地办理转出', '转入地办理转入', '个人账户余额记入']);
  });

  it('rejects input without an acceptance date or with a malformed date', () => {
    const tool = createTransferTimelineTool(calendar, limits);
    expect(tool.input.safeParse({}).success).toBe(false);
    expect(tool.input.safeParse({ acceptedDate: '2026年4月28日' }).success).toBe(false);
    expect(tool.input.safeParse({ acceptedDate: '2026-04-28', infoSheetReceivedDate: '5月8日' }).success).toBe(false);
  });
});
