import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';
import { type CalendarTable, loadCalendarTable } from './calendar-table.js';
import { checkNotice, noticeDays, type ParsedNotice, readHolidayNotice } from './holiday-notice.js';

const fixture = (year: number) => readFileSync(join(projectRoot, 'test', 'fixtures', 'holiday-notices', `notice-${year}.txt`), 'utf8');

function read(text: string): ParsedNotice {
  const reading = readHolidayNotice(text);
  if (!reading.ok) throw new Error(reading.problems.join('\n'));
  return reading.notice;
}

function problemsOf(text: string): string[] {
  const reading = readHolidayNotice(text);
  return reading.ok ? [] : reading.problems;
}

let table: CalendarTable;
beforeAll(() => {
  table = loadCalendarTable();
});

describe('reading a State Council holiday notice as published', () => {
  it.each([
    [2024, '国办发明电〔2023〕7号', '2023-10-25', 28, 8],
    [2025, '国办发明电〔2024〕12号', '2024-11-12', 28, 5],
    [2026, undefined, '2025-11-04', 33, 6],
  ] as const)('reads the %i notice: number %s, dated %s, %i days off and %i make-up working days', (year, docNumber, date, off, work) => {
    const notice = read(fixture(year));
    expect(notice).toMatchObject({ year, title: `国务院办公厅关于${year}年部分节假日安排的通知`, date });
    expect(notice.docNumber).toBe(docNumber);
    const days = noticeDays(notice);
    expect(days.filter((d) => d.kind === 'off')).toHaveLength(off);
    expect(days.filter((d) => d.kind === 'work')).toHaveLength(work);
    expect(checkNotice(notice, table.statutoryHolidays)).toEqual([]);
  });

  it.each([2024, 2025, 2026])('finds exactly the days the calendar table already has for %i', (year) => {
    const notice = read(fixture(year));
    const entry = table.years.find((y) => y.year === year)!;
    expect(notice.holidays).toEqual(entry.holidays);
    expect(notice.makeUpWorkdays).toEqual(entry.makeUpWorkdays);
    expect(notice.date).toBe(entry.source.date);
    if (notice.docNumber) expect(notice.docNumber).toBe(entry.source.docNumber);
  });

  it('ignores the 2024 encouragement to rest on 除夕 (2月9日): it is not a day off', () => {
    const days = noticeDays(read(fixture(2024)));
    expect(days.some((d) => d.date === '2024-02-09')).toBe(false);
  });

  it('reads a range across months and the combined 国庆节、中秋节 line (2025)', () => {
    const notice = read(fixture(2025));
    expect(notice.holidays).toContainEqual({ name: '端午节', from: '2025-05-31', to: '2025-06-02' });
    expect(notice.holidays).toContainEqual({ name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08' });
    expect(notice.makeUpWorkdays).toContainEqual({ date: '2025-09-28', for: '国庆节、中秋节' });
  });

  it('reads half-width punctuation as reprints print it', () => {
    const halfWidth = fixture(2026).replace(/（/g, '(').replace(/）/g, ')').replace(/：/g, ':').replace(/，/g, ',');
    expect(read(halfWidth)).toEqual(read(fixture(2026)));
  });

  it('reads 补休 days and a 元旦 that starts in the December before (older notices)', () => {
    const text = [
      '国务院办公厅关于2019年部分节假日安排的通知',
      '一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。',
      '二、劳动节：5月1日放假，5月2日（星期四）补休。',
      '国务院办公厅',
      '2018年12月6日',
    ].join('\n');
    const notice = read(text);
    expect(notice.holidays).toEqual([
      { name: '元旦', from: '2018-12-30', to: '2019-01-01' },
      { name: '劳动节', from: '2019-05-01', to: '2019-05-02' },
    ]);
    expect(notice.makeUpWorkdays).toEqual([{ date: '2018-12-29', for: '元旦' }]);
  });
});

describe('a notice that does not add up is refused with the reason', () => {
  it('when a stated weekday is wrong', () => {
    expect(problemsOf(fixture(2026).replace('1月4日（周日）上班', '1月4日（周一）上班'))).toContainEqual(
      '「元旦」：2026-01-04 标注为周一，实际是周日',
    );
  });

  it('when 共N天 does not match the range', () => {
    expect(problemsOf(fixture(2026).replace('放假调休，共9天', '放假调休，共8天'))).toContainEqual(
      '「春节」：写明共 8 天，但列出的放假日期是 9 天',
    );
  });

  it('when a date lies outside the notice year', () => {
    expect(problemsOf(fixture(2026).replace('10月10日（周六）上班', '2027年10月10日上班'))).toContainEqual(
      '「国庆节」：2027-10-10 不在通知的 2026 年内',
    );
  });

  it('when the title year and the year it arranges differ', () => {
    expect(problemsOf(fixture(2026).replace('现将2026年元旦', '现将2027年元旦'))).toContainEqual('标题是 2026 年的通知，正文却安排 2027 年的假期');
  });

  it('when there is no title, no date or no numbered line', () => {
    expect(problemsOf('2026年放假安排：春节放9天')[0]).toContain('找不到通知标题');
    expect(problemsOf(fixture(2026).replace('2025年11月4日', ''))).toContainEqual(expect.stringContaining('找不到落款日期'));
    expect(problemsOf('国务院办公厅关于2026年部分节假日安排的通知\n国务院办公厅\n2025年11月4日')).toContainEqual(
      expect.stringContaining('找不到编号的放假安排'),
    );
  });

  it('when a make-up working day is a weekday', () => {
    const notice = read(fixture(2026).replace('5月9日（周六）上班', '5月8日（周五）上班'));
    expect(checkNotice(notice, table.statutoryHolidays)).toContain('「劳动节」的调休上班日 2026-05-08 是周五，不是周六或周日');
  });

  it('when a holiday range leaves out a statutory day off', () => {
    // 2026's 除夕 is 02-16 (初一 02-17); a 春节 from 02-17 would leave it out.
    const notice = read(fixture(2026).replace('2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天', '2月17日至23日放假调休，共7天'));
    expect(checkNotice(notice, table.statutoryHolidays)).toEqual(['「春节」的法定假日 2026-02-16 不在通知的放假日期 2026-02-17 至 2026-02-23 内']);
  });

  it('when a statutory holiday has no line at all, or a day is both off and a working day', () => {
    const withoutMidAutumn = read(fixture(2026).replace(/六、中秋节：[^\n]*\n/, ''));
    expect(checkNotice(withoutMidAutumn, table.statutoryHolidays)).toEqual(['通知没有「中秋节」的放假安排']);
    const clash = read(fixture(2026).replace('1月4日（周日）上班', '1月3日（周六）上班'));
    expect(checkNotice(clash, table.statutoryHolidays)).toContain('2026-01-03 同时列为放假和上班');
  });
});
