import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';

/** Runs `npm run kb:check` as the operator would, with `today` standing in for the date. */
function kbCheck(today: string): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/kb-check.ts', today], { cwd: projectRoot, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout };
}

describe('npm run kb:check: the working-day calendar', () => {
  it('reports the runway and, in December with the next notice not yet imported, says what to run', () => {
    const run = kbCheck('2026-12-06');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('工作日历：2024–2026 年按国务院办公厅放假通知（至 2026-12-31，还剩 25 天）；2027 年按法定节假日暂定推算，可推算至 2027-12-31（还剩 390 天');
    expect(run.stdout).toContain('npm run calendar:import -- 通知全文.txt');
    expect(run.stdout).not.toContain('警告');
  });

  it('warns when the last computable day is 60 days away, and still passes', () => {
    const run = kbCheck('2027-11-01');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('警告：工作日历只剩 60 天（至 2027-12-31），之后的日期一律无法计算。请导入 2027 年起的国务院办公厅放假通知：npm run calendar:import -- 通知全文.txt');
  });

  it('does not warn 61 days before', () => {
    const run = kbCheck('2027-10-31');
    expect(run.stdout).toContain('还剩 61 天');
    expect(run.stdout).not.toContain('警告');
    expect(run.stdout).toContain('2027 年的放假通知尚未导入');
  });
});
