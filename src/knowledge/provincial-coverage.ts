import { z } from 'zod';
import { KnowledgeError, loadTable } from './load.js';
import { isVerifiedText, type KnowledgeEntry } from './schema.js';

/**
 * Which provincial rules this knowledge base has actually read, province by province
 * (knowledge/tables/provincial-coverage.yaml), and a pure lookup over it: for a province (code or
 * name) and a topic, the entries that answer it for the user's own place, or "not verified" with
 * the bureau to ask.
 */

export const coverageTopics = ['intra_province_balance', 'payout', 'gaps_waiting', 'retiree_credit'] as const;
export type CoverageTopic = (typeof coverageTopics)[number];

const entryId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const entryIds = z.array(entryId).default([]);
/** A provincial text that contradicts the national rule: stated every time, beside the national rule. */
const conflictSchema = z.strictObject({ id: entryId, insuranceType: z.enum(['employee', 'resident']).optional() });
const empty = { verified: [], conflicts: [], identified: [], reported: [] };
const cellSchema = z.union([
  z.literal('not-verified').transform(() => ({ status: 'not-verified' as const, ...empty })),
  z.literal('not-applicable').transform(() => ({ status: 'not-applicable' as const, ...empty })),
  z
    .strictObject({ verified: entryIds, conflicts: z.array(conflictSchema).default([]), identified: entryIds, reported: entryIds })
    .refine((c) => c.verified.length + c.conflicts.length + c.identified.length + c.reported.length > 0, '列出条目时至少要有一个；没有就写 not-verified')
    .transform((c) => ({ status: c.verified.length + c.conflicts.length > 0 ? ('verified' as const) : ('not-verified' as const), ...c })),
]);
type Cell = z.output<typeof cellSchema>;

const provinceSchema = z
  .strictObject({
    code: z.string().regex(/^\d{2}0000$/, '须为6位省级代码'),
    name: z.string().min(2),
    shortName: z.string().min(2),
    bureau: z.string().regex(/医疗保障局$/, '须为某省（自治区、直辖市）医疗保障局'),
    /** 直辖市: the whole municipality is one pooling area, so an intra-province transfer does not arise. */
    singlePoolingArea: z.boolean(),
    topics: z.strictObject(Object.fromEntries(coverageTopics.map((t) => [t, cellSchema])) as Record<CoverageTopic, typeof cellSchema>),
    /** The province's (and its cities') entries on other topics, so every local entry has its row. */
    other: entryIds,
  })
  .refine((p) => !p.singlePoolingArea || p.topics.intra_province_balance.status === 'not-applicable', {
    message: '单一统筹地区的省内转移话题应写 not-applicable',
    path: ['topics', 'intra_province_balance'],
  });

/** knowledge/tables/provincial-coverage.yaml */
export const provincialCoverageSchema = z.object({
  topics: z.strictObject(Object.fromEntries(coverageTopics.map((t) => [t, z.string().min(2)])) as Record<CoverageTopic, z.ZodString>),
  provinces: z
    .array(provinceSchema)
    .length(31, '须列出全部31个省级行政区')
    .refine((rows) => new Set(rows.map((r) => r.code)).size === rows.length, '省级代码重复'),
});
export type ProvincialCoverageTable = z.output<typeof provincialCoverageSchema>;
export type ProvinceCoverage = ProvincialCoverageTable['provinces'][number];

/** A listed entry with the places it applies to (a city rule answers only for that city). */
interface CoveredEntry {
  id: string;
  /** Scope codes: the province's own code, or city codes. */
  regions: readonly string[];
}

/** The table after it was checked against the entries, ready for lookups. */
export interface ProvincialCoverage {
  topics: Readonly<Record<CoverageTopic, string>>;
  provinces: readonly ProvinceCoverage[];
  entries: ReadonlyMap<string, CoveredEntry>;
}

/** What the knowledge base holds for one province and topic, for the user's own place. */
export interface CoverageAnswer {
  province: { code: string; name: string; shortName: string; bureau: string; singlePoolingArea: boolean };
  topic: CoverageTopic;
  topicLabel: string;
  /**
   * verified: the province's (or the user's city's) official text was read; not-verified: no such
   * text here (answer with the national rule and say so); not-applicable: the question cannot
   * arise there (one pooling area).
   */
  status: 'verified' | 'not-verified' | 'not-applicable';
  /** Entries with read official text that apply to the user's place, in the table's order. */
  verified: string[];
  /** Read provincial texts that contradict the national rule: to be stated with it, not chosen between. */
  conflicts: { id: string; insuranceType?: 'employee' | 'resident' }[];
  /** Documents known only by title and number: name them, state no clause. */
  identified: string[];
  /** Reports, guides and drafts: "据报道" at most, never a rule. */
  reported: string[];
}

const isProvinceCode = (code: string) => code.endsWith('0000');
const provinceOf = (code: string) => `${code.slice(0, 2)}0000`;

/**
 * Loads the table and checks it against the entries: every listed id exists and lies in that
 * province, `verified` holds only read official text and `reported` only reports, drafts or
 * not-found findings, and every province- or city-level entry is listed in its province's row.
 */
export function loadProvincialCoverage(
  entries: ReadonlyMap<string, KnowledgeEntry>,
  options: { dir?: string; provinceName?: (code: string) => string | undefined } = {},
): ProvincialCoverage {
  const table = loadTable('provincial-coverage', provincialCoverageSchema, options.dir);
  const file = 'knowledge/tables/provincial-coverage.yaml';
  const covered = new Map<string, CoveredEntry>();
  const listedIn = new Map<string, Set<string>>();
  table.provinces.forEach((row, i) => {
    const at = (field: string) => `provinces[${i}].${field}`;
    const known = options.provinceName?.(row.code);
    if (options.provinceName && known !== row.name) throw new KnowledgeError(file, at('name'), `${row.code} 是${known ?? '未知地区'}，不是${row.name}`);
    const lists: [string, readonly string[], (e: KnowledgeEntry) => boolean, string][] = [];
    for (const topic of coverageTopics) {
      const cell: Cell = row.topics[topic];
      lists.push([`topics.${topic}.verified`, cell.verified, (e) => isVerifiedText(e.verification), '只能列读到原文的条目']);
      lists.push([`topics.${topic}.conflicts`, cell.conflicts.map((c) => c.id), (e) => isVerifiedText(e.verification), '只能列读到原文的条目']);
      lists.push([`topics.${topic}.identified`, cell.identified, () => true, '']);
      lists.push([`topics.${topic}.reported`, cell.reported, (e) => !isVerifiedText(e.verification), '只能列报道、征求意见稿或未查到的条目']);
    }
    lists.push(['other', row.other, () => true, '']);
    for (const [field, ids, allowed, rule] of lists) {
      for (const id of ids) {
        const entry = entries.get(id);
        if (!entry) throw new KnowledgeError(file, at(field), `条目 ${id} 不存在`);
        if (entry.scope.level === 'national' || !entry.scope.regions.some((c) => provinceOf(c) === row.code))
          throw new KnowledgeError(file, at(field), `条目 ${id} 的范围（${entry.scope.regions.join('、') || '全国'}）不在${row.name}`);
        if (!allowed(entry)) throw new KnowledgeError(file, at(field), `${rule}：${id} 的核实方式是 ${entry.verification}`);
        covered.set(id, { id, regions: entry.scope.regions.filter((c) => provinceOf(c) === row.code) });
        listedIn.set(id, (listedIn.get(id) ?? new Set()).add(row.code));
      }
    }
  });
  for (const entry of entries.values()) {
    if (entry.scope.level === 'national') continue;
    for (const code of new Set(entry.scope.regions.map(provinceOf)))
      if (!listedIn.get(entry.id)?.has(code))
        throw new KnowledgeError(file, 'provinces', `${entry.file} 的条目 ${entry.id} 没有列在 ${code} 这一行（省级和市级条目都要登记）`);
  }
  return { topics: table.topics, provinces: table.provinces, entries: covered };
}

/** The province row for a code (province, city or county code) or a name (“河南”, “河南省”). */
export function findProvince(coverage: ProvincialCoverage, province: string): ProvinceCoverage | undefined {
  const key = province.trim();
  if (/^\d{6}$/.test(key)) return coverage.provinces.find((p) => p.code === provinceOf(key));
  return coverage.provinces.find((p) => p.name === key || p.shortName === key);
}

/**
 * What the knowledge base holds for a province and topic. A city-level entry counts only when
 * `cityCode` is that city, so a question from 济南 is not answered with 威海's rule.
 * Returns undefined for a place that is not one of the 31 provinces.
 *
 * @example coverageFor(coverage, '河南', 'intra_province_balance')
 *   // → { status: 'not-verified', province: { bureau: '河南省医疗保障局', … }, verified: [], … }
 */
export function coverageFor(
  coverage: ProvincialCoverage,
  province: string,
  topic: CoverageTopic,
  cityCode?: string,
): CoverageAnswer | undefined {
  const row = findProvince(coverage, province);
  if (!row) return undefined;
  const appliesHere = (id: string) => {
    const regions = coverage.entries.get(id)?.regions ?? [];
    return regions.some((code) => isProvinceCode(code) || code === cityCode);
  };
  const cell = row.topics[topic];
  const verified = cell.verified.filter(appliesHere);
  const conflicts = cell.conflicts.filter((c) => appliesHere(c.id));
  const status = cell.status === 'not-applicable' ? 'not-applicable' : verified.length + conflicts.length > 0 ? 'verified' : 'not-verified';
  return {
    province: { code: row.code, name: row.name, shortName: row.shortName, bureau: row.bureau, singlePoolingArea: row.singlePoolingArea },
    topic,
    topicLabel: coverage.topics[topic],
    status,
    verified,
    conflicts,
    identified: cell.identified.filter(appliesHere),
    reported: cell.reported.filter(appliesHere),
  };
}

/** Provinces with at least one entry of read official text (province- or city-level), for kb:check. */
export function provincesWithVerifiedText(coverage: ProvincialCoverage, entries: ReadonlyMap<string, KnowledgeEntry>): ProvinceCoverage[] {
  return coverage.provinces.filter((row) =>
    [...coverageTopics.flatMap((t) => [...row.topics[t].verified, ...row.topics[t].conflicts.map((c) => c.id)]), ...row.other.filter((id) => isVerifiedText(entries.get(id)!.verification))].length > 0,
  );
}
