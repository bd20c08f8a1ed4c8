import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeDir } from '../paths.js';
import { loadEntries } from '../knowledge/load.js';
import type { Region, RegionLookup, ResolveResult } from './region/types.js';
import { createRetireeCreditTool, loadRetireeCredit, retireeCredit, type RetireeCreditDeps } from './retiree-credit.js';

const city = (name: string, code: string, province: string, provinceCode: string): Region => ({
  name, shortName: name.replace(/市$/, ''), code, level: 'prefecture', city: name, province, provinceCode, poolingArea: { code, name },
});
const places: Record<string, Region> = {
  深圳: city('深圳市', '440300', '广东省', '440000'),
  南京: city('南京市', '320100', '江苏省', '320000'),
};
const regions: RegionLookup = {
  resolve: (name): ResolveResult => {
    const region = places[name];
    return region ? { status: 'ok', region } : { status: 'unknown', suggestions: ['深圳'] };
  },
  findMentions: () => [],
  byCode: (code) => Object.values(places).find((r) => r.code === code),
  knownCodes: () => new Set(Object.values(places).map((r) => r.code)),
};
const deps: RetireeCreditDeps = { table: loadRetireeCredit(), regions };

describe('retiree monthly credit', () => {
  it('states the national rule: a fixed amount from the pooled fund, about 2 % of the area’s average pension', () => {
    const result = retireeCredit({}, deps);
    expect(result.percent).toBe(2);
    expect(result.rule).toContain('统筹基金按定额划入');
    expect(result.rule).toContain('不是“返款”');
    expect(result.rule).toContain('不是按本人养老金');
    expect(result).toMatchObject({ scope: 'national', confidence: 'secondary', estimate: null, localFigure: null, place: null });
    expect(result.basis[0]?.source.docNumber).toBe('国办发〔2021〕14号');
  });

  it('says the “2%以内” wording is from the 2020 draft', () => {
    const result = retireeCredit({}, deps);
    expect(result.draftNote).toContain('2%以内');
    expect(result.draftNote).toContain('征求意见稿');
    expect(result.basis.some((b) => b.source.date === '2020-08-26')).toBe(true);
  });

  it.each([
    [3000, '3000 × 2% ≈ 60', 60],
    [3456.78, '3456.78 × 2% ≈ 69.14', 69.14],
  ])('estimates the national benchmark from a user-given average pension of %d', (averagePension, formula, value) => {
    const result = retireeCredit({ averagePension }, deps);
    expect(result.estimate).toMatchObject({ formula, value });
    expect(result.estimate?.label).toContain('不是当地实际划入金额');
    expect(result.estimateNote).toBeNull();
  });

  it('never returns a city figure: Shenzhen gets no 250 yuan', () => {
    const result = retireeCredit({ city: '深圳' }, deps);
    expect(result.place?.code).toBe('440300');
    expect(result.localFigure).toBeNull();
    expect(JSON.stringify(result)).not.toContain('250');
    expect(result.advice).toContain('暂未收录深圳市');
    expect(result.advice).toContain('12393');
  });

  it('rejects an unknown city', () => {
    expect(() => retireeCredit({ city: '火星' }, deps)).toThrow(expect.objectContaining({ code: 'REGION_NOT_FOUND' }));
  });
});

describe('retiree credit as data', () => {
  const tableDir = (edit: (yaml: string) => string) => {
    const dir = mkdtempSync(join(tmpdir(), 'retiree-tables-'));
    writeFileSync(join(dir, 'retiree-credit.yaml'), edit(readFileSync(join(knowledgeDir, 'tables', 'retiree-credit.yaml'), 'utf8')));
    return dir;
  };
  const figure = (verification: string, scope = 'city') =>
    `localFigures:\n  - place: 南京市\n    regions: ['320100']\n    amountYuanPerMonth: 123\n    text: 南京测试金额说明。\n    basis:\n      - label: 南京测试来源\n        source: { title: 南京市医疗保障局 测试通知 }\n        scope: ${scope}\n        verification: ${verification}\n`;

  it('links every source to an existing knowledge entry', () => {
    const ids = new Set(loadEntries().map((e) => e.id));
    const linked = [...JSON.stringify(deps.table).matchAll(/"entryId":"([^"]+)"/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('follows an edited benchmark percent', () => {
    const table = loadRetireeCredit(tableDir((y) => y.replace('percent: 2\n', 'percent: 2.5\n')));
    expect(retireeCredit({ averagePension: 4000 }, { table }).estimate?.formula).toBe('4000 × 2.5% ≈ 100');
  });

  it('shows a cited local figure for that city only', () => {
    const table = loadRetireeCredit(tableDir((y) => y.replace('localFigures: []\n', figure('original'))));
    expect(retireeCredit({ city: '南京' }, { table, regions }).localFigure).toMatchObject({ place: '南京市', amountYuanPerMonth: 123 });
    expect(retireeCredit({ city: '深圳' }, { table, regions }).localFigure).toBeNull();
  });

  it('refuses a city figure resting on a draft, a not-found finding or a national source', () => {
    expect(() => loadRetireeCredit(tableDir((y) => y.replace('localFigures: []\n', figure('draft'))))).toThrow(/retiree-credit\.yaml.*正式来源/);
    expect(() => loadRetireeCredit(tableDir((y) => y.replace('localFigures: []\n', figure('not-found'))))).toThrow(/正式来源/);
    expect(() => loadRetireeCredit(tableDir((y) => y.replace('localFigures: []\n', figure('original', 'national'))))).toThrow(/当地来源/);
  });
});

describe('retiree_credit tool', () => {
  it('validates its input', () => {
    const tool = createRetireeCreditTool({ regions });
    expect(tool).toMatchObject({ name: 'retiree_credit', route: 'retiree-credit' });
    expect(tool.input.safeParse({ averagePension: -5 }).success).toBe(false);
    expect(tool.run(tool.input.parse({ averagePension: 3000 })).estimate?.value).toBe(60);
  });
});
