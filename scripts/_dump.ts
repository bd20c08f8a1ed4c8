import { loadCases } from '../eval/load-cases.js';
import { inProcessTarget } from '../eval/chat-client.js';
const cases = loadCases();
const target = await inProcessTarget();
const keys = new Map<string, Set<string>>();
const strs = new Map<string, Set<string>>();
function walk(tool: string, path: string, v: unknown) {
  if (typeof v === 'number') { const k = `${tool}:${path}`; if (!keys.has(k)) keys.set(k, new Set()); if (keys.get(k)!.size < 6) keys.get(k)!.add(String(v)); }
  else if (typeof v === 'string' && /\d/.test(v)) { const k = `${tool}:${path}`; if (!strs.has(k)) strs.set(k, new Set()); if (strs.get(k)!.size < 3) strs.get(k)!.add(v.slice(0, 120)); }
  else if (Array.isArray(v)) v.forEach((x) => walk(tool, path + '[]', x));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(tool, path + '.' + k, x);
}
for (const c of cases) {
  const sid = 'd' + Math.random().toString(36).slice(2);
  for (const t of c.turns) {
    if (!t.user) continue;
    const r = await target.send({ json: { sessionId: sid, message: t.user } });
    const j = r.json as { toolCalls?: { name: string; output: unknown }[] };
    for (const tc of j?.toolCalls ?? []) walk(tc.name, '', tc.output);
  }
}
for (const [k, v] of [...keys].sort()) console.log('NUM', k, [...v].join(' | '));
for (const [k, v] of [...strs].sort()) console.log('STR', k, [...v].join(' || '));
await target.close();
