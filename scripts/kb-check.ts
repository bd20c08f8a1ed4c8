/**
 * `npm run kb:check [YYYY-MM-DD]`: validates the whole knowledge base (entries, region codes and the
 * places they name, every tool table and its agreement with the entries, the provincial coverage
 * table, the journey files) exactly as start-up does, prints counts by topic and verification, the
 * province × topic coverage table, lists entries whose last review is more than 180 days old, and
 * reports how long the working-day calendar still answers, with a warning when its last computable
 * day is near. Exits non-zero on any error. The optional date stands in for today.
 */
import { checkJourneys } from '../src/dialogue/journeys/check-journeys.js';
import { loadJourneys } from '../src/dialogue/journeys/schema.js';
import { chinaToday } from '../src/dialogue/chat-engine.js';
import { coverageFor, coverageTopics, provincesWithVerifiedText } from '../src/knowledge/provincial-coverage.js';
import { verificationLabels } from '../src/knowledge/schema.js';
import { loadKnowledgeBase } from '../src/services.js';
import { calendarRunway } from '../src/tools/calendar-runway.js';

const STALE_AFTER_DAYS = 180;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar's runway, and what to do when the next notice is due or the runway is short. */
function reportCalendar(calendar: ReturnType<typeof loadKnowledgeBase>['calendar'], today: string): void {
  const r = calendarRunway(calendar, today);
  const provisional = calendar.provisionalYearsBetween(`${r.lastNoticeYear + 1}-01-01`, r.lastDay).join('、');
  console.log(
    `工作日历：${calendar.coveredFrom}–${r.lastNoticeYear} 年按国务院办公厅放假通知（至 ${r.noticeCoveredUntil}，还剩 ${r.noticeDaysRemaining} 天）；` +
      `${provisional} 年按法定节假日暂定推算，可推算至 ${r.lastDay}（还剩 ${r.daysRemaining} 天，以 ${today} 计）。`,
  );
  const next = r.lastNoticeYear + 1;
  const command = 'npm run calendar:import -- 通知全文.txt';
  if (r.warn)
    console.log(`警告：工作日历只剩 ${r.daysRemaining} 天（至 ${r.lastDay}），之后的日期一律无法计算。请导入 ${next} 年起的国务院办公厅放假通知：${command}`);
  else if (r.noticeDaysRemaining === 0)
    console.log(`提示：${next} 年的放假通知尚未导入，${next} 年的日期都按法定节假日暂定推算。通知发布后请导入：${command}`);
  else if (r.noticeDaysRemaining <= calendar.warnDaysBeforeEnd)
    console.log(`提示：${next} 年的放假通知通常在 ${r.lastNoticeYear} 年11月前后发布；发布后请导入：${command}`);
}

/** One cell: ✓n read official text (n entries), ±n conflicting with the national rule, ID named only, 报 reports/drafts, — nothing, n/a. */
function cell(kb: ReturnType<typeof loadKnowledgeBase>, code: string, topic: (typeof coverageTopics)[number]): string {
  const row = kb.coverage.provinces.find((p) => p.code === code)!;
  const c = row.topics[topic];
  if (c.status === 'not-applicable') return 'n/a';
  const parts = [];
  if (c.verified.length) parts.push(`✓${c.verified.length}`);
  if (c.conflicts.length) parts.push(`±${c.conflicts.length}`);
  if (c.identified.length) parts.push(`ID${c.identified.length}`);
  if (c.reported.length) parts.push(`报${c.reported.length}`);
  // A cell whose verified entries are all city rules answers only for those cities.
  const cityOnly = c.verified.length > 0 && coverageFor(kb.coverage, code, topic)?.status !== 'verified';
  return (parts.join(' ') || '—') + (cityOnly ? '（市）' : '');
}

function printCoverage(kb: ReturnType<typeof loadKnowledgeBase>): void {
  const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) >= 0x2e80 ? 2 : 1), 0);
  const header = ['省份', ...coverageTopics.map((t) => kb.coverage.topics[t])];
  const rows = kb.coverage.provinces.map((row) => [row.shortName, ...coverageTopics.map((t) => cell(kb, row.code, t))]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))) + 2);
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('').trimEnd();
  console.log('各省核实情况（✓ 读到原文的条目数，± 与国家规定不一致待核实，ID 只读到文号，报 报道或征求意见稿，— 未核实，n/a 直辖市不涉及）：');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const verified = provincesWithVerifiedText(kb.coverage, kb.entryById);
  console.log(`至少有一条读到原文的本省（含本省城市）规定的省份：${verified.length} 个（${verified.map((p) => p.shortName).join('、')}）。`);
}

try {
  const kb = loadKnowledgeBase();
  const journeys = loadJourneys();
  checkJourneys(journeys, kb.entryById, kb.tools);
  const today = process.argv[2] ?? chinaToday();
  const count = (key: (e: (typeof kb.entries)[number]) => string) =>
    Object.entries(kb.entries.reduce<Record<string, number>>((acc, e) => ((acc[key(e)] = (acc[key(e)] ?? 0) + 1), acc), {}))
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  console.log(`知识库校验通过：${kb.entries.length} 条目，${kb.tools.length} 个工具及其数据表，${journeys.length} 个对话旅程，地区代码 ${kb.regions.knownCodes().size} 个。`);
  console.log(`按主题：${count((e) => e.topic)}`);
  console.log(`按核实方式：${count((e) => verificationLabels[e.verification])}`);
  console.log(`按范围：${count((e) => e.scope.level)}`);
  printCoverage(kb);
  const stale = kb.entries.filter((e) => daysBetween(e.reviewed, today) > STALE_AFTER_DAYS);
  if (stale.length === 0) console.log(`没有超过${STALE_AFTER_DAYS}天未复核的条目（以 ${today} 计）。`);
  else {
    console.log(`超过${STALE_AFTER_DAYS}天未复核的条目（以 ${today} 计）：`);
    for (const e of stale) console.log(`  ${e.id}  reviewed ${e.reviewed}  (${daysBetween(e.reviewed, today)} 天)  ${e.file}`);
  }
  const expired = kb.entries.filter((e) => e.expires && e.expires < today);
  if (expired.length) {
    console.log('有效期已过、需向当地核实现行规定的条目：');
    for (const e of expired) console.log(`  ${e.id}  expires ${e.expires}`);
  }
  reportCalendar(kb.calendar, today);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
