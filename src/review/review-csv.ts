import { reasonLabels } from './review-record.js';
import type { ReviewItem } from './review-query.js';

const chinaTimeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** An ISO time as China local time, "2026-12-05 14:03:22". */
export const chinaTime = (iso: string): string => chinaTimeFormat.format(new Date(iso));

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a
 * spreadsheet would run as a formula (=, +, -, @ first; users type these too) gets a leading
 * apostrophe, so an exported question can never execute in the operator's spreadsheet.
 */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const columns: [string, (item: ReviewItem) => unknown][] = [
  ['时间', (i) => chinaTime(i.at)],
  ['会话', (i) => i.sessionId],
  ['轮次', (i) => i.turn],
  ['原因', (i) => reasonLabels[i.reason]],
  ['全部原因', (i) => i.reasons.map((r) => reasonLabels[r]).join('；')],
  ['意图', (i) => i.intent],
  ['理解置信度', (i) => i.confidence],
  ['评价', (i) => (i.rating === 'down' ? '没帮助' : i.rating === 'up' ? '有帮助' : '')],
  ['评论', (i) => i.comment],
  ['问题', (i) => i.question],
  ['回答', (i) => i.reply],
  ['引用条目', (i) => i.citations.join(' ')],
  ['条目文件', (i) => i.entries.map((e) => e.file ?? e.id).join(' ')],
  ['模型回退原因', (i) => i.fallback],
  ['已知信息', (i) => (Object.keys(i.slots).length > 0 ? JSON.stringify(i.slots) : '')],
];

/**
 * The listed turns as CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads the
 * Chinese), CRLF line ends, one row per turn.
 */
export function reviewCsv(items: readonly ReviewItem[]): string {
  const rows = [columns.map(([name]) => csvCell(name)).join(',')];
  for (const item of items) rows.push(columns.map(([, get]) => csvCell(get(item))).join(','));
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
