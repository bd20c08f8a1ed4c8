import type { Scope } from '../knowledge/schema.js';
import type { Region, RegionLookup } from '../tools/region/types.js';

/** A place the question is about: a province and, when known, its pooling area / city. */
export interface PlaceRef {
  /** 6-digit province code, e.g. "320000". */
  provinceCode: string;
  /** 6-digit prefecture (pooling-area) code, e.g. "320100" for 南京. */
  cityCode?: string;
}

/**
 * How an entry's scope relates to the places of a question:
 * - national: applies everywhere;
 * - own: scoped to one of the question's places (its province, or its city / pooling area);
 * - other: scoped somewhere else, or the question has no known place.
 */
export type ScopeRelation = 'national' | 'own' | 'other';

const isProvinceCode = (code: string) => code.endsWith('0000');

/** Relation of an entry scope to the given places (see ScopeRelation). */
export function scopeRelation(scope: Scope, places: readonly PlaceRef[]): ScopeRelation {
  if (scope.level === 'national') return 'national';
  for (const code of scope.regions) {
    for (const place of places) {
      if (isProvinceCode(code) ? place.provinceCode === code : place.cityCode === code) return 'own';
    }
  }
  return 'other';
}

/** The place of a resolved region: a county or district counts as its pooling area. */
export function placeOfRegion(region: Region): PlaceRef {
  const cityCode = region.poolingArea?.code ?? (region.level === 'prefecture' ? region.code : undefined);
  return cityCode ? { provinceCode: region.provinceCode, cityCode } : { provinceCode: region.provinceCode };
}

/** Places named in the text (every candidate of an ambiguous name counts). */
export function placesInText(text: string, regions: RegionLookup): PlaceRef[] {
  const places: PlaceRef[] = [];
  for (const mention of regions.findMentions(text)) {
    const found = mention.result.status === 'ok' ? [mention.result.region] : mention.result.candidates;
    for (const region of found) places.push(placeOfRegion(region));
  }
  return places;
}
