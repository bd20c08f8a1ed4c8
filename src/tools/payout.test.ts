import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeDir } from '../paths.js';
import { loadEntries } from '../knowledge/load.js';
import { confidenceOf } from '../knowledge/schema.js';
import { tableEntryDisagreements } from '../knowledge/table-agreement.js';
import { checkPayout, createPayoutTool, loadPayoutRules, type PayoutDeps, payoutSituations } from './payout.js';
import type { Region, RegionLookup, ResolveResult } from './region/types.js';

const city = (name: string, code: string, province: string, provinceCode: string): Region => ({
  name, shortName: name.replace(/市$/, ''), code, level: 'prefecture', city: name, province, provinceCode, poolingArea: { code, name },
});
const nanjing = city('南京市', '320100', '江苏省', '320000');
const places: Record<string, Region> = {
  南京: nanjing,
  玄武区: { ...nanjing, name: '玄武区', shortName: '玄武', code: '320102', level: 'district' },
  苏州: city('苏州市', '320500', '江苏省', '320000'),
  武汉: city('武汉市', '420100', '湖北省', '420000'),
  深圳: city('深圳市', '440300', '广东省', '440000'),
  成都: city('成都市', '510100', '四川省', '510000'),
};
const regions: RegionLookup = {
  resolve: (name): ResolveResult => {
    const region = places[name];
    return region ? { status: 'ok', region } : { status: 'unknown', suggestions: [] };
  },
  findMentions: () => [],
  byCode: (code) => Object.values(places).find((r) => r.code === code),
  knownCodes: () => new Set(Object.values(places).map((r) => r.code)),
};
const deps: PayoutDeps = { rules: loadPayoutRules(), regions };

describe('payout eligibility', () => {
  it.each([
    ['in_service_job_change', 'no', 'national'],
    ['death', 'yes_inherited', 'national'],
    ['emigration', 'local_rule', 'national'],
    ['destination_cannot_receive', 'local_rule', 'national'],
    ['employee_to_resident', 'local_rule', 'national'],
    ['resettled_retiree', 'unknown_local', 'national'],
    ['guangdong_intra_province', 'no', 'province'],
    ['other', 'unknown_local', 'national'],
  ] as const)('%s → %s (%s)', (situation, verdict, scope) => {
    const result = checkPayout({ situation }, deps);
    expect(result).toMatchObject({ situation, verdict, scope });
    expect(result.basis.length).toBeGreaterThan(0);
    expect(result.advice).toContain('12393');
  });

  it('never tells a resettled retiree the balance can go to a bank account, in any city', () => {
    for (const city of [undefined, ...Object.keys(places)]) {
      const result = checkPayout({ situation: 'resettled_retiree', ...(city ? { city } : {}) }, deps);
      expect(result.verdict).toBe('unknown_local');
      expect(result.verdict).not.toMatch(/^yes/);
      expect(result.text).toContain('原参保地');
      expect(result.advice).toContain('原参保地');
      expect(result.verification).toBe('not-found');
      expect(result.basis.map((b) => b.source)).toContainEqual(expect.objectContaining({ docNumber: '医保办发〔2021〕43号', article: '第二条' }));
    }
  });

  it('states the Guangdong rule with its term and asks to confirm it locally', () => {
    const result = checkPayout({ situation: 'guangdong_intra_province' }, deps);
    expect(result.validity).toEqual({ from: '2022-07-01', to: '2025-06-30', currentStatus: 'unknown' });
    expect(result.text).toContain('不划转、不提现');
    expect(result.text).toContain('确认');
    expect(result.basis[0]).toMatchObject({ scope: 'province', verification: 'original', confidence: 'official' });
  });

  it('lists every recorded place when no city is given', () => {
    const places = checkPayout({ situation: 'destination_cannot_receive' }, deps).localExamples.map((e) => e.place);
    expect(places).toEqual(['武汉市', '威海市', '南京市', '广东省']);
  });

  it('gives Weihai’s list, including resettled retirees, only to a Weihai question', () => {
    const weihai: Region = { ...city('威海市', '371000', '山东省', '370000') };
    const withWeihai: PayoutDeps = { ...deps, regions: { ...regions, resolve: (n) => (n === '威海' ? { status: 'ok', region: weihai } : regions.resolve(n)) } };
    const there = checkPayout({ situation: 'resettled_retiree', city: '威海' }, withWeihai);
    expect(there.localExamples.map((e) => e.place)).toEqual(['威海市']);
    expect(there.localExamples[0]?.text).toContain('异地安置退休人员');
    expect(there.localExamples[0]?.basis[0]).toMatchObject({ scope: 'city', verification: 'quoted-phrases', source: { docNumber: '威政发〔2008〕10号' } });
    expect(there.verdict).toBe('unknown_local');
    expect(checkPayout({ situation: 'resettled_retiree', city: '武汉' }, deps).localExamples).toEqual([]);
  });

  it('gives Wuhan’s one-off payment for emigration', () => {
    const result = checkPayout({ situation: 'emigration', city: '武汉' }, deps);
    expect(result.localExamples).toHaveLength(1);
    expect(result.localExamples[0]?.text).toContain('一次性支付');
    expect(result.localExamples[0]?.basis[0]).toMatchObject({ scope: 'city', verification: 'report' });
  });

  it('gives Nanjing’s 市民卡 payment for a district of Nanjing and never a number of days', () => {
    const result = checkPayout({ situation: 'in_service_job_change', city: '玄武区' }, deps);
    expect(result.place?.code).toBe('320102');
    expect(result.localExamples.map((e) => e.place)).toEqual(['南京市']);
    expect(result.localExamples[0]?.text).toContain('市民卡');
    for (const situation of payoutSituations) {
      const json = JSON.stringify(checkPayout({ situation, city: '南京' }, deps));
      expect(json).not.toMatch(/30\s*个?工作日|三十个工作日/);
    }
  });

  it('shows a city only its own province’s practice, not another city’s', () => {
    const suzhou = checkPayout({ situation: 'destination_cannot_receive', city: '苏州' }, deps);
    expect(suzhou.localExamples).toEqual([]);
    expect(suzhou.advice).toContain('暂未收录苏州市');
    const suzhouDeath = checkPayout({ situation: 'death', city: '苏州' }, deps);
    expect(suzhouDeath.localExamples.map((e) => e.place)).toEqual(['江苏省']);
    const shenzhen = checkPayout({ situation: 'destination_cannot_receive', city: '深圳' }, deps);
    expect(shenzhen.localExamples.map((e) => e.place)).toEqual(['广东省']);
    expect(checkPayout({ situation: 'emigration', city: '成都' }, deps).localExamples).toEqual([]);
  });

  it('rejects an unknown city with REGION_NOT_FOUND', () => {
    expect(() => checkPayout({ situation: 'death', city: '火星' }, deps)).toThrow(expect.objectContaining({ code: 'REGION_NOT_FOUND', status: 404 }));
  });

  it('labels every source with how it was read, in agreement with the entry it names', () => {
    const entries = new Map(loadEntries().map((e) => [e.id, e]));
    for (const situation of payoutSituations) {
      const result = checkPayout({ situation }, deps);
      expect(tableEntryDisagreements(result, entries)).toEqual([]);
      expect(result.confidence).toBe(confidenceOf(result.verification));
    }
  });

  it('says a rule was not found rather than calling a local example a national rule', () => {
    for (const situation of ['emigration', 'destination_cannot_receive', 'employee_to_resident', 'resettled_retiree'] as const) {
      const result = checkPayout({ situation }, deps);
      expect(result).toMatchObject({ scope: 'national', verification: 'not-found', verdict: expect.stringMatching(/local_rule|unknown_local/) });
    }
  });
});

describe('payout rules as data', () => {
  const tableDir = (edit: (yaml: string) => string) => {
    const dir = mkdtempSync(join(tmpdir(), 'payout-tables-'));
    writeFileSync(join(dir, 'payout-rules.yaml'), edit(readFileSync(join(knowledgeDir, 'tables', 'payout-rules.yaml'), 'utf8')));
    return dir;
  };

  it('picks up a new local example for a city without code changes', () => {
    const dir = tableDir(
      (y) =>
        `${y}  - id: chengdu-test\n    place: 成都市\n    regions: ['510100']\n    situations: [emigration]\n    text: 成都的测试做法说明。\n    basis:\n      - label: 成都测试来源\n        source: { title: 成都市医疗保障局 测试页面 }\n        scope: city\n        verification: original\n`,
    );
    const result = checkPayout({ situation: 'emigration', city: '成都' }, { ...deps, rules: loadPayoutRules(dir) });
    expect(result.localExamples.map((e) => e.place)).toEqual(['成都市']);
  });

  it('links every source to an existing knowledge entry', () => {
    const ids = new Set(loadEntries().map((e) => e.id));
    const linked = [...JSON.stringify(deps.rules).matchAll(/"entryId":"([^"]+)"/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('refuses a source without a verification label, or with the old confidence label', () => {
    expect(() => loadPayoutRules(tableDir((y) => y.replace('verification: report', 'confidence: local')))).toThrow(/payout-rules\.yaml/);
    expect(() => loadPayoutRules(tableDir((y) => y.replace('verification: report', 'verification: seed-only')))).toThrow(/payout-rules\.yaml.*verification/);
  });
});

describe('payout tool', () => {
  it('is exposed as payout-eligibility and validates the situation', () => {
    const tool = createPayoutTool({ regions });
    expect(tool).toMatchObject({ name: 'payout', route: 'payout-eligibility' });
    expect(tool.input.safeParse({ situation: 'withdraw_anytime' }).success).toBe(false);
    expect(tool.run(tool.input.parse({ situation: 'death' })).verdict).toBe('yes_inherited');
  });
});
