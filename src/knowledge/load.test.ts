import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRegionResolver } from '../tools/region/load-regions.js';
import { loadEntries } from './load.js';

const regions = loadRegionResolver();
const regionName = (code: string) => regions.byCode(code);

/** One entry in a fresh entries folder, loaded as start-up does. */
function loadOne(front: string, body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'entries-'));
  mkdirSync(join(dir, 'waiting'));
  writeFileSync(
    join(dir, 'waiting', 'test-entry.md'),
    `---\nid: test-entry\ntitle: 测试条目的标题\ntopic: waiting\n${front}\nsource:\n  - title: 测试文件\neffective: null\nreviewed: 2026-12-06\n---\n${body}\n`,
  );
  return () => loadEntries({ dir, regionCodes: regions.knownCodes(), regionName });
}

describe('entry scope and term checks at load', () => {
  it('accepts a Shanghai rule under Shanghai’s code', () => {
    expect(loadOne('scope: { level: province, regions: ["310000"] }\nverification: original', '上海：灵活就业人员参加职工医保的等待期规定。')()[0]?.places).toEqual(['上海市']);
  });

  it('refuses a Shanghai rule filed under Jiangsu’s code', () => {
    expect(loadOne('scope: { level: province, regions: ["320000"] }\nverification: original', '上海：灵活就业人员参加职工医保的等待期规定。')).toThrow(/test-entry\.md.*scope\.regions.*江苏省/);
  });

  it('refuses a province-level entry with a city code, and a city-level entry with a province code', () => {
    expect(loadOne('scope: { level: province, regions: ["371000"] }\nverification: original', '威海的一次性支付规定，说明文字。')).toThrow(/scope\.regions\[0\].*不是省级代码/);
    expect(loadOne('scope: { level: city, regions: ["370000"] }\nverification: original', '山东的一次性支付规定，说明文字。')).toThrow(/scope\.regions\[0\].*是省级代码/);
  });

  it('refuses a term-limited rule whose snippet does not say when it ends', () => {
    const front = 'scope: { level: province, regions: ["440000"] }\nverification: original\nexpires: 2025-06-30';
    expect(loadOne(front, '广东：省内跨市转移的余额不划转。\n\n该办法有效期至2025年6月30日。')).toThrow(/body.*2025-06-30.*第一段/);
    expect(loadOne(front, '广东：省内跨市转移的余额不划转（有效期至2025年6月30日）。')).not.toThrow();
  });

  it('refuses the old single confidence badge', () => {
    expect(loadOne('scope: { level: national }\nconfidence: official', '全国的测试规定，说明文字足够长。')).toThrow(/test-entry\.md/);
  });
});

const entry = (id: string, extra = '') =>
  [
    '---',
    `id: ${id}`,
    'title: 南京市：转出5个工作日内办结',
    'topic: timeline',
    'scope: { level: city, regions: ["320100"] }',
    'verification: report',
    'source:',
    '  - title: 某市办事指南',
    'effective: null',
    'reviewed: 2026-11-01',
    extra,
    '---',
    '据当地报道，南京市承诺转出5个工作日内办结，快于全国的10个工作日上限。',
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
