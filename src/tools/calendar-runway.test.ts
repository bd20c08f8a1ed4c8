import { beforeAll, describe, expect, it } from 'vitest';
import { calendarRunway } from './calendar-runway.js';
import { type Calendar, loadCalendar } from './working-days.js';

let calendar: Calendar;
beforeAll(() => {
  calendar = loadCalendar();
});

describe('calendar runway', () => {
  it('on 2026-12-06 has 25 days of notice left and 390 days in all (2027 provisional), no warning', () => {
    expect(calendarRunway(calendar, '2026-12-06')).toEqual({
      today: '2026-12-06',
      lastNoticeYear: 2026,
      noticeCoveredUntil: '2026-12-31',
      lastDay: '2027-12-31',
      daysRemaining: 390,
      noticeDaysRemaining: 25,
      warn: false,
    });
  });

  it('warns from 60 days before the last computable day, not a day earlier', () => {
    expect(calendarRunway(calendar, '2027-11-01')).toMatchObject({ daysRemaining: 60, warn: true });
    expect(calendarRunway(calendar, '2027-10-31')).toMatchObject({ daysRemaining: 61, warn: false });
  });

  it('counts down to 0 and stays there once the runway has ended', () => {
    expect(calendarRunway(calendar, '2027-12-31')).toMatchObject({ daysRemaining: 0, noticeDaysRemaining: 0, warn: true });
    expect(calendarRunway(calendar, '2028-02-01')).toMatchObject({ daysRemaining: 0, warn: true });
  });
});
