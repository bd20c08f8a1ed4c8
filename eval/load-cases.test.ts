import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { categories } from './case-schema.js';
import { CaseFileError, loadCases, projectRoot, resolveCaseFiles } from './load-cases.js';

const scratch = mkdtempSync(join(tmpdir(), 'eval-cases-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeCase(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

function knowledgeIds(dir = join(projectRoot, 'knowledge', 'entries')): Set<string> {
  const ids = new Set<string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) knowledgeIds(path).forEach((id) => ids.add(id));
    else if (name.endsWith('.md')) {
      const id = /^id:\s*(\S+)/m.exec(readFileSync(path, 'utf8'))?.[1];
      if (id) ids.add(id);
    }
  }
  return ids;
}

describe('the shipped cases', () => {
  const cases = loadCases();

  it('are at least 110, with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(110);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('cover every category', () => {
    const covered = new Set(cases.map((c) => c.category));
    expect(categories.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('cite only entries that exist in the knowledge base', () => {
    const known = knowledgeIds();
    const missing = new Set<string>();
    for (const c of cases)
      for (const t of c.turns)
        for (const id of [...(t.citations ?? []), ...t.alsoRelevant]) if (!known.has(id)) missing.add(`${c.id}: ${id}`);
    expect([...missing]).toEqual([]);
  });

  it('give each negative turn something to check', () => {
    const empty = cases.flatMap((c) =>
      c.turns.filter((t) => t.negative && t.facts.length + t.forbidden.length === 0).map(() => c.id),
    );
    expect(empty).toEqual([]);
  });
});

describe('loadCases', () => {
  it('names the file and the field of a bad case', () => {
    const file = writeCase(
      'bad-regex.yaml',
      'category: transfer\ncases:\n  - id: ok-case\n    title: 测试\n    turns:\n      - user: 你好\n        facts: ["(未闭合"]\n',
    );
    expect(() => loadCases(file)).toThrow(CaseFileError);
    expect(() => loadCases(file)).toThrow(/bad-regex\.yaml 的字段 cases\[0\]\.turns\[0\]\.facts\[0\] 有误：正则表达式无效/);
  });

  it('rejects an unknown field, an unknown tool and a bad id', () => {
    const unknownField = writeCase('unknown-field.yaml', 'category: transfer\ncases:\n  - id: a\n    title: 测试\n    turns:\n      - user: 你好\n        fact: [x]\n');
    expect(() => loadCases(unknownField)).toThrow(/cases\[0\]\.turns\[0\]/);
    const unknownTool = writeCase('unknown-tool.yaml', 'category: transfer\ncases:\n  - id: a\n    title: 测试\n    turns:\n      - user: 你好\n        tools: [guess]\n');
    expect(() => loadCases(unknownTool)).toThrow(/tools\[0\]/);
    const badId = writeCase('bad-id.yaml', 'category: transfer\ncases:\n  - id: Bad Id\n    title: 测试\n    turns:\n      - user: 你好\n');
    expect(() => loadCases(badId)).toThrow(/cases\[0\]\.id/);
  });

  it('rejects answer checks on a bad-input turn', () => {
    const file = writeCase('bad-input.yaml', 'category: bad_input\ncases:\n  - id: a\n    title: 测试\n    turns:\n      - body: "{"\n        status: 400\n        intent: greeting\n');
    expect(() => loadCases(file)).toThrow(/intent/);
  });

  it('rejects duplicate ids across files', () => {
    writeCase('dupes-a.yaml', 'category: transfer\ncases:\n  - id: same\n    title: 测试\n    turns:\n      - user: 你好\n');
    writeCase('dupes-b.yaml', 'category: transfer\ncases:\n  - id: same\n    title: 测试\n    turns:\n      - user: 你好\n');
    expect(() => loadCases(join(scratch, 'dupes-*.yaml'))).toThrow(/重复/);
  });

  it('reports a pattern that matches nothing', () => {
    expect(() => loadCases(join(scratch, 'nothing-*.yaml'))).toThrow(/没有找到/);
  });
});

describe('resolveCaseFiles', () => {
  it('expands globs, braces and plain files relative to the project root', () => {
    const all = resolveCaseFiles('eval/cases/*.yaml');
    expect(all.length).toBeGreaterThan(5);
    expect(resolveCaseFiles('eval/cases/{timeline,arrears}.yaml').map((f) => f.split('/').pop())).toEqual([
      'arrears.yaml',
      'timeline.yaml',
    ]);
    expect(resolveCaseFiles('eval/cases/timeline.yaml')).toHaveLength(1);
    expect(resolveCaseFiles('eval/**/time*.yaml').length).toBeGreaterThanOrEqual(1);
  });
});
