/**
 * `npm run kb:check`: validates the whole knowledge base (entries, region codes, every tool table,
 * the answers table) exactly as start-up does, prints counts by topic and confidence, and lists
 * entries whose last review is more than 180 days old. Exits non-zero on any error.
 */
import { loadAnswerTable } from '../src/dialogue/answer-table.js';
import { chinaToday } from '../src/dialogue/chat-engine.js';
import { loadKnowledgeBase } from '../src/services.js';

const STALE_AFTER_DAYS = 180;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
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
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
