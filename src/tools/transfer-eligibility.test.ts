import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { loadEntries } from '../knowledge/load.js';
import { tableEntryDisagreements } from '../knowledge/table-agreement.js';
import { knowledgeDir } from '../paths.js';
import type { Region, RegionLookup, ResolveResult } from './region/types.js';
import {
  checkTransferEligibility,
  createTransferEligibilityTool,
  loadProvincialRules,
  loadTransferRules,
  matchesWhen,
  type TransferEligibilityDeps,
  type TransferEligibilityInput,
} from './transfer-eligibility.js';

// A handful of real places (GB/T 2260 codes) — test data, not a resolver.
const province = (name: string, code: string): Region => ({
  name, shortName: name.replace(/省$/, ''), code, level: 'province', city: null, province: name, provinceCode: code, poolingArea: null,
});
const city = (name: string, code: string, prov: string, provCode: string): Region => ({
  name, shortName: name.replace(/市$/, ''), code, level: 'prefecture', city: name, province: prov, provinceCode: provCode,
  poolingArea: { code, name },
});
const district = (name: string, code: string, parent: Region): Region => ({
  name, shortName: name.replace(/区$/, ''), code, level: 'district', city: parent.city, province: parent.province,
  provinceCode: parent.provinceCode, poolingArea: parent.poolingArea,
});
const nanjing = city('南京市', '320100', '江苏省', '320000');
const fuzhou = city('福州市', '350100', '福建省', '350000');
const places: Record<string, Region[]> = {
  烟台: [city('烟台市', '370600', '山东省', '370000')],
  苏州: [city('苏州市', '320500', '江苏省', '320000')],
  南京: [nanjing],
  南京玄武区: [district('玄武区', '320102', nanjing)],
  南京鼓楼区: [district('鼓楼区', '320106', nanjing)],
  鼓楼: [district('鼓楼区', '320106', nanjing), district('鼓楼区', '350102', fuzhou)],
  广州: [city('广州市', '440100', '广东省', '440000')],
  深圳: [city('深圳市', '440300', '广东省', '440000')],
  青岛: [city('青岛市', '370200', '山东省', '370000')],
  银川: [city('银川市', '640100', '宁夏回族自治区', '640000')],
  吴忠: [city('吴忠市', '640300', '宁夏回族自治区', '640000')],
  江苏: [province('江苏省', '320000')],
};
const regions: RegionLookup = {
  resolve(name): ResolveResult {
    const found = places[name];
    if (!found) return { status: 'unknown', suggestions: ['南京'] };
    return found.length === 1 ? { status: 'ok', region: found[0]! } : { status: 'ambiguous', candidates: found };
  },
  findMentions: () => [],
  byCode: (code) => Object.values(places).flat().find((r) => r.code === code),
  knownCodes: () => new Set(Object.values(places).flat().map((r) => r.code)),
};

const deps: TransferEligibilityDeps = { regions, rules: loadTransferRules(), provincial: loadProvincialRules() };
const check = (input: TransferEligibilityInput) => checkTransferEligibility(input, deps);
const complete = { insuranceType: 'employee', retired: false, enrolledAtDestination: true } as const;

describe('transfer eligibility', () => {
  it.each([
    ['烟台', '苏州', complete, 'cross_province', true, 'employee_to_employee', 'should_apply', 'moves_with_relationship'],
    ['青岛', '烟台', complete, 'intra_province', true, 'employee_to_employee', 'should_apply', 'moves_with_relationship'],
    ['烟台', '苏州', { ...complete, insuranceType: 'resident' }, 'cross_province', true, 'resident_to_resident', 'may_apply_next_year', 'no_personal_account'],
    ['烟台', '苏州', { ...complete, toInsuranceType: 'resident' }, 'cross_province', true, 'cross_system', 'may_apply', 'local_rule'],
    ['烟台', '苏州', { ...complete, insuranceType: 'resident', toInsuranceType: 'employee' }, 'cross_province', true, 'cross_system', 'may_apply', 'no_personal_account'],
    ['南京玄武区', '南京鼓楼区', complete, 'same_pooling_area', false, null, 'not_applicable', 'stays_in_place'],
    ['烟台', '苏州', { ...complete, retired: true }, 'cross_province', false, null, 'retiree_filing', 'stays_in_place'],
  ] as const)('%s → %s %o: %s, transfer %s, %s, %s, balance %s', (from, to, facts, movement, transferNeeded, situation, applicability, balance) => {
    const result = check({ from, to, ...facts });
    expect(result.movement).toBe(movement);
    expect(result.transferNeeded).toBe(transferNeeded);
    expect(result.situation).toBe(situation);
    expect(result.applicability).toBe(applicability);
    expect(result.balance.outcome).toBe(balance);
    expect(result.needs).toEqual([]);
  });

  it('lists the two official preconditions and nothing about arrears or frozen accounts', () => {
    const result = check({ from: '烟台', to: '苏州', ...complete, stoppedAtOrigin: false });
    expect(result.preconditions).toEqual(['已在转出地中止参保（停保）', '已按规定在转入地参加基本医疗保险']);
    expect(result.outstanding).toEqual(['已在转出地中止参保（停保）']);
    expect(JSON.stringify(result)).not.toMatch(/欠费|冻结/);
  });

  it('keeps as remaining only the preconditions not said to be done', () => {
    const rest = { insuranceType: 'employee', retired: false } as const;
    expect(check({ from: '烟台', to: '苏州', ...rest }).remaining).toEqual(['已在转出地中止参保（停保）', '已按规定在转入地参加基本医疗保险']);
    expect(check({ from: '烟台', to: '苏州', ...rest, enrolledAtDestination: true }).remaining).toEqual(['已在转出地中止参保（停保）']);
    expect(check({ from: '烟台', to: '苏州', ...rest, enrolledAtDestination: true, stoppedAtOrigin: true }).remaining).toEqual([]);
    expect(check({ from: '南京玄武区', to: '南京鼓楼区', ...rest }).remaining).toEqual([]);
  });

  it('says contribution years add up, citing art. 32 of the Social Insurance Law', () => {
    const result = check({ from: '烟台', to: '苏州', ...complete });
    expect(result.contributionYears.text).toContain('累计计算');
    expect(result.contributionYears.basis[0]?.source.article).toBe('第三十二条');
    expect(result.basis.map((b) => b.source.docNumber)).toContain('医保办发〔2021〕43号');
  });

  it('treats an intra-province move across pooling areas under the national measures (art. 3)', () => {
    const result = check({ from: '青岛', to: '烟台', ...complete });
    expect(result.movementText).toContain('省内跨统筹地区');
    expect(result.basis.some((b) => b.source.article === '第三条')).toBe(true);
  });

  it('needs no transfer inside one pooling area and asks nothing more', () => {
    const result = check({ from: '南京玄武区', to: '南京鼓楼区' });
    expect(result).toMatchObject({ movement: 'same_pooling_area', transferNeeded: false, needs: [], preconditions: [] });
  });

  it('adds the Guangdong provincial note with its term for 广州 → 深圳 and keeps the balance in place', () => {
    const result = check({ from: '广州', to: '深圳', ...complete });
    expect(result.movement).toBe('intra_province');
    expect(result.provincialNotes).toHaveLength(1);
    const note = result.provincialNotes[0]!;
    expect(note).toMatchObject({ provinceCode: '440000', validFrom: '2022-07-01', validTo: '2025-06-30', currentStatus: 'unknown' });
    expect(note.text).toContain('不划转、不提现');
    expect(note.text).toContain('确认');
    expect(note.basis[0]).toMatchObject({ scope: 'province', confidence: 'official' });
    expect(note.basis[0]?.source).toMatchObject({ docNumber: '粤医保规〔2022〕6号', article: '第十四条' });
    expect(result.balance.outcome).toBe('stays_in_place');
    expect(result.balance.basis[0]?.source.docNumber).toBe('粤医保规〔2022〕6号');
  });

  it('does not apply the Guangdong rule outside Guangdong or to a move into Guangdong', () => {
    expect(check({ from: '烟台', to: '苏州', ...complete }).provincialNotes).toEqual([]);
    const intoGuangdong = check({ from: '苏州', to: '深圳', ...complete });
    expect(intoGuangdong.provincialNotes).toEqual([]);
    expect(intoGuangdong.balance.outcome).toBe('moves_with_relationship');
  });

  it('points retirees to 异地安置 / 长期居住 filing and leaves the balance question to the origin', () => {
    const result = check({ from: '烟台', to: '苏州', insuranceType: 'employee', retired: true });
    expect(result.retireeAdvice?.text).toContain('备案');
    expect(result.retireeAdvice?.text).toContain('12393');
    expect(result.retireeAdvice?.basis[0]?.source.article).toBe('第二条');
    expect(result.preconditions).toEqual([]);
    expect(result.needs).toEqual([]);
    expect(result.balance.text).toContain('原参保地');
  });

  it('asks for the retirement status and insurance type before giving a verdict', () => {
    const result = check({ from: '青岛', to: '南京' });
    expect(result.needs).toEqual(['retired', 'insuranceType', 'enrolledAtDestination']);
    expect(result.questions).toHaveLength(3);
    expect(result.applicability).toBeNull();
    expect(result.situation).toBeNull();
    expect(result.balance.outcome).toBe('unknown');
  });

  it('still withholds the verdict when only the retirement status is missing', () => {
    const result = check({ from: '青岛', to: '南京', insuranceType: 'employee', enrolledAtDestination: true });
    expect(result.needs).toEqual(['retired']);
    expect(result.situation).toBe('employee_to_employee');
    expect(result.applicability).toBeNull();
  });

  it('gives the verdict but still asks about destination enrolment when that is the only gap', () => {
    const result = check({ from: '青岛', to: '南京', insuranceType: 'employee', retired: false });
    expect(result.needs).toEqual(['enrolledAtDestination']);
    expect(result.applicability).toBe('should_apply');
  });

  it('keeps an elderly 居民医保 participant in the resident transfer route (only 职工医保 retirees are excluded)', () => {
    const result = check({ from: '烟台', to: '苏州', insuranceType: 'resident', retired: true, enrolledAtDestination: true });
    expect(result).toMatchObject({ situation: 'resident_to_resident', applicability: 'may_apply_next_year', needs: [] });
    expect(result.retireeAdvice).toBeUndefined();
    expect(result.balance.outcome).toBe('no_personal_account');
  });

  it('asks for the city in the table’s words', () => {
    expect(check({ from: '南京', to: '江苏', ...complete }).questions).toEqual(['转入地是哪个市？']);
  });

  it('does not ask a 居民医保 participant about retirement', () => {
    const result = check({ from: '青岛', to: '南京', insuranceType: 'resident', enrolledAtDestination: false });
    expect(result.needs).toEqual([]);
    expect(result.applicability).toBe('may_apply_next_year');
  });

  it('states the assumption when the destination system is not given', () => {
    expect(check({ from: '烟台', to: '苏州', ...complete }).assumptions).toHaveLength(1);
    expect(check({ from: '烟台', to: '苏州', ...complete, toInsuranceType: 'employee' }).assumptions).toEqual([]);
  });

  it('asks for the city when only the province is known and both are in one province', () => {
    const result = check({ from: '江苏', to: '南京', ...complete });
    expect(result.movement).toBeNull();
    expect(result.transferNeeded).toBeNull();
    expect(result.needs).toEqual(['fromCity']);
    expect(result.applicability).toBeNull();
  });

  it('still knows a province-level origin is cross-province when the provinces differ', () => {
    expect(check({ from: '江苏', to: '深圳', ...complete }).movement).toBe('cross_province');
  });

  it('rejects an ambiguous place with 409 and its candidates, an unknown one with 404 and suggestions', () => {
    const error = (name: string) => {
      try {
        check({ from: name, to: '苏州' });
      } catch (err) {
        return err as DomainError;
      }
      throw new Error('expected an error');
    };
    const ambiguous = error('鼓楼');
    expect(ambiguous).toMatchObject({ code: 'REGION_AMBIGUOUS', status: 409 });
    expect((ambiguous.details?.candidates as { code: string }[]).map((c) => c.code)).toEqual(['320106', '350102']);
    const unknown = error('火星');
    expect(unknown).toMatchObject({ code: 'REGION_NOT_FOUND', status: 404 });
    expect(unknown.details?.suggestions).toEqual(['南京']);
    expect(DomainError.isInstance(unknown)).toBe(true);
  });

  it('cites sources labelled as the entries they name are, so tables and entries agree', () => {
    const result = check({ from: '广州', to: '深圳', ...complete });
    expect(result.basis.length).toBeGreaterThan(2);
    expect(tableEntryDisagreements(result, new Map(loadEntries().map((e) => [e.id, e])))).toEqual([]);
    expect(result.provincialNotes[0]?.basis[0]).toMatchObject({ scope: 'province', verification: 'original', confidence: 'official' });
  });
});

describe('a province that pools one insurance type province-wide (Ningxia 居民医保, 宁政发〔2015〕19号)', () => {
  it('keeps a 居民医保 move between Ningxia cities inside one pooling area, saying why', () => {
    const result = check({ from: '银川', to: '吴忠', insuranceType: 'resident', enrolledAtDestination: true });
    expect(result).toMatchObject({ movement: 'same_pooling_area', transferNeeded: false, applicability: 'not_applicable' });
    expect(result.movementText).toContain('宁政发〔2015〕19号');
    expect(result.basis[0]).toMatchObject({ entryId: 'ningxia-resident-region-pool', scope: 'province', verification: 'quoted-phrases' });
    expect(result.provincialNotes).toEqual([]);
  });

  it('treats 职工医保 between the same cities as a move across pooling areas', () => {
    const result = check({ from: '银川', to: '吴忠', ...complete });
    expect(result.movement).toBe('intra_province');
    expect(result.movementText).not.toContain('宁政发');
    expect(result.applicability).toBe('should_apply');
  });
});

describe('transfer rules as data', () => {
  const copyTables = () => {
    const dir = mkdtempSync(join(tmpdir(), 'transfer-tables-'));
    for (const name of ['transfer-rules', 'provincial-rules'])
      writeFileSync(join(dir, `${name}.yaml`), readFileSync(join(knowledgeDir, 'tables', `${name}.yaml`), 'utf8'));
    return dir;
  };

  it('changes the verdict when the table changes, without code changes', () => {
    const dir = copyTables();
    const path = join(dir, 'transfer-rules.yaml');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('applicability: may_apply_next_year', 'applicability: may_apply'));
    const edited = { ...deps, rules: loadTransferRules(dir) };
    const result = checkTransferEligibility({ from: '烟台', to: '苏州', ...complete, insuranceType: 'resident' }, edited);
    expect(result.applicability).toBe('may_apply');
  });

  it('applies a new provincial row added to the table', () => {
    const dir = copyTables();
    const provincial = loadProvincialRules(dir);
    const jiangsu = { ...provincial.rules[0]!, id: 'jiangsu-test', province: '江苏省', provinceCode: '320000',
      when: { fromProvince: ['320000'], toProvince: ['320000'], movement: ['intra_province' as const] } };
    const result = checkTransferEligibility(
      { from: '南京', to: '苏州', ...complete },
      { ...deps, provincial: { ...provincial, rules: [jiangsu] } },
    );
    expect(result.provincialNotes.map((n) => n.id)).toEqual(['jiangsu-test']);
  });

  it('refuses a table whose rows are invalid, naming the file and field', () => {
    const dir = copyTables();
    const path = join(dir, 'transfer-rules.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('outcome: moves_with_relationship', 'outcome: paid_out'));
    expect(() => loadTransferRules(dir)).toThrow(/transfer-rules\.yaml.*balance\[3\]\.outcome/);
  });

  it('refuses a provincial rule with no formal provincial text behind it', () => {
    const dir = copyTables();
    const path = join(dir, 'provincial-rules.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('verification: original', 'verification: draft'));
    expect(() => loadProvincialRules(dir)).toThrow(/provincial-rules\.yaml/);
  });

  it('links every source to an existing knowledge entry', () => {
    const ids = new Set(loadEntries().map((e) => e.id));
    const linked = [...JSON.stringify([deps.rules, deps.provincial]).matchAll(/"entryId":"([^"]+)"/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('matches a row only when every listed fact is allowed', () => {
    expect(matchesWhen({}, { movement: 'cross_province' })).toBe(true);
    expect(matchesWhen({ movement: ['cross_province'], fromType: ['employee'] }, { movement: 'cross_province', fromType: 'resident' })).toBe(false);
    expect(matchesWhen({ retired: ['no'] }, {})).toBe(false);
  });
});

describe('transfer_eligibility tool', () => {
  it('validates its input and runs on the loaded tables', () => {
    const tool = createTransferEligibilityTool({ regions });
    expect(tool).toMatchObject({ name: 'transfer_eligibility', route: 'transfer-eligibility' });
    expect(tool.input.safeParse({ from: '', to: '苏州' }).success).toBe(false);
    expect(tool.input.safeParse({ from: '烟台', to: '苏州', insuranceType: 'civil' }).success).toBe(false);
    const input = tool.input.parse({ from: ' 烟台 ', to: '苏州', ...complete });
    expect(tool.run(input).applicability).toBe('should_apply');
  });
});
