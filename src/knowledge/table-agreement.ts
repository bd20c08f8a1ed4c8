import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { knowledgeDir, projectRoot } from '../paths.js';
import { KnowledgeError } from './load.js';
import type { KnowledgeEntry } from './schema.js';

/** A source row of a rule table that names the knowledge entry stating the same rule. */
interface LinkedRow {
  entryId: string;
  scope?: unknown;
  verification?: unknown;
}

/** Where in a table a row sits, for the message, e.g. "rules[3].basis[0]". */
type Found = { path: string; row: LinkedRow };

function linkedRows(value: unknown, path: string, out: Found[], seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => linkedRows(item, `${path}[${i}]`, out, seen));
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.entryId === 'string') out.push({ path, row: record as unknown as LinkedRow });
  for (const [key, child] of Object.entries(record)) linkedRows(child, path ? `${path}.${key}` : key, out, seen);
}

/**
 * Disagreements between a rule table and the entries its source rows name: an unknown entry, or
 * a row whose scope or verification differs from the entry's (a table calling a rule `original`
 * while its entry says `report`). Returns one message per problem; empty when they agree.
 */
export function tableEntryDisagreements(table: unknown, entries: ReadonlyMap<string, KnowledgeEntry>): string[] {
  const found: Found[] = [];
  linkedRows(table, '', found, new Set());
  const problems: string[] = [];
  for (const { path, row } of found) {
    const entry = entries.get(row.entryId);
    if (!entry) {
      problems.push(`${path}: 引用的知识条目 ${row.entryId} 不存在`);
      continue;
    }
    if (typeof row.scope === 'string' && row.scope !== entry.scope.level)
      problems.push(`${path}: 范围 ${row.scope} 与条目 ${entry.id} 的 ${entry.scope.level} 不一致`);
    if (typeof row.verification === 'string' && row.verification !== entry.verification)
      problems.push(`${path}: 核实方式 ${row.verification} 与条目 ${entry.id} 的 ${entry.verification} 不一致`);
  }
  return problems;
}

/**
 * Reads every YAML table under knowledge/tables and throws a KnowledgeError naming the file and
 * row at the first source row that disagrees with its entry (see tableEntryDisagreements).
 */
export function checkTablesAgreeWithEntries(entries: ReadonlyMap<string, KnowledgeEntry>, dir = join(knowledgeDir, 'tables')): void {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const path = join(dir, name);
    const table: unknown = parseYaml(readFileSync(path, 'utf8'), { maxAliasCount: -1 });
    const [first] = tableEntryDisagreements(table, entries);
    if (first) throw new KnowledgeError(relative(projectRoot, path), first.split(':')[0]!, first.slice(first.indexOf(':') + 1).trim());
  }
}
