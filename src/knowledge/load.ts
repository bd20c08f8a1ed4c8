import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DomainError } from '../errors.js';
import { knowledgeDir, projectRoot } from '../paths.js';
import { entryMetaSchema, type KnowledgeEntry } from './schema.js';

/** A bad knowledge file: the message names the file and the field so a reviewer can fix it. */
export class KnowledgeError extends DomainError {
  constructor(file: string, field: string, problem: string) {
    super('KNOWLEDGE_INVALID', 500, `知识库文件 ${file} 的字段 ${field || '(整体)'} 有误：${problem}`);
  }
}

const rel = (path: string) => relative(projectRoot, path) || path;

function formatZodPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

/** Validates `data` with `schema`, throwing a KnowledgeError naming the file and first bad field. */
export function validateOrThrow<S extends z.ZodType>(schema: S, data: unknown, file: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new KnowledgeError(rel(file), formatZodPath(issue.path), issue.message);
}

/**
 * Splits `---\nyaml\n---\nbody` into its parts. The front matter is parsed with js-yaml's YAML
 * 1.2 core schema (what the yaml package gives for these files, dates stay strings): on 20,000
 * entries it takes about 0.25 s where the yaml package takes 2.3 s, most of start-up.
 */
export function splitFrontMatter(text: string, file: string): { meta: unknown; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ''));
  if (!match) throw new KnowledgeError(rel(file), '', '缺少以 --- 包围的 YAML 头部');
  let meta: unknown;
  try {
    meta = loadYaml(match[1]!, { schema: CORE_SCHEMA, filename: rel(file) });
  } catch (err) {
    throw new KnowledgeError(rel(file), '', `YAML 解析失败：${(err as Error).message.split('\n')[0]}`);
  }
  return { meta, body: match[2]!.trim() };
}

function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  // Entry types from readdir: a stat per file costs a tenth of a second on 20,000 entries.
  for (const item of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, item.name);
    const isDirectory = item.isDirectory() || (item.isSymbolicLink() && statSync(path).isDirectory());
    if (isDirectory) out.push(...listFiles(path, ext));
    else if (item.name.endsWith(ext)) out.push(path);
  }
  return out;
}

/**
 * Plain-text first paragraph of a Markdown body, used as the citation snippet. (A change to what
 * it returns must bump LOADER_VERSION in entry-snapshot.ts.)
 */
export function firstParagraph(body: string): string {
  const para = body.split(/\r?\n\s*\r?\n/).find((p) => p.trim() && !p.trim().startsWith('#')) ?? '';
  return para
    .replace(/^[-*]\s+/gm, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/\s*\r?\n\s*/g, '')
    .trim();
}

export interface LoadEntriesOptions {
  dir?: string;
  /**
   * More folders of entries, read after `dir` with the same checks (ids must be unique across
   * all of them): a deployment's own local rules, or the scale benchmark's generated ones.
   */
  extraDirs?: readonly string[];
  /** Known 6-digit region codes; an entry scoped to an unknown code is an error. */
  regionCodes?: ReadonlySet<string>;
  /**
   * Names of a region code ("上海市", short "上海"). With it, a local entry must name one of its
   * scope's places in its title or first paragraph, so a code that points at the wrong place
   * (a Shanghai rule filed under Jiangsu's code) stops start-up; and `places` holds the names.
   */
  regionName?: (code: string) => { name: string; shortName: string } | undefined;
}

/** Problems with a local entry's term and place that the schema alone cannot see. */
function checkLocalEntry(entry: KnowledgeEntry, options: LoadEntriesOptions): void {
  // A measure with a fixed term says when it ends where the user reads it: in the snippet.
  if (entry.expires) {
    const [y, m, d] = entry.expires.split('-').map(Number);
    if (!entry.summary.includes(entry.expires) && !entry.summary.includes(`${y}年${m}月${d}日`))
      throw new KnowledgeError(entry.file, 'body', `有效期至 ${entry.expires} 的条目须在第一段写明到期日`);
  }
  if (!options.regionName || entry.scope.level === 'national') return;
  const names = entry.scope.regions.map((code) => options.regionName!(code));
  const text = `${entry.title}${entry.summary}`;
  if (!names.some((n) => n && (text.includes(n.name) || text.includes(n.shortName))))
    throw new KnowledgeError(
      entry.file,
      'scope.regions',
      `地区代码 ${entry.scope.regions.join('、')}（${names.map((n) => n?.name ?? '?').join('、')}）与标题和第一段所说的地方不符`,
    );
}

/** One entry file as read from disk. */
export interface EntryFile {
  /** Absolute path. */
  path: string;
  text: string;
}

/** Reads every `*.md` file under knowledge/entries and the extra folders, in load order. */
export function readEntryFiles(options: Pick<LoadEntriesOptions, 'dir' | 'extraDirs'> = {}): EntryFile[] {
  const dirs = [options.dir ?? join(knowledgeDir, 'entries'), ...(options.extraDirs ?? [])];
  return dirs.flatMap((dir) => listFiles(dir, '.md')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/**
 * Validates each file's front matter and body, and rejects duplicate ids and unknown region
 * codes. Throws KnowledgeError on the first problem.
 */
export function parseEntryFiles(files: readonly EntryFile[], options: Pick<LoadEntriesOptions, 'regionCodes' | 'regionName'> = {}): KnowledgeEntry[] {
  const entries: KnowledgeEntry[] = [];
  const seen = new Map<string, string>();
  for (const { path, text } of files) {
    const file = rel(path);
    const { meta, body } = splitFrontMatter(text, path);
    const parsed = validateOrThrow(entryMetaSchema, meta, path);
    if (body.length < 20) throw new KnowledgeError(file, 'body', '正文过短或缺失');
    const previous = seen.get(parsed.id);
    if (previous) throw new KnowledgeError(file, 'id', `id "${parsed.id}" 与 ${previous} 重复`);
    seen.set(parsed.id, file);
    if (options.regionCodes) {
      parsed.scope.regions.forEach((code, i) => {
        if (!options.regionCodes!.has(code))
          throw new KnowledgeError(file, `scope.regions[${i}]`, `未知的地区代码 ${code}`);
      });
    }
    const places = parsed.scope.regions.map((code) => options.regionName?.(code)?.name ?? code);
    const entry: KnowledgeEntry = { ...parsed, body, summary: firstParagraph(body), file, places };
    checkLocalEntry(entry, options);
    entries.push(entry);
  }
  return entries;
}

/**
 * Reads every `*.md` entry under knowledge/entries (and the extra folders), validates its front
 * matter and body, and rejects duplicate ids and unknown region codes. Throws KnowledgeError on
 * the first problem.
 */
export function loadEntries(options: LoadEntriesOptions = {}): KnowledgeEntry[] {
  return parseEntryFiles(readEntryFiles(options), options);
}

/** Reads and validates one YAML table under knowledge/tables (e.g. `stage-limits`). */
export function loadTable<S extends z.ZodType>(name: string, schema: S, dir = join(knowledgeDir, 'tables')): z.output<S> {
  const path = join(dir, `${name}.yaml`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(rel(path), '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
  }
  return validateOrThrow(schema, data, path);
}
