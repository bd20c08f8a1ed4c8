import type { Region, RegionLookup, RegionMention } from '../../tools/region/types.js';
import type { PlaceMention } from '../types.js';
import type { CorrectionRules, PlaceRules } from './dialogue-rules.js';
import { alternation, wordMatcher, type WordMatcher } from './patterns.js';

export interface CompiledPlaceRules {
  before: WordMatcher;
  beforeRole: ReadonlyMap<string, 'from' | 'to'>;
  afterFrom: WordMatcher;
  weakFrom: WordMatcher;
  negation: RegExp;
  notNegation: RegExp;
  negationWindow: number;
  pairWindow: number;
}

/** Precompiles knowledge/dialogue/places.yaml plus the negations of corrections.yaml. */
export function compilePlaceRules(rules: PlaceRules, corrections: CorrectionRules): CompiledPlaceRules {
  const beforeRole = new Map<string, 'from' | 'to'>();
  for (const word of rules.before.to) beforeRole.set(word, 'to');
  for (const word of rules.before.from) beforeRole.set(word, 'from');
  return {
    before: wordMatcher([...beforeRole.keys()]),
    beforeRole,
    afterFrom: wordMatcher(rules.after.from),
    weakFrom: wordMatcher(rules.weakFromBefore),
    negation: new RegExp(alternation(corrections.negations), 'g'),
    notNegation: new RegExp(alternation(corrections.notNegations.length ? corrections.notNegations : ['\u0000']), 'g'),
    negationWindow: corrections.negationWindow,
    pairWindow: rules.pairWindow,
  };
}

/** A place found in the text, with its offsets and whether the user says it is NOT the place. */
export interface LocatedPlace extends PlaceMention {
  start: number;
  end: number;
  /** "不是南京": the user rejects this place (the old value of a correction). */
  negated: boolean;
  /** The same place named again in the story: one place, counted once (not a rejection). */
  repeat?: boolean;
}

const CLAUSE_BREAK = /[,。?!;\n]/;

/** True when `inner` lies inside `outer` (a city in its province, a county in its city). */
export function isInside(inner: Region, outer: Region): boolean {
  if (inner.code === outer.code) return false;
  if (outer.level === 'province') return inner.provinceCode === outer.code;
  if (outer.level === 'prefecture') return inner.poolingArea?.code === outer.code || inner.city === outer.name;
  return false;
}

/**
 * "江苏苏州", "苏州昆山", "辽宁朝阳": a place written right after the larger unit it belongs to is
 * one place; the larger unit also settles an ambiguous smaller one.
 */
function mergeNested(mentions: RegionMention[]): RegionMention[] {
  const out: RegionMention[] = [];
  for (const mention of mentions) {
    const previous = out[out.length - 1];
    const outer = previous?.result.status === 'ok' ? previous.result.region : undefined;
    if (previous && outer && mention.start - previous.end <= 1) {
      if (mention.result.status === 'ok' && isInside(mention.result.region, outer)) {
        out[out.length - 1] = { ...mention, start: previous.start };
        continue;
      }
      if (mention.result.status === 'ambiguous') {
        const inside = mention.result.candidates.filter((c) => isInside(c, outer));
        if (inside.length === 1) {
          out[out.length - 1] = { ...mention, start: previous.start, result: { status: 'ok', region: inside[0]! } };
          continue;
        }
      }
    }
    out.push(mention);
  }
  return out;
}

function toPlace(mention: RegionMention): LocatedPlace {
  const base = { role: 'unknown' as const, text: mention.text, start: mention.start, end: mention.end, negated: false };
  return mention.result.status === 'ok' ? { ...base, region: mention.result.region } : { ...base, candidates: mention.result.candidates };
}

/** A negation cue ends at most `negationWindow` characters before the place, in the same clause. */
function isNegated(rawBefore: string, rules: CompiledPlaceRules): boolean {
  const before = rawBefore.slice(-(rules.negationWindow + 8)).replace(rules.notNegation, (w) => '\u0000'.repeat(w.length));
  let last: RegExpExecArray | null = null;
  rules.negation.lastIndex = 0;
  for (let m = rules.negation.exec(before); m; m = rules.negation.exec(before)) last = m;
  if (!last) return false;
  const gap = before.slice(last.index + last[0].length);
  return gap.length <= rules.negationWindow && !CLAUSE_BREAK.test(gap);
}

const sameRegion = (a: LocatedPlace, b: LocatedPlace) => a.region !== undefined && a.region.code === b.region?.code;

/**
 * Finds the places a message names and gives each the role its wording implies:
 * 从X转到Y / X到Y / X转Y / X→Y / 由X迁往Y / 在X交的…现在去Y / 转出地X / 转入地Y / 离开X / 回Y / 去Y.
 * A lone place with no cue stays 'unknown' (the dialogue decides); ambiguous places keep their
 * candidates. Places after a negation ("不是南京") come back with `negated: true`.
 */
export function locatePlaces(plain: string, regions: RegionLookup, rules: CompiledPlaceRules): LocatedPlace[] {
  const places = mergeNested(regions.findMentions(plain)).map(toPlace);
  places.forEach((place, i) => {
    const before = plain.slice(places[i - 1]?.end ?? 0, place.start);
    const after = plain.slice(place.end, places[i + 1]?.start ?? plain.length);
    place.negated = isNegated(before, rules);
    const cue = rules.before.suffixOf(before);
    if (cue) place.role = rules.beforeRole.get(cue) ?? 'unknown';
    else if (rules.afterFrom.prefixOf(after)) place.role = 'from';
  });

  const asserted = places.filter((p) => !p.negated);
  const hasDestination = asserted.some((p) => p.role === 'to');
  asserted.forEach((place, i) => {
    if (place.role !== 'unknown') return;
    const next = asserted[i + 1];
    const between = next ? plain.slice(place.end, next.start) : '';
    const pairsWithNext = next?.role === 'to' && between.length <= rules.pairWindow && !CLAUSE_BREAK.test(between);
    const before = plain.slice(asserted[i - 1]?.end ?? 0, place.start);
    if (pairsWithNext || (hasDestination && rules.weakFrom.suffixOf(before) !== undefined && !sameRegion(place, asserted.find((p) => p.role === 'to')!))) {
      place.role = 'from';
    }
  });

  // Two places, one with a role: the other takes the opposite one ("我去南京了，青岛的医保怎么办") —
  // unless it is a home town ("老家杭州的，在南京交的"): that is where the person is from, not a move.
  const homeTown = (p: LocatedPlace) => HOME_BEFORE.test(plain.slice(Math.max(0, p.start - 4), p.start)) || plain[p.end] === '人';
  if (asserted.length === 2) {
    const [a, b] = asserted as [LocatedPlace, LocatedPlace];
    if (!sameRegion(a, b) && !(a.role === 'unknown' ? homeTown(a) : b.role === 'unknown' && homeTown(b))) {
      if (a.role === 'unknown' && b.role !== 'unknown') a.role = b.role === 'from' ? 'to' : 'from';
      else if (b.role === 'unknown' && a.role !== 'unknown') b.role = a.role === 'from' ? 'to' : 'from';
    }
  }
  return places;
}

const HOME_BEFORE = /(?:老家|户口|户籍|家在|家是|籍贯|家乡)(?:在|是)?$/;

/** The public shape of a located place (no offsets or flags). */
export function toPlaceMention(place: LocatedPlace): PlaceMention {
  const mention: PlaceMention = { role: place.role, text: place.text };
  if (place.region) mention.region = place.region;
  if (place.candidates) mention.candidates = place.candidates;
  return mention;
}
