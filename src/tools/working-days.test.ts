import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { loadTable } from '../knowledge/load.js';
import { projectRoot } from '../paths.js';
import { type CalendarTable, calendarTableSchema } from './calendar-table.js';
import { rulesForYear, statutoryDays } from './statutory-holidays.js';
import { type Calendar, createCalendar, createWorkingDaysTool, loadCalendar, packageHasYear } from './working-days.js';

/** Every day from `from` to `to`, inclusive. */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Catches the DomainError a call throws, so its code, status and message can be checked. */
function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (DomainError.isInstance(err)) return err;
    throw err;
  }
  throw new Error('expected a DomainError, none was thrown');
}

// Days off as set by the State Council notices 国办发明电〔2023〕7号 (2024), 〔2024〕12号 (2025) and
// 〔2025〕7号 (2026), written out here independently of the table.
const holidayRanges: [name: string, from: string, to: string][] = [
  ['元旦', '2024-01-01', '2024-01-01'],
  ['春节', '2024-02-10', '2024-02-17'],
  ['清明节', '2024-04-04', '2024-04-06'],
  ['劳动节', '2024-05-01', '2024-05-05'],
  ['端午节', '2024-06-10', '2024-06-10'],
  ['中秋节', '2024-09-15', '2024-09-17'],
  ['国庆节', '2024-10-01', '2024-10-07'],
  ['元旦', '2025-01-01', '2025-01-01'],
  ['春节', '2025-01-28', '2025-02-04'],
  ['清明节', '2025-04-04', '2025-04-06'],
  ['劳动节', '2025-05-01', '2025-05-05'],
  ['端午节', '2025-05-31', '2025-06-02'],
  ['国庆节、中秋节', '2025-10-01', '2025-10-08'],
  ['元旦', '2026-01-01', '2026-01-03'],
  ['春节', '2026-02-15', '2026-02-23'],
  ['清明节', '2026-04-04', '2026-04-06'],
  ['劳动节', '2026-05-01', '2026-05-05'],
  ['端午节', '2026-06-19', '2026-06-21'],
  ['中秋节', '2026-09-25', '2026-09-27'],
  ['国庆节', '2026-10-01', '2026-10-07'],
];
const holidayDays = holidayRanges.flatMap(([name, from, to]) => daysBetween(from, to).map((date) => ({ date, name })));

const makeUpDays = [
  '2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12',
  '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
  '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
];

let calendar: Calendar;
let table: CalendarTable;
beforeAll(() => {
  table = loadTable('calendar', calendarTableSchema);
  calendar = loadCalendar();
});

describe('working-day calendar: which days are working days', () => {
  it('lists as many days off per year as the notices grant (28, 28, 33)', () => {
    const perYear = (y: string) => holidayDays.filter((d) => d.date.startsWith(y)).length;
    expect([perYear('2024'), perYear('2025'), perYear('2026')]).toEqual([28, 28, 33]);
    expect(makeUpDays).toHaveLength(19);
  });

  it.each(holidayDays)('$date ($name) is a day off', ({ date, name }) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.describeDay(date)).toMatchObject({ date, working: false, holiday: name });
  });

  it.each(makeUpDays)('%s is a make-up working day on a weekend', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(true);
    const day = calendar.describeDay(date);
    expect(day.makeUpDay).toBe(true);
    expect(['周六', '周日']).toContain(day.weekday);
    expect(day.holiday).toBeUndefined();
  });

  it.each([
    ['2024-02-09', true, '周五'], // 除夕 2024 is not a statutory holiday
    ['2025-03-12', true, '周三'],
    ['2025-12-31', true, '周三'],
    ['2026-04-28', true, '周二'],
    ['2026-12-31', true, '周四'],
    ['2024-01-06', false, '周六'],
    ['2025-09-27', false, '周六'],
    ['2026-05-10', false, '周日'],
    ['2026-12-27', false, '周日'],
  ] as const)('%s is an ordinary day: working %s (%s)', (date, working, weekday) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
    const day = calendar.describeDay(date);
    expect(day).toEqual({ date, weekday, working });
  });

  it('names the make-up day after the holiday it belongs to', () => {
    expect(calendar.describeDay('2025-09-28')).toEqual({
      date: '2025-09-28',
      weekday: '周日',
      working: true,
      makeUpDay: true,
      makeUpFor: '国庆节、中秋节',
    });
  });

  it('counts 2024–2026 on their notices and 2027 provisionally, through 2027-12-31', () => {
    expect([calendar.coveredFrom, calendar.lastNoticeYear, calendar.coveredTo, calendar.lastDay]).toEqual([2024, 2026, 2027, '2027-12-31']);
  });
});

describe('working-day calendar: adding working days', () => {
  it.each<[start: string, n: number, expected: string, why: string]>([
    ['2025-09-30', 1, '2025-10-09', '10-01..10-08 are the National Day / Mid-Autumn holiday'],
    ['2025-09-26', 3, '2025-09-30', 'Sun 09-28 is a make-up day: 09-28, 09-29, 09-30'],
    ['2025-09-26', 1, '2025-09-28', 'the Saturday is skipped, the make-up Sunday counts'],
    ['2026-02-13', 1, '2026-02-14', 'Sat 02-14 is a make-up day before the Spring Festival'],
    ['2026-02-13', 2, '2026-02-24', '02-15..02-23 are the Spring Festival'],
    ['2026-02-24', 4, '2026-02-28', 'Sat 02-28 is a make-up day: 02-25, 02-26, 02-27, 02-28'],
    ['2025-12-31', 1, '2026-01-04', '01-01..01-03 are New Year holidays and Sun 01-04 is a make-up day'],
    ['2025-12-31', 2, '2026-01-05', 'the day after the make-up Sunday'],
    ['2026-04-28', 10, '2026-05-14', 'Labour Day 05-01..05-05 skipped, Sat 05-09 counted'],
    ['2026-03-02', 0, '2026-03-02', 'zero days ends on the start day'],
    ['2026-12-30', 1, '2026-12-31', 'the last day of the last notice year'],
  ])('%s + %i working days → %s (%s)', (start, n, expected) => {
    expect(calendar.addWorkingDays(start, n).date).toBe(expected);
  });

  it('does not count the start day, even when it is a working day', () => {
    // Wed 2026-03-04 is a working day; one working day later is Thu 03-05, not 03-04 itself.
    expect(calendar.isWorkingDay('2026-03-04')).toBe(true);
    expect(calendar.addWorkingDays('2026-03-04', 1).date).toBe('2026-03-05');
    expect(calendar.countWorkingDays('2026-03-04', '2026-03-05')).toBe(1);
  });

  it('lists the holiday days it skipped, but not plain weekends', () => {
    const { skipped } = calendar.addWorkingDays('2025-09-30', 1);
    expect(skipped.map((d) => d.date)).toEqual(daysBetween('2025-10-01', '2025-10-08'));
    expect(new Set(skipped.map((d) => d.holiday))).toEqual(new Set(['国庆节、中秋节']));

    const plainWeek = calendar.addWorkingDays('2026-03-06', 1); // Fri → Mon over an ordinary weekend
    expect(plainWeek).toEqual({ date: '2026-03-09', skipped: [] });
  });

  it('skips the whole Spring Festival 2026 and reports it', () => {
    const { date, skipped } = calendar.addWorkingDays('2026-02-13', 2);
    expect(date).toBe('2026-02-24');
    expect(skipped.map((d) => d.date)).toEqual(daysBetween('2026-02-15', '2026-02-23'));
  });

  it('rejects a period that would run past the last provisional year', () => {
    expect(calendar.addWorkingDays('2027-12-30', 1).date).toBe('2027-12-31');
    const err = errorOf(() => calendar.addWorkingDays('2027-12-28', 10));
    expect(err.code).toBe('DATE_OUT_OF_RANGE');
    expect(err.status).toBe(422);
    expect(err.message).toContain('2024–2027');
    expect(err.message).toContain('2027 年尚无放假通知');
    expect(err.message).toContain('不作推算');
    expect(errorOf(() => calendar.addWorkingDays('2027-12-31', 1)).status).toBe(422);
  });

  it('rejects a negative or fractional number of days', () => {
    expect(errorOf(() => calendar.addWorkingDays('2026-03-02', -1)).status).toBe(400);
    expect(errorOf(() => calendar.addWorkingDays('2026-03-02', 1.5)).status).toBe(400);
  });
});

describe('working-day calendar: counting working days', () => {
  it.each([
    // from (not counted), to (counted), expected
    ['2026-03-02', '2026-03-02', 0],
    ['2026-03-02', '2026-03-09', 5], // Tue–Fri + Mon
    ['2025-09-30', '2025-10-09', 1], // the whole National Day holiday in between
    ['2025-09-26', '2025-09-30', 3], // 09-28 make-up Sunday, 09-29, 09-30
    ['2026-02-13', '2026-02-28', 6], // 02-14, 02-24..02-27, 02-28
    ['2025-12-31', '2026-01-05', 2], // 01-04 make-up Sunday and Mon 01-05
    ['2026-04-28', '2026-05-14', 10],
    ['2024-01-01', '2024-12-31', 251], // 366 days − 104 weekend days − 19 weekday holidays + 8 make-up days
  ] as const)('from %s to %s → %i', (from, to, expected) => {
    expect(calendar.countWorkingDays(from, to)).toBe(expected);
  });

  it('is the inverse of adding working days', () => {
    for (const [start, n] of [['2025-09-26', 7], ['2026-01-30', 20], ['2024-04-30', 15]] as const) {
      const { date } = calendar.addWorkingDays(start, n);
      expect(calendar.countWorkingDays(start, date)).toBe(n);
    }
  });

  it('rejects an end date before the start date with a 400', () => {
    const err = errorOf(() => calendar.countWorkingDays('2026-03-10', '2026-03-01'));
    expect(err.status).toBe(400);
    expect(err.message).toContain('早于');
  });
});

describe('working-day calendar: dates it will not guess about', () => {
  it.each([
    ['isWorkingDay', () => calendar.isWorkingDay('2023-12-31')],
    ['isWorkingDay', () => calendar.isWorkingDay('2028-01-03')],
    ['describeDay', () => calendar.describeDay('2028-01-01')],
    ['addWorkingDays', () => calendar.addWorkingDays('2023-12-31', 1)],
    ['addWorkingDays', () => calendar.addWorkingDays('2028-01-03', 1)],
    ['countWorkingDays', () => calendar.countWorkingDays('2027-12-01', '2028-01-04')],
    ['countWorkingDays', () => calendar.countWorkingDays('2023-12-31', '2024-01-02')],
  ])('%s outside 2024–2027 → DATE_OUT_OF_RANGE / 422', (_name, call) => {
    const err = errorOf(call);
    expect(err.code).toBe('DATE_OUT_OF_RANGE');
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/2024–2027/);
  });

  it('computes the last provisional day and refuses the day after it', () => {
    expect(calendar.describeDay('2027-12-31')).toEqual({ date: '2027-12-31', weekday: '周五', working: true, provisional: true });
    expect(errorOf(() => calendar.describeDay('2028-01-01')).code).toBe('DATE_OUT_OF_RANGE');
  });

  it.each(['2026-02-30', '2026-13-01', '2026-4-28', '28/04/2026', ''])('"%s" → INVALID_DATE / 400', (value) => {
    const err = errorOf(() => calendar.isWorkingDay(value));
    expect(err.code).toBe('INVALID_DATE');
    expect(err.status).toBe(400);
  });
});

// 2027 has no State Council notice: the days off of 《全国年节及纪念日放假办法》 article 2 (2024
// revision) and weekends, nothing else. Lunar dates from published calendars: 春节 (正月初一)
// 2027-02-06, so 除夕 is 02-05; 端午 06-09; 中秋 09-15; 清明 04-05.
const statutory2027: [name: string, date: string, weekday: string][] = [
  ['元旦', '2027-01-01', '周五'],
  ['春节', '2027-02-05', '周五'],
  ['春节', '2027-02-06', '周六'],
  ['春节', '2027-02-07', '周日'],
  ['春节', '2027-02-08', '周一'],
  ['清明节', '2027-04-05', '周一'],
  ['劳动节', '2027-05-01', '周六'],
  ['劳动节', '2027-05-02', '周日'],
  ['端午节', '2027-06-09', '周三'],
  ['中秋节', '2027-09-15', '周三'],
  ['国庆节', '2027-10-01', '周五'],
  ['国庆节', '2027-10-02', '周六'],
  ['国庆节', '2027-10-03', '周日'],
];

describe('working-day calendar: the year after the last notice, on the statutory holidays (provisional)', () => {
  it.each(statutory2027)('%s %s (%s) is a day off, marked provisional', (name, date, weekday) => {
    expect(calendar.describeDay(date)).toEqual({ date, weekday, working: false, holiday: name, provisional: true });
  });

  it.each([
    ['2027-02-09', '周二', 'no 调休: the day after 初三 is an ordinary working day'],
    ['2027-10-04', '周一', 'no 补假 for the National Day days that fall on the weekend'],
    ['2027-05-03', '周一', 'Labour Day is 2 days, 05-01 and 05-02'],
    ['2027-01-04', '周一', 'the first Monday of the year'],
  ])('%s (%s) is a working day: %s', (date, weekday) => {
    expect(calendar.describeDay(date)).toEqual({ date, weekday, working: true, provisional: true });
  });

  it('has no make-up working days: every weekend day is off', () => {
    expect(calendar.isWorkingDay('2027-02-20')).toBe(false);
    expect(calendar.isWorkingDay('2027-09-26')).toBe(false);
  });

  it('counts 254 working days in 2027: 365 − 104 weekend days − 7 statutory days on weekdays', () => {
    expect(calendar.countWorkingDays('2026-12-31', '2027-12-31')).toBe(254);
  });

  it('crosses from the 2026 notice into 2027: 2026-12-20 + 10 working days → 2027-01-04 (元旦 skipped)', () => {
    expect(calendar.addWorkingDays('2026-12-20', 10)).toEqual({ date: '2027-01-04', skipped: [{ date: '2027-01-01', holiday: '元旦' }] });
    expect(calendar.provisionalYearsBetween('2026-12-20', '2027-01-04')).toEqual([2027]);
    expect(calendar.provisionalYearsBetween('2026-12-01', '2026-12-31')).toEqual([]);
  });
});

describe('working-day calendar: the table is checked against the chinese-days data', () => {
  it('loads when the table and the package agree on every covered day', () => {
    expect(() => createCalendar(table)).not.toThrow();
  });

  it('fails loading when the table lists a holiday the package treats as a working day', () => {
    const bad = structuredClone(table);
    bad.years[1]!.holidays.push({ name: '植树节', from: '2025-03-12', to: '2025-03-12' });
    const err = errorOf(() => createCalendar(bad));
    expect(err.code).toBe('KNOWLEDGE_INVALID');
    expect(err.message).toContain('2025-03-12');
    expect(err.message).toContain('calendar.yaml');
    expect(err.message).toContain('years[1].holidays[6]');
  });

  it('fails loading when a make-up working day is missing from the table', () => {
    const bad = structuredClone(table);
    bad.years[2]!.makeUpWorkdays = bad.years[2]!.makeUpWorkdays.filter((d) => d.date !== '2026-02-28');
    const err = errorOf(() => createCalendar(bad));
    expect(err.code).toBe('KNOWLEDGE_INVALID');
    expect(err.message).toContain('2026-02-28');
  });

  it('loads a notice year the package has no schedule for from the table alone, and moves the provisional year on', () => {
    // chinese-days answers Monday–Friday for a year it has no schedule for, so it cannot check it.
    expect(packageHasYear(2027), 'chinese-days now has 2027: import the 2027 notice and move this test to 2028').toBe(false);
    expect(packageHasYear(2026)).toBe(true);
    const next = structuredClone(table);
    next.noticeYears.to = 2027;
    const days2027 = statutoryDays(rulesForYear(table.statutoryHolidays, 2027)!, 2027);
    next.years.push({
      year: 2027,
      source: { ...table.years[2]!.source, title: '假设的2027年通知', docNumber: '国办发明电〔2026〕99号' },
      holidays: days2027.map((d) => ({ name: d.name, from: d.date, to: d.date })),
      makeUpWorkdays: [],
    });
    const withNotice = createCalendar(next);
    expect([withNotice.lastNoticeYear, withNotice.coveredTo]).toEqual([2027, 2028]);
    expect(withNotice.describeDay('2027-02-08')).toEqual({ date: '2027-02-08', weekday: '周一', working: false, holiday: '春节' });
    expect(withNotice.describeDay('2028-01-03').provisional).toBe(true);
  });

  it('fails loading when a notice range leaves out a statutory day off', () => {
    const bad = structuredClone(table);
    // 2026's 清明 is 04-05; a range of 04-06 only would leave it out.
    bad.years[2]!.holidays = bad.years[2]!.holidays.map((h) => (h.name === '清明节' ? { ...h, from: '2026-04-06' } : h));
    const err = errorOf(() => createCalendar(bad));
    expect(err.code).toBe('KNOWLEDGE_INVALID');
    expect(err.message).toContain('清明节');
    expect(err.message).toContain('2026-04-05');
  });

  it('loads and counts the same in a process west of UTC (the package data is read without its date functions)', () => {
    const script = `import('./src/tools/working-days.ts').then((m) => {
      const c = m.loadCalendar();
      process.stdout.write(JSON.stringify([c.addWorkingDays('2026-04-28', 10).date, c.addWorkingDays('2026-12-20', 10).date, c.countWorkingDays('2024-01-01', '2027-12-31')]));
    })`;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: projectRoot,
      env: { ...process.env, TZ: 'America/Los_Angeles' },
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toEqual(['2026-05-14', '2027-01-04', calendar.countWorkingDays('2024-01-01', '2027-12-31')]);
  });

  it('rejects a table whose make-up day is not a weekend, or whose covered year has no entry', () => {
    const weekday = structuredClone(table);
    weekday.years[0]!.makeUpWorkdays.push({ date: '2024-03-05', for: '春节' });
    expect(calendarTableSchema.safeParse(weekday).success).toBe(false);

    const gap = structuredClone(table);
    gap.years.splice(1, 1);
    expect(calendarTableSchema.safeParse(gap).success).toBe(false);
  });
});

describe('working_days tool', () => {
  it('is exposed as working_days on the working-days route', () => {
    const tool = createWorkingDaysTool(calendar);
    expect([tool.name, tool.route]).toEqual(['working_days', 'working-days']);
    expect(tool.description).toContain('2024–2026 年按国务院办公厅放假通知计算');
    expect(tool.description).toContain('2027 年尚无通知、按法定节假日暂定推算');
  });

  it('adds working days and cites the holiday notice of each year involved', () => {
    const tool = createWorkingDaysTool(calendar);
    const input = tool.input.parse({ op: 'add', start: '2025-12-31', days: 2 });
    const out = tool.run(input);
    expect(out).toMatchObject({ date: '2026-01-05' });
    expect('skipped' in out && out.skipped.map((d) => d.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(out.basis.map((b) => b.source.docNumber)).toEqual(['国办发明电〔2024〕12号', '国办发明电〔2025〕7号']);
    expect(out.basis.every((b) => b.scope === 'national' && b.confidence === 'official')).toBe(true);
  });

  it('counts working days and cites one notice for a same-year range', () => {
    const tool = createWorkingDaysTool(calendar);
    const out = tool.run(tool.input.parse({ op: 'count', from: '2025-09-30', to: '2025-10-09' }));
    expect(out).toMatchObject({ days: 1 });
    expect(out.basis).toHaveLength(1);
    expect(out.basis[0]!.label).toContain('国办发明电〔2024〕12号');
    expect(out.basis[0]!.source.date).toBe('2024-11-12');
  });

  it.each([
    { op: 'add', start: '2026-01-05', days: 367 },
    { op: 'add', start: '2026-01-05', days: -1 },
    { op: 'add', start: '2026-01-05', days: 2.5 },
    { op: 'add', start: '2026/01/05', days: 1 },
    { op: 'count', from: '2026-01-05' },
    { op: 'subtract', start: '2026-01-05', days: 1 },
  ])('rejects malformed input %j', (raw) => {
    expect(createWorkingDaysTool(calendar).input.safeParse(raw).success).toBe(false);
  });

  it('passes an out-of-range date through as a 422, not a guess', () => {
    const tool = createWorkingDaysTool(calendar);
    const err = errorOf(() => tool.run(tool.input.parse({ op: 'add', start: '2027-12-20', days: 30 })));
    expect([err.code, err.status]).toEqual(['DATE_OUT_OF_RANGE', 422]);
  });

  it('marks a result that reaches a year without a notice as provisional, with the reason in plain words', () => {
    const tool = createWorkingDaysTool(calendar);
    const out = tool.run(tool.input.parse({ op: 'add', start: '2026-12-20', days: 10 }));
    expect(out).toMatchObject({
      date: '2027-01-04',
      provisional: true,
      provisionalReason: '2027年的放假调休安排还没公布，暂按法定节假日推算，实际可能相差几天。',
    });
    // The 2026 notice and, for 2027, the statutory rules.
    expect(out.basis.map((b) => b.source.docNumber ?? b.source.title)).toEqual(['国办发明电〔2025〕7号', '全国年节及纪念日放假办法']);
    // December 2026 has 22 working days after the 1st; 2027-01-01 is 元旦, 01-04 the 23rd.
    expect(tool.run(tool.input.parse({ op: 'count', from: '2026-12-01', to: '2027-01-04' }))).toMatchObject({ days: 23, provisional: true });
    expect(tool.run(tool.input.parse({ op: 'check', date: '2027-10-04' }))).toMatchObject({ day: { working: true, provisional: true }, provisional: true });
  });

  it('does not mark a result inside the notice years', () => {
    const tool = createWorkingDaysTool(calendar);
    const out = tool.run(tool.input.parse({ op: 'add', start: '2026-12-10', days: 10 }));
    expect(out).toMatchObject({ date: '2026-12-24', provisional: false });
    expect(out).not.toHaveProperty('provisionalReason');
  });
});
