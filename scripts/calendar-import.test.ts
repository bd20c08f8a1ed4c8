import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, type YAMLSeq } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';
import { CALENDAR_TABLE_FILE, type CalendarTable, loadCalendarTable } from '../src/tools/calendar-table.js';
import { noticeDays } from '../src/tools/holiday-notice.js';
import { loadCalendar } from '../src/tools/working-days.js';

const notice = (year: number) => join(projectRoot, 'test', 'fixtures', 'holiday-notices', `notice-${year}.txt`);

/** Runs `npm run calendar:import -- …` as the operator would (the script through tsx). */
function calendarImport(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/calendar-import.ts', ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const linesOf = (stdout: string) => stdout.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} (off|work)$/.test(l));

/** The calendar table as it stood before the 2025 notice: notices for 2024 only, 2025 provisional. */
function tableEndingIn2024(): string {
  const doc = parseDocument(readFileSync(CALENDAR_TABLE_FILE, 'utf8'));
  const years = doc.get('years') as YAMLSeq;
  while (years.items.length > 1) years.delete(1);
  doc.setIn(['noticeYears', 'to'], 2024);
  return doc.toString({ lineWidth: 0 });
}

let table: CalendarTable;
let dir: string;
let tableFile: string;
beforeAll(() => {
  table = loadCalendarTable();
  dir = mkdtempSync(join(tmpdir(), 'calendar-import-'));
  tableFile = join(dir, 'calendar.yaml');
  writeFileSync(tableFile, tableEndingIn2024());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run calendar:import -- FILE --print', () => {
  it('prints exactly the 33 days off and 6 make-up working days of the 2026 notice, one per line, sorted', () => {
    const run = calendarImport(notice(2026), '--print');
    expect(run.status, run.stderr).toBe(0);
    const lines = linesOf(run.stdout);
    expect(run.stdout.trim().split('\n')).toEqual(lines); // nothing else is printed
    expect(lines.filter((l) => l.endsWith(' off'))).toHaveLength(33);
    expect(lines.filter((l) => l.endsWith(' work'))).toHaveLength(6);
    expect([...lines].sort()).toEqual(lines);
    expect(lines.filter((l) => l.endsWith(' work'))).toEqual([
      '2026-01-04 work', '2026-02-14 work', '2026-02-28 work', '2026-05-09 work', '2026-09-20 work', '2026-10-10 work',
    ]);
    expect(lines[0]).toBe('2026-01-01 off');
    expect(lines.at(-1)).toBe('2026-10-10 work');
  });

  it.each([2024, 2025, 2026])('prints for %i exactly the days the calendar table has', (year) => {
    const run = calendarImport(notice(year), '--print');
    expect(run.status, run.stderr).toBe(0);
    const entry = table.years.find((y) => y.year === year)!;
    expect(linesOf(run.stdout)).toEqual(noticeDays(entry).map((d) => `${d.date} ${d.kind}`));
  });

  it('refuses a notice that does not add up, saying why', () => {
    const bad = join(dir, 'bad-weekday.txt');
    writeFileSync(bad, readFileSync(notice(2026), 'utf8').replace('5月9日（周六）上班', '5月8日（周五）上班'));
    const run = calendarImport(bad, '--print');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('「劳动节」的调休上班日 2026-05-08 是周五，不是周六或周日');
  });

  it('refuses a text that is not a notice, and a missing file', () => {
    const other = join(dir, 'other.txt');
    writeFileSync(other, '2026年放假安排出炉！春节连休9天');
    const run = calendarImport(other, '--print');
    expect(run).toMatchObject({ status: 1, stdout: '' });
    expect(run.stderr).toContain('找不到通知标题');
    expect(calendarImport(join(dir, 'missing.txt'), '--print').stderr).toContain('无法读取');
    expect(calendarImport().status).toBe(1);
  });
});

describe('npm run calendar:import -- FILE (writing the calendar table)', () => {
  it('adds the 2025 notice to a table that ends in 2024, and 2025 stops being provisional', () => {
    expect(loadCalendar(dir).describeDay('2025-01-26')).toMatchObject({ working: false, provisional: true });
    const run = calendarImport(notice(2025), '--table', tableFile);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('2025 年：28 个放假日、5 个调休上班日（国办发明电〔2024〕12号，2024-11-12）');
    expect(run.stdout).toContain('通知年份 2024–2025，暂定推算 2026 年');
    const calendar = loadCalendar(dir);
    expect(calendar.describeDay('2025-01-26')).toEqual({ date: '2025-01-26', weekday: '周日', working: true, makeUpDay: true, makeUpFor: '春节' });
    expect(calendar.lastNoticeYear).toBe(2025);
  });

  it('needs the document number when the published copy has none (the 2026 Xinhua text), and writes nothing without it', () => {
    const before = readFileSync(tableFile, 'utf8');
    const run = calendarImport(notice(2026), '--table', tableFile);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--doc-number');
    expect(readFileSync(tableFile, 'utf8')).toBe(before);
  });

  it('adds the 2026 notice with its number: the table then holds exactly what the curated table holds', () => {
    const run = calendarImport(notice(2026), '--doc-number', '国办发明电〔2025〕7号', '--table', tableFile);
    expect(run.status, run.stderr).toBe(0);
    const imported = loadCalendarTable(dir);
    expect(imported.noticeYears).toEqual({ from: 2024, to: 2026 });
    expect(imported.years).toEqual(table.years);
    // Comments and layout of the file are kept.
    expect(readFileSync(tableFile, 'utf8')).toContain('# 农历除夕、正月初一至初三');
    expect(readFileSync(tableFile, 'utf8')).toContain('      - { name: 春节, from: 2026-02-15, to: 2026-02-23 }');
  });

  it('leaves the table alone when the same notice is imported again', () => {
    const before = readFileSync(tableFile, 'utf8');
    const run = calendarImport(notice(2025), '--table', tableFile);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('未改动');
    expect(readFileSync(tableFile, 'utf8')).toBe(before);
  });

  it('refuses a year that does not follow the last notice year', () => {
    const gap = mkdtempSync(join(dir, 'gap-'));
    writeFileSync(join(gap, 'calendar.yaml'), tableEndingIn2024());
    const run = calendarImport(notice(2026), '--doc-number', '国办发明电〔2025〕7号', '--table', join(gap, 'calendar.yaml'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('只能导入紧接其后的 2025 年');
  });
});
