import { KnowledgeError } from '../../knowledge/load.js';
import type { KnowledgeEntry } from '../../knowledge/schema.js';
import type { Tool } from '../../tools/tool.js';
import { labels } from '../nlu/corpus.js';
import { renderers } from './renderers.js';
import type { Journey } from './schema.js';

/**
 * What the journey files promise and the code must keep, checked at start-up: each names a
 * renderer that exists and calls that renderer's tool, the tool is loaded, every entry it cites
 * exists, and every classifier label but `inform` (facts that continue the journey under way)
 * starts some journey.
 */
export function checkJourneys(journeys: readonly Journey[], entries: ReadonlyMap<string, KnowledgeEntry>, tools: readonly Tool[]): void {
  const toolNames = new Set(tools.map((t) => t.name));
  for (const j of journeys) {
    const file = `knowledge/dialogue/journeys/${j.id}.yaml`;
    const renderer = (renderers as Record<string, { tool?: string }>)[j.render];
    if (!renderer) throw new KnowledgeError(file, 'render', `没有名为 ${j.render} 的渲染器`);
    if (renderer.tool !== j.tool) throw new KnowledgeError(file, 'tool', `渲染器 ${j.render} 读取 ${renderer.tool ?? '知识条目'}，旅程却调用 ${j.tool ?? '无工具'}`);
    if (j.tool && !toolNames.has(j.tool)) throw new KnowledgeError(file, 'tool', `工具 ${j.tool} 未加载`);
    for (const f of j.focus) if (f.entry && !entries.has(f.entry)) throw new KnowledgeError(file, `focus.${f.name}`, `知识条目 ${f.entry} 不存在`);
    for (const r of j.redirects) if (!journeys.some((o) => o.id === r.to)) throw new KnowledgeError(file, 'redirects', `没有旅程 ${r.to}`);
    for (const [role, ids] of Object.entries(j.entries))
      for (const id of [ids].flat()) if (!entries.has(id)) throw new KnowledgeError(file, `entries.${role}`, `知识条目 ${id} 不存在`);
  }
  const started = new Set(journeys.flatMap((j) => j.labels));
  const orphan = labels.filter((l) => l !== 'inform' && !started.has(l));
  if (orphan.length) throw new KnowledgeError('knowledge/dialogue/journeys', 'labels', `这些标签没有旅程：${orphan.join('、')}`);
}
