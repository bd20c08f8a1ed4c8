import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';
import { type CalendarTable, loadCalendarTable } from './calendar-table.js';
import { rulesForYear, statutoryDays, statutoryRulesSchema } from './statutory-holidays.js';

let table: CalendarTable;
beforeAll(() => {
  table = loadCalendarTable();
});

const daysOf = (year: number) => statutoryDays(rulesForYear(table.statutoryHolidays, year)!, year).map((d) => `${d.date} ${d.name}`);

describe('statutory holidays of 《全国年节及纪念日放假办法》 article 2', () => {
  it('uses the 2013 version for 2024 and the 2024 revision from 2025 on', () => {
    expect(rulesForYear(table.statutoryHolidays, 2024)!.source.date).toBe('2013-12-11');
    expect(rulesForYear(table.statutoryHolidays, 2025)!.source.date).toBe('2024-11-10');
    expect(rulesForYear(table.statutoryHolidays, 2027)!.source.date).toBe('2024-11-10');
    expect(rulesForYear(table.statutoryHolidays, 2013)).toBeUndefined();
  });

  it('gives 11 days in 2024: 春节 from 初一 (no 除夕), 劳动节 one day', () => {
    expect(daysOf(2024)).toEqual([
      '2024-01-01 元旦',
      '2024-02-10 春节', '2024-02-11 春节', '2024-02-12 春节',
      '2024-04-04 清明节',
      '2024-05-01 劳动节',
      '2024-06-10 端午节',
      '2024-09-17 中秋节',
      '2024-10-01 国庆节', '2024-10-02 国庆节', '2024-10-03 国庆节',
    ]);
  });

  it('gives 13 days from 2025: 除夕 and 5月2日 added', () => {
    // 2025: 除夕 01-28 (the notice's 春节 range starts there), 清明 04-04, 端午 05-31, 中秋 10-06.
    expect(daysOf(2025)).toEqual([
      '2025-01-01 元旦',
      '2025-01-28 春节', '2025-01-29 春节', '2025-01-30 春节', '2025-01-31 春节',
      '2025-04-04 清明节',
      '2025-05-01 劳动节', '2025-05-02 劳动节',
      '2025-05-31 端午节',
      '2025-10-01 国庆节', '2025-10-02 国庆节', '2025-10-03 国庆节',
      '2025-10-06 中秋节',
    ]);
    // 2026: 除夕 02-16, 清明 04-05, 端午 06-19, 中秋 09-25.
    expect(daysOf(2026).filter((d) => !/元旦|劳动节|国庆节/.test(d))).toEqual([
      '2026-02-16 春节', '2026-02-17 春节', '2026-02-18 春节', '2026-02-19 春节',
      '2026-04-05 清明节',
      '2026-06-19 端午节',
      '2026-09-25 中秋节',
    ]);
  });

  it('finds 2027–2030 from the lunar calendar and the solar term (published dates)', () => {
    const springFestival = (y: number) => daysOf(y).filter((d) => d.endsWith('春节')).map((d) => d.slice(0, 10));
    // 正月初一: 2027-02-06, 2028-01-26, 2029-02-13, 2030-02-03; 除夕 the day before.
    expect(springFestival(2027)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    expect(springFestival(2028)[0]).toBe('2028-01-25');
    expect(springFestival(2029)[0]).toBe('2029-02-12');
    expect(springFestival(2030)[0]).toBe('2030-02-02');
    const one = (y: number, name: string) => daysOf(y).find((d) => d.endsWith(name))!.slice(0, 10);
    expect([2027, 2028, 2029, 2030].map((y) => one(y, '清明节'))).toEqual(['2027-04-05', '2028-04-04', '2029-04-04', '2030-04-05']);
    expect([2027, 2028, 2029, 2030].map((y) => one(y, '端午节'))).toEqual(['2027-06-09', '2028-05-28', '2029-06-16', '2030-06-05']);
    expect([2027, 2028, 2029, 2030].map((y) => one(y, '中秋节'))).toEqual(['2027-09-15', '2028-10-03', '2029-09-22', '2030-09-12']);
  });

  it('gives the same days whatever the process time zone (chinese-days formats dates in local time)', () => {
    const script = `import('./src/tools/calendar-table.ts').then(async (t) => {
      const s = await import('./src/tools/statutory-holidays.ts');
      const table = t.loadCalendarTable();
      const out = [2024, 2025, 2026, 2027, 2028].flatMap((y) => s.statutoryDays(s.rulesForYear(table.statutoryHolidays, y), y).map((d) => d.date));
      process.stdout.write(JSON.stringify(out));
    })`;
    const expected = [2024, 2025, 2026, 2027, 2028].flatMap((y) => statutoryDays(rulesForYear(table.statutoryHolidays, y)!, y).map((d) => d.date));
    for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: projectRoot,
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(JSON.parse(stdout), tz).toEqual(expected);
    }
  });

  it('rejects a holiday rule that names no date or two kinds of date', () => {
    const base = { effective: '2025-01-01', source: { title: '全国年节及纪念日放假办法', issuer: '国务院', date: '2024-11-10' } };
    expect(statutoryRulesSchema.safeParse({ ...base, holidays: [{ name: '元旦', days: 1 }] }).success).toBe(false);
    expect(statutoryRulesSchema.safeParse({ ...base, holidays: [{ name: '元旦', solar: '01-01', lunar: '01-01', days: 1 }] }).success).toBe(false);
    expect(statutoryRulesSchema.safeParse({ ...base, holidays: [{ name: '元旦', solar: '13-01', days: 1 }] }).success).toBe(false);
    expect(statutoryRulesSchema.safeParse({ ...base, holidays: [{ name: '元旦', solar: '01-01', days: 1 }] }).success).toBe(true);
  });
});
