import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEntries } from './load.js';

const entry = (id: string, extra = '') =>
  [
    '---',
    `id: ${id}`,
    'title: 某市：转出5个工作日内办结',
    'topic: timeline',
    'scope: { level: city, regions: ["320100"] }',
    'confidence: local',
    'source:',
    '  - title: 某市办事指南',
    'effective: null',
    'reviewed: 2026-11-01',
    extra,
    '---',
    '某市承诺转出5个工作日内办结，快于全国的10个工作日上限。',
    '',
  ].join('\n');

let dirs: string[] = [];
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-extra-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('knowledge loader', () => {
  it('reads an extra folder after knowledge/entries with the same checks', () => {
    const base = loadEntries();
    const all = loadEntries({ extraDirs: [folder({ 'timeline/local-a.md': entry('local-a'), 'local-b.md': entry('local-b') })] });
    expect(all.map((e) => e.id)).toEqual([...base.map((e) => e.id), 'local-b', 'local-a']);
    expect(all.at(-1)).toMatchObject({ scope: { level: 'city', regions: ['320100'] }, reviewed: '2026-11-01', effective: null, alsoTopics: [] });
  });

  it('rejects an id that the main folder already has, naming both files', () => {
    const dir = folder({ 'dup.md': entry('transfer-three-situations') });
    expect(() => loadEntries({ extraDirs: [dir] })).toThrow(/dup\.md 的字段 id.*transfer-three-situations.*重复/);
  });

  it('names the file and the field of a bad front matter', () => {
    expect(() => loadEntries({ extraDirs: [folder({ 'bad.md': entry('bad-yaml', 'keywords: [未闭合') })] })).toThrow(/bad\.md 的字段 \(整体\) 有误：YAML 解析失败/);
    expect(() => loadEntries({ extraDirs: [folder({ 'bad.md': entry('bad-date').replace('2026-11-01', '2026-13-01') })] })).toThrow(/bad\.md 的字段 reviewed 有误/);
  });
});
