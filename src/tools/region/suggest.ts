import { compareRegions } from './disambiguate.js';
import type { RegionRecord } from './region-records.js';
import type { Region } from './types.js';

const bigrams = (s: string): string[] => Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2));

function sharedCount(a: readonly string[], b: readonly string[]): number {
  const rest = [...b];
  let shared = 0;
  for (const x of a) {
    const i = rest.indexOf(x);
    if (i >= 0) {
      shared += 1;
      rest.splice(i, 1);
    }
  }
  return shared;
}

/**
 * How alike two names are, 0…1: shared characters (苏洲 ~ 苏州), shared character pairs
 * (黑龙江 ~ 黑龙江省) and characters in the same place (苏洲 is nearer 苏州 than 江苏), each
 * relative to the longer name.
 */
export function nameSimilarity(query: string, name: string): number {
  const longest = Math.max(query.length, name.length);
  if (longest === 0) return 0;
  const chars = sharedCount([...query], [...name]) / longest;
  const pairs = sharedCount(bigrams(query), bigrams(name)) / Math.max(1, longest - 1);
  let aligned = 0;
  for (let i = 0; i < Math.min(query.length, name.length); i++) if (query[i] === name[i]) aligned += 1;
  return 0.45 * chars + 0.45 * pairs + 0.1 * (aligned / longest);
}

/** Up to `limit` regions whose full or short name looks most like `query`, best first. */
export function suggestRegions(query: string, records: Iterable<RegionRecord>, limit = 5): Region[] {
  const scored: { region: Region; score: number }[] = [];
  for (const { region } of records) {
    const score = Math.max(nameSimilarity(query, region.name), nameSimilarity(query, region.shortName));
    if (score > 0) scored.push({ region, score });
  }
  scored.sort((a, b) => b.score - a.score || compareRegions(a.region, b.region));
  return scored.slice(0, limit).map((s) => s.region);
}
