import type { RegionRecord } from './region-records.js';
import type { Region, RegionLevel, ResolveResult } from './types.js';

const LEVEL_RANK: Record<RegionLevel, number> = { province: 0, prefecture: 1, county: 2, district: 3 };

/** Higher level first (province, prefecture, county, district), then by code. */
export function compareRegions(a: Region, b: Region): number {
  return LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || a.code.localeCompare(b.code);
}

export interface Candidate {
  record: RegionRecord;
  /** The name asked for is this unit's full official name. */
  exact: boolean;
}

/**
 * Picks the place meant among every unit a name matches:
 * 1. a full official name beats short names and aliases (朝阳县 → 朝阳县, not 朝阳市);
 * 2. a unit inside another candidate is dropped (恩施 → 恩施州, which contains 恩施市);
 * 3. one left → ok; several that all share one pooling area → ok with the highest-level, then
 *    lowest-code one (雄安 → 容城县, pooling area 保定市), the pooling area being what matters;
 * 4. exactly one province or prefecture-level city against only districts and counties of
 *    ordinary prefectures → the city (西安 → 西安市, not 辽源市西安区): people name big cities by
 *    their short name. Districts of the four municipalities are not "ordinary" (朝阳 stays
 *    ambiguous between 北京市朝阳区 and 辽宁省朝阳市);
 * 5. otherwise ambiguous, ranked province, prefecture, county, district.
 */
export function disambiguate(candidates: readonly Candidate[]): Extract<ResolveResult, { status: 'ok' | 'ambiguous' }> {
  if (candidates.length === 0) throw new Error('disambiguate 需要至少一个候选');
  const exact = candidates.filter((c) => c.exact);
  const pool = exact.length > 0 ? exact : candidates;
  const codes = new Set(pool.map((c) => c.record.region.code));
  const outermost = pool.filter((c) => !c.record.ancestors.some((a) => codes.has(a)));
  const regions = [...new Map(outermost.map((c) => [c.record.region.code, c.record.region])).values()].sort(compareRegions);
  const first = regions[0]!;
  const area = first.poolingArea?.code;
  if (regions.length === 1 || (area !== undefined && regions.every((r) => r.poolingArea?.code === area))) {
    return { status: 'ok', region: first };
  }
  const major = regions.filter((r) => r.level === 'province' || r.level === 'prefecture');
  const municipalDistrict = (r: Region) => r.city !== null && r.city === r.province;
  if (major.length === 1 && regions.every((r) => r === major[0] || ((r.level === 'district' || r.level === 'county') && !municipalDistrict(r)))) {
    return { status: 'ok', region: major[0]! };
  }
  return { status: 'ambiguous', candidates: regions };
}
