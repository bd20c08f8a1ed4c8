import { isDeepStrictEqual } from 'node:util';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { DomainError } from '../errors.js';
import { validateOrThrow } from '../knowledge/load.js';
import { CALENDAR_TABLE_FILE, calendarTableSchema, type NoticeYear } from './calendar-table.js';
import { checkNotice, type ParsedNotice } from './holiday-notice.js';
import { createCalendar } from './working-days.js';

/**
 * Writes a State Council notice into the text of knowledge/tables/calendar.yaml: a new entry for
 * the year right after the last notice year (which then stops being provisional), or, with
 * `replace`, a new version of a year already there. Comments and layout of the file are kept. The
 * result is loaded exactly as start-up loads it before it is returned, so a table that would stop
 * the service is never written.
 */

export interface ImportOptions {
  /** The document number, when the published copy has none (Xinhua's full texts). */
  docNumber?: string;
  /** Where the notice was read, kept with its source. */
  url?: string;
  /** Replace a year the table already has with different data. */
  replace?: boolean;
  /** The table's path, named in error messages. */
  file?: string;
}

export interface ImportResult {
  text: string;
  outcome: 'added' | 'replaced' | 'unchanged';
  entry: NoticeYear;
  /** Notice years and the provisional years after the import. */
  noticeYears: { from: number; to: number };
  provisionalYears: number[];
}

const importError = (message: string) => new DomainError('VALIDATION_FAILED', 422, message);

/** The table entry for a notice: its title, number, issuer and date as the source. */
export function entryOf(notice: ParsedNotice, options: ImportOptions = {}): NoticeYear {
  const docNumber = options.docNumber ?? notice.docNumber;
  if (!docNumber)
    throw importError(`通知全文里没有文号（如 国办发明电〔${notice.year - 1}〕N号），请用 --doc-number 给出（见中国政府网上的通知原文）。`);
  if (options.docNumber && notice.docNumber && options.docNumber !== notice.docNumber)
    throw importError(`--doc-number ${options.docNumber} 与通知全文里的文号 ${notice.docNumber} 不一致。`);
  return {
    year: notice.year,
    source: { title: notice.title, docNumber, issuer: '国务院办公厅', date: notice.date, ...(options.url ? { url: options.url } : {}) },
    holidays: notice.holidays,
    makeUpWorkdays: notice.makeUpWorkdays,
  };
}

/** Applies `notice` to the calendar table's text; throws a DomainError with a Chinese message on any problem. */
export function importNotice(tableText: string, notice: ParsedNotice, options: ImportOptions = {}): ImportResult {
  const file = options.file ?? CALENDAR_TABLE_FILE;
  const doc = parseDocument(tableText);
  const table = validateOrThrow(calendarTableSchema, doc.toJS(), file);
  const problems = checkNotice(notice, table.statutoryHolidays);
  if (problems.length > 0) throw importError(`通知未通过核对：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const entry = entryOf(notice, options);
  const { from, to } = table.noticeYears;

  const years = doc.get('years') as YAMLSeq;
  const index = table.years.findIndex((y) => y.year === entry.year);
  let outcome: ImportResult['outcome'];
  if (index >= 0) {
    const existing = table.years[index]!;
    const sameDays = isDeepStrictEqual(existing.holidays, entry.holidays) && isDeepStrictEqual(existing.makeUpWorkdays, entry.makeUpWorkdays);
    if (sameDays) {
      return { text: tableText, outcome: 'unchanged', entry: existing, noticeYears: { from, to }, provisionalYears: provisionalAfter(to, table.provisional.yearsAfterLastNotice) };
    }
    if (!options.replace)
      throw importError(`日历表已有 ${entry.year} 年（${existing.source.docNumber}），放假或调休日期与这份通知不同；确认以这份通知为准时加 --replace。`);
    years.set(index, entryNode(doc, entry));
    outcome = 'replaced';
  } else if (entry.year === to + 1) {
    years.add(entryNode(doc, entry));
    doc.setIn(['noticeYears', 'to'], entry.year);
    outcome = 'added';
  } else {
    throw importError(`日历表的通知年份是 ${from}–${to} 年，只能导入紧接其后的 ${to + 1} 年，收到的是 ${entry.year} 年。`);
  }

  const text = doc.toString({ lineWidth: 0 });
  const updated = validateOrThrow(calendarTableSchema, parseDocument(text).toJS(), file);
  createCalendar(updated, { file }); // throws a KnowledgeError (e.g. chinese-days disagrees) before anything is written
  return {
    text,
    outcome,
    entry,
    noticeYears: updated.noticeYears,
    provisionalYears: provisionalAfter(updated.noticeYears.to, updated.provisional.yearsAfterLastNotice),
  };
}

const provisionalAfter = (lastNoticeYear: number, count: number) => Array.from({ length: count }, (_, i) => lastNoticeYear + 1 + i);

/** The YAML node of one year, in the table's layout (one flow map per holiday range and make-up day). */
function entryNode(doc: ReturnType<typeof parseDocument>, entry: NoticeYear): YAMLMap {
  const node = doc.createNode(entry) as YAMLMap;
  node.spaceBefore = true;
  for (const key of ['holidays', 'makeUpWorkdays'])
    for (const item of (node.get(key) as YAMLSeq<YAMLMap>).items) item.flow = true;
  return node;
}
