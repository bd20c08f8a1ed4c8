/**
 * `npm run kb:check [YYYY-MM-DD]`: validates the whole knowledge base (entries, region codes, every
 * tool table, the answers table) exactly as start-up does, prints counts by topic and confidence,
 * lists entries whose last review is more than 180 days old, and reports how long the working-day
 * calendar still answers, with a warning when its last computable day is near. Exits non-zero on
 * any error. The optional date stands in for today.
 */
import { loadAnswerTable } from '../src/dialogue/answer-table.js';
import { chinaToday } from '../src/dialogue/chat-engine.js';
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

try {
  const kb = loadKnowledgeBase();
  loadAnswerTable(kb.entryById);
  const today = process.argv[2] ?? chinaToday();
  const count = (key: (e: (typeof kb.entries)[number]) => string) =>
    Object.entries(kb.entries.reduce<Record<string, number>>((acc, e) => ((acc[key(e)] = (acc[key(e)] ?? 0) + 1), acc), {}))
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  console.log(`知识库校验通过：${kb.entries.length} 条目，${kb.tools.length} 个工具及其数据表，地区代码 ${kb.regions.knownCodes().size} 个。`);
  console.log(`按主题：${count((e) => e.topic)}`);
  console.log(`按可信度：${count((e) => e.confidence)}`);
  console.log(`按范围：${count((e) => e.scope.level)}`);
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
