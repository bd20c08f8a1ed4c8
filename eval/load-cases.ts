import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { caseFileSchema, type EvalCase } from './case-schema.js';

/** Project root (the directory above eval/). */
export const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Default case files. */
export const defaultCasesGlob = 'eval/cases/*.yaml';

/** A case file that cannot be used; the message names the file and the field. */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';

  /** True for a CaseFileError, also across module copies. */
  static is(err: unknown): err is CaseFileError {
    return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'CaseFileError';
  }
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`用例文件 ${file} 的字段 ${field || '(整体)'} 有误：${problem}`);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/**
 * Files matching `pattern` (relative to the project root or absolute): a file, a directory (its
 * *.yaml files) or a glob with `*`, `**`, `?` and `{a,b}`.
 */
export function resolveCaseFiles(pattern: string, root = projectRoot): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(root, pattern);
  if (!/[*?{]/.test(pattern)) {
    if (!existsSync(absolute)) return [];
    if (statSync(absolute).isDirectory())
      return walk(absolute).filter((f) => /\.ya?ml$/.test(f));
    return [absolute];
  }
  const parts = absolute.split(sep);
  const firstGlob = parts.findIndex((p) => /[*?{]/.test(p));
  const base = parts.slice(0, firstGlob).join(sep) || sep;
  if (!existsSync(base)) return [];
  const matcher = globToRegExp(parts.slice(firstGlob).join('/'));
  return walk(base).filter((f) => matcher.test(relative(base, f).split(sep).join('/')));
}

/** Parses and validates one case file. */
export function loadCaseFile(path: string, root = projectRoot): EvalCase[] {
  const file = relative(root, path) || path;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CaseFileError(file, '', `YAML 解析失败：${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = caseFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CaseFileError(file, formatPath(issue.path), issue.message);
  }
  return parsed.data.cases.map((c) => ({
    id: c.id,
    category: c.category ?? parsed.data.category,
    title: c.title,
    file,
    turns: c.turns,
  }));
}

/** Loads every case of the files matching `pattern`; case ids must be unique across files. */
export function loadCases(pattern: string = defaultCasesGlob, root = projectRoot): EvalCase[] {
  const files = resolveCaseFiles(pattern, root);
  if (files.length === 0) throw new CaseFileError(pattern, '', '没有找到匹配的用例文件');
  const seen = new Map<string, string>();
  const cases: EvalCase[] = [];
  for (const path of files) {
    const loaded = loadCaseFile(path, root);
    loaded.forEach((c, i) => {
      const other = seen.get(c.id);
      if (other) throw new CaseFileError(c.file, `cases[${i}].id`, `用例 id「${c.id}」与 ${other} 重复`);
      seen.set(c.id, c.file);
      cases.push(c);
    });
  }
  return cases;
}
