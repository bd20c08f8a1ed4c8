/**
 * `npm run calendar:import -- FILE [--print] [--doc-number 国办发明电〔YYYY〕N号] [--url URL] [--replace] [--table PATH]`
 *
 * Reads the text of a State Council holiday notice (国务院办公厅关于20XX年部分节假日安排的通知, as
 * published), checks it (every make-up working day a Saturday or Sunday, every holiday range holding
 * its statutory days, the year consistent), prints one line per day (`YYYY-MM-DD off` /
 * `YYYY-MM-DD work`, sorted) and writes it into knowledge/tables/calendar.yaml with the notice's
 * title, number and date as its source. `--print` only prints. Exits non-zero on any problem,
 * writing nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '../src/errors.js';
import { projectRoot } from '../src/paths.js';
import { importNotice } from '../src/tools/calendar-import.js';
import { CALENDAR_TABLE_FILE, loadCalendarTable } from '../src/tools/calendar-table.js';
import { checkNotice, noticeDays, readHolidayNotice } from '../src/tools/holiday-notice.js';

const usage = '用法：npm run calendar:import -- 通知全文.txt [--print] [--doc-number 国办发明电〔YYYY〕N号] [--url 网址] [--replace]';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function main(): void {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        print: { type: 'boolean', default: false },
        'doc-number': { type: 'string' },
        url: { type: 'string' },
        replace: { type: 'boolean', default: false },
        table: { type: 'string' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${usage}`);
  }
  const [file, ...rest] = args.positionals;
  if (!file || rest.length > 0) fail(usage);
  const tableFile = args.values.table ?? CALENDAR_TABLE_FILE;

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(`无法读取 ${file}：${(err as Error).message}`);
  }
  const reading = readHolidayNotice(text);
  if (!reading.ok) fail(`无法读取这份通知：\n${reading.problems.map((p) => `  - ${p}`).join('\n')}`);
  const { notice } = reading;

  if (args.values.print) {
    const problems = checkNotice(notice, loadCalendarTable().statutoryHolidays);
    if (problems.length > 0) fail(`通知未通过核对：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    for (const day of noticeDays(notice)) console.log(`${day.date} ${day.kind}`);
    return;
  }

  try {
    const result = importNotice(readFileSync(tableFile, 'utf8'), notice, {
      file: relative(projectRoot, tableFile) || tableFile,
      replace: args.values.replace,
      ...(args.values['doc-number'] ? { docNumber: args.values['doc-number'] } : {}),
      ...(args.values.url ? { url: args.values.url } : {}),
    });
    const days = noticeDays(result.entry);
    for (const day of days) console.log(`${day.date} ${day.kind}`);
    const { source } = result.entry;
    const summary = `${notice.year} 年：${days.filter((d) => d.kind === 'off').length} 个放假日、${days.filter((d) => d.kind === 'work').length} 个调休上班日（${source.docNumber}，${source.date}）`;
    const coverage = `通知年份 ${result.noticeYears.from}–${result.noticeYears.to}，暂定推算 ${result.provisionalYears.join('、')} 年`;
    if (result.outcome === 'unchanged') {
      console.log(`日历表已有相同的 ${summary}，未改动。${coverage}。`);
      return;
    }
    writeFileSync(tableFile, result.text);
    console.log(`已写入 ${relative(projectRoot, tableFile)}：${summary}。${coverage}。`);
    console.log(
      `接下来：npm run kb:check 复核；在 knowledge/entries/calendar/ 加一条 ${notice.year} 年放假安排的条目，` +
        `更新 calendar-holiday-notices 条目的通知列表；提交后重新部署（服务启动时读取日历表）。`,
    );
  } catch (err) {
    if (DomainError.isInstance(err)) fail(err.message);
    throw err;
  }
}

main();
