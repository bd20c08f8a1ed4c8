import type { AliasTable } from './alias-table.js';
import { disambiguate, type Candidate } from './disambiguate.js';
import type { DivisionTable } from './division-table.js';
import { MentionMatcher, type DictionaryHit } from './mention-matcher.js';
import { normalizePlaceName } from './normalize.js';
import { buildRegionRecords } from './region-records.js';
import { suggestRegions } from './suggest.js';
import type { Region, RegionLevel, RegionLookup, RegionMention, ResolveResult } from './types.js';

type Found = Extract<ResolveResult, { status: 'ok' | 'ambiguous' }>;

const LEVEL_RANK: Record<RegionLevel, number> = { province: 0, prefecture: 1, county: 2, district: 3 };
const MIN_MENTION_LENGTH = 2;

/**
 * Builds the region lookup from the division table and the alias table.
 *
 * A name is looked up as a full official name, a short name (昆山), a variant (恩施州) or an
 * alias (雄安); failing that, as a place followed by a place inside it (北京朝阳, 南京市鼓楼区,
 * 江苏苏州昆山). See `disambiguate` for how several matches are narrowed down.
 *
 * @example
 * const lookup = createRegionResolver(divisions, aliases);
 * lookup.resolve('昆山'); // { status: 'ok', region: { name: '昆山市', poolingArea: { code: '320500', name: '苏州市' }, … } }
 */
export function createRegionResolver(divisions: DivisionTable, aliases: AliasTable): RegionLookup {
  const records = buildRegionRecords(divisions, aliases.ethnicGroups);
  const index = new Map<string, Candidate[]>();
  const add = (key: string, candidate: Candidate) => {
    const list = index.get(key) ?? [];
    index.set(key, list);
    const same = list.find((c) => c.record === candidate.record);
    if (!same) list.push(candidate);
    else if (candidate.exact) same.exact = true;
  };
  for (const record of records.values()) {
    add(record.region.name, { record, exact: true });
    add(record.region.shortName, { record, exact: false });
    for (const variant of record.variants) add(variant, { record, exact: false });
  }
  for (const alias of aliases.aliases) {
    if (index.get(alias.name)?.some((c) => c.exact))
      throw new Error(`别名“${alias.name}”与正式区划名称相同，会遮住该区划`);
    index.set(
      alias.name,
      alias.codes.map((code) => {
        const record = records.get(code);
        if (!record) throw new Error(`别名“${alias.name}”指向未知的地区代码 ${code}`);
        return { record, exact: false };
      }),
    );
  }

  /** Direct matches, else a place followed by a place inside it (北京朝阳 → 北京市朝阳区). */
  const candidatesFor = (name: string, memo = new Map<string, Candidate[] | undefined>()): Candidate[] | undefined => {
    const direct = index.get(name);
    if (direct) return direct;
    if (memo.has(name)) return memo.get(name);
    memo.set(name, undefined);
    for (let split = name.length - MIN_MENTION_LENGTH; split >= MIN_MENTION_LENGTH; split--) {
      const outer = index.get(name.slice(0, split));
      if (!outer) continue;
      const inner = candidatesFor(name.slice(split), memo);
      if (!inner) continue;
      const outerCodes = new Set(outer.map((c) => c.record.region.code));
      const inside = inner.filter((c) => c.record.ancestors.some((a) => outerCodes.has(a)));
      if (inside.length > 0) {
        memo.set(name, inside);
        return inside;
      }
    }
    return undefined;
  };

  const found = new Map<string, Found>();
  const resolveKey = (key: string): Found | undefined => {
    let result = found.get(key);
    if (!result) {
      const candidates = candidatesFor(key);
      if (!candidates) return undefined;
      result = disambiguate(candidates);
      found.set(key, result);
    }
    return result;
  };

  /** A name that resolves back to exactly this region: 昆山市, or 北京市朝阳区 where the name repeats. */
  const unambiguousName = (region: Region): string => {
    if ((index.get(region.name) ?? []).filter((c) => c.exact).length <= 1) return region.name;
    const city = region.city !== null && region.city !== region.province ? region.city : '';
    return `${region.province}${city}${region.name}`;
  };

  const stopList = new Set(aliases.mentionStopList);
  const matcher = new MentionMatcher([...index.keys()].filter((k) => k.length >= MIN_MENTION_LENGTH && !stopList.has(k)));
  const codes: ReadonlySet<string> = new Set(records.keys());

  const rank = (result: Found) => LEVEL_RANK[result.status === 'ok' ? result.region.level : result.candidates[0]!.level];

  return {
    resolve(input: string): ResolveResult {
      const name = normalizePlaceName(input);
      const result = name ? resolveKey(name) : undefined;
      if (result) return result;
      return { status: 'unknown', suggestions: name ? suggestRegions(name, records.values()).map(unambiguousName) : [] };
    },

    findMentions(text: string): RegionMention[] {
      // Longest first; between equally long overlapping names the higher level wins
      // (从江西… is 江西, not 从江), then the earlier one.
      const hits = matcher
        .allHits(text)
        .map((hit) => ({ hit, result: resolveKey(hit.key)! }))
        .sort(
          (a, b) =>
            b.hit.key.length - a.hit.key.length || rank(a.result) - rank(b.result) || a.hit.start - b.hit.start,
        );
      const taken: boolean[] = [];
      const chosen: { hit: DictionaryHit; result: Found }[] = [];
      for (const h of hits) {
        let free = true;
        for (let i = h.hit.start; i < h.hit.end && free; i++) free = !taken[i];
        if (!free) continue;
        for (let i = h.hit.start; i < h.hit.end; i++) taken[i] = true;
        chosen.push(h);
      }
      chosen.sort((a, b) => a.hit.start - b.hit.start);

      // Adjacent names where the second lies inside the first are one place: 江苏苏州, 北京朝阳.
      const mentions: RegionMention[] = [];
      for (const { hit, result } of chosen) {
        const previous = mentions.at(-1);
        if (previous && previous.end === hit.start) {
          const joined = text.slice(previous.start, hit.end);
          const merged = resolveKey(joined);
          if (merged) {
            mentions[mentions.length - 1] = { start: previous.start, end: hit.end, text: joined, result: merged };
            continue;
          }
        }
        mentions.push({ start: hit.start, end: hit.end, text: hit.key, result });
      }
      return mentions;
    },

    byCode(code: string): Region | undefined {
      return records.get(code)?.region;
    },

    knownCodes(): ReadonlySet<string> {
      return codes;
    },
  };
}
