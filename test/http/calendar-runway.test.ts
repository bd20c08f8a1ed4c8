import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { startApp, type RunningApp } from '../helpers/app.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** The service as it runs on `today` (China time). */
async function serviceOn(today: string): Promise<RunningApp> {
  const services = await createServices(loadConfig({}), silent, { today: () => today });
  return startApp({ services });
}

/** Value of an unlabelled gauge in GET /metrics. */
async function gauge(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  expect(line, `${name} in /metrics`).toBeDefined();
  return Number(line!.split(' ')[1]);
}

describe('the working-day calendar runway in /metrics and /readyz', () => {
  let early: RunningApp;
  let late: RunningApp;
  beforeAll(async () => {
    [early, late] = await Promise.all([serviceOn('2026-12-06'), serviceOn('2027-11-01')]);
  });
  afterAll(async () => {
    await Promise.all([early?.close(), late?.close()]);
  });

  it('exports the days left: 390 to 2027-12-31 (2027 provisional) and 25 of notices, on 2026-12-06', async () => {
    expect(await gauge(early.url, 'calendar_days_remaining')).toBe(390);
    expect(await gauge(early.url, 'calendar_notice_days_remaining')).toBe(25);
    const text = await (await fetch(`${early.url}/metrics`)).text();
    expect(text).toContain('# TYPE calendar_days_remaining gauge');
  });

  it('keeps /readyz at 200 and reports the runway there', async () => {
    const res = await fetch(`${early.url}/readyz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ready).toBe(true);
    expect(body.calendar).toEqual({ lastNoticeYear: 2026, lastDay: '2027-12-31', daysRemaining: 390 });
  });

  it('is still ready with 60 days left, when kb:check warns', async () => {
    expect(await gauge(late.url, 'calendar_days_remaining')).toBe(60);
    expect(await gauge(late.url, 'calendar_notice_days_remaining')).toBe(0);
    const res = await fetch(`${late.url}/readyz`);
    expect(res.status).toBe(200);
    expect((await res.json()).calendar).toEqual({ lastNoticeYear: 2026, lastDay: '2027-12-31', daysRemaining: 60 });
  });
});
