import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeDir } from '../paths.js';
import { loadRegionResolver } from '../tools/region/load-regions.js';
import { loadEntries } from './load.js';
import { coverageFor, findProvince, loadProvincialCoverage, provincesWithVerifiedText } from './provincial-coverage.js';

const regions = loadRegionResolver();
const entries = new Map(loadEntries({ regionName: (code) => regions.byCode(code) }).map((e) => [e.id, e]));
const provinceName = (code: string) => regions.byCode(code)?.name;
const coverage = loadProvincialCoverage(entries, { provinceName });

/** A copy of the coverage table with one edit, loaded against the real entries. */
const edited = (edit: (yaml: string) => string) => {
  const dir = mkdtempSync(join(tmpdir(), 'coverage-'));
  writeFileSync(join(dir, 'provincial-coverage.yaml'), edit(readFileSync(join(knowledgeDir, 'tables', 'provincial-coverage.yaml'), 'utf8')));
  return () => loadProvincialCoverage(entries, { dir, provinceName });
};

describe('provincial coverage table', () => {
  it('lists all 31 provincial-level regions with their medical security bureau', () => {
    expect(coverage.provinces).toHaveLength(31);
    for (const row of coverage.provinces) {
      expect(row.bureau).toBe(`${row.name}医疗保障局`);
      expect(regions.byCode(row.code)?.level).toBe('province');
    }
    expect(coverage.provinces.filter((p) => p.singlePoolingArea).map((p) => p.shortName)).toEqual(['北京', '天津', '上海', '重庆']);
  });

  it('counts at least six provinces with read provincial or city text (Guangdong and Jiangsu before)', () => {
    const names = provincesWithVerifiedText(coverage, entries).map((p) => p.shortName);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names).toEqual(expect.arrayContaining(['上海', '江苏', '浙江', '福建', '广东', '宁夏']));
    expect(names).not.toContain('河南');
  });

  it('finds a province by code (of the province or of a place in it), full name or short name', () => {
    expect(findProvince(coverage, '410000')?.name).toBe('河南省');
    expect(findProvince(coverage, '410300')?.name).toBe('河南省');
    expect(findProvince(coverage, '河南省')?.code).toBe('410000');
    expect(findProvince(coverage, '新疆')?.bureau).toBe('新疆维吾尔自治区医疗保障局');
    expect(findProvince(coverage, '火星')).toBeUndefined();
  });
});

describe('coverageFor', () => {
  it('says Henan’s intra-province balance rule is not verified and names its bureau', () => {
    expect(coverageFor(coverage, '河南', 'intra_province_balance')).toMatchObject({
      status: 'not-verified',
      province: { name: '河南省', bureau: '河南省医疗保障局' },
      verified: [],
      topicLabel: '省内转移时个人账户余额的处理',
    });
  });

  it('gives Shanghai’s verified waiting-period texts and treats a move inside Shanghai as not applicable', () => {
    const gaps = coverageFor(coverage, '310000', 'gaps_waiting');
    expect(gaps?.status).toBe('verified');
    expect(gaps?.verified).toContain('shanghai-flexible-waiting-6-months');
    expect(coverageFor(coverage, '上海', 'intra_province_balance')?.status).toBe('not-applicable');
    expect(coverageFor(coverage, '上海', 'payout')?.status).toBe('not-verified');
  });

  it('keeps Jiangsu’s 2-month statement as a conflict with the national rule, for 居民医保', () => {
    expect(coverageFor(coverage, '江苏', 'gaps_waiting')?.conflicts).toEqual([{ id: 'jiangsu-resident-waiting-2-months-conflict', insuranceType: 'resident' }]);
  });

  it('answers with a city’s rule only for that city: Weihai’s payout list is not Jinan’s', () => {
    expect(coverageFor(coverage, '山东', 'payout', '371000')).toMatchObject({ status: 'verified', verified: ['payout-weihai-one-off'] });
    expect(coverageFor(coverage, '山东', 'payout', '370100')).toMatchObject({ status: 'not-verified', verified: [] });
    expect(coverageFor(coverage, '山东', 'gaps_waiting', '370100')?.reported).toEqual([]);
  });

  it('names a document known only by its number without counting it as verified', () => {
    expect(coverageFor(coverage, '河北', 'gaps_waiting')).toMatchObject({ status: 'not-verified', identified: ['hebei-38-implementation-identified'] });
  });

  it('returns undefined for a place that is not a province', () => {
    expect(coverageFor(coverage, '香港特别行政区', 'payout')).toBeUndefined();
  });
});

describe('coverage table validation', () => {
  it('refuses a table that leaves out a province', () => {
    expect(edited((y) => y.replace(/ {2}- code: '410000'[\s\S]*?(?= {2}- code: '420000')/, ''))).toThrow(/provincial-coverage\.yaml.*31/);
  });

  it('refuses an entry listed under another province', () => {
    expect(edited((y) => y.replace('payout: { verified: [payout-weihai-one-off] }', 'payout: not-verified').replace(/(code: '410000'[\s\S]*?payout: )not-verified/, '$1{ verified: [payout-weihai-one-off] }'))).toThrow(/不在河南省/);
  });

  it('refuses a report listed as verified text', () => {
    expect(edited((y) => y.replace('gaps_waiting: { reported: [guangxi-resident-waiting-report] }', 'gaps_waiting: { verified: [guangxi-resident-waiting-report] }'))).toThrow(/只能列读到原文的条目/);
  });

  it('refuses a local entry that no province row lists', () => {
    expect(edited((y) => y.replace('payout: { verified: [payout-weihai-one-off] }', 'payout: not-verified'))).toThrow(/payout-weihai-one-off 没有列在 370000/);
  });

  it('refuses a municipality whose intra-province topic is not marked not applicable', () => {
    expect(edited((y) => y.replace('intra_province_balance: not-applicable', 'intra_province_balance: not-verified'))).toThrow(/not-applicable/);
  });
});
