import type { Region } from '../tools/region/types.js';
import type { PublicSlots } from './response.js';
import type { PlaceMention, SlotName, SlotState, Understanding } from './types.js';

/** Short name of a place as users write it ("青岛", "昆山", "江苏"). */
export const placeName = (r: Region): string => r.shortName || r.name;

/** The state as the HTTP contract shows it. */
export function publicSlots(state: SlotState): PublicSlots {
  const out: PublicSlots = {};
  const place = (r: Region | undefined, key: 'from' | 'to') => {
    if (!r) return;
    if (r.level === 'province') out[`${key}Province`] = placeName(r);
    else {
      out[`${key}City`] = placeName(r);
      out[`${key}Province`] = r.province.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
    }
  };
  place(state.from, 'from');
  place(state.to, 'to');
  const copy = [
    'insuranceType', 'toInsuranceType', 'retired', 'enrolledAtDestination', 'acceptedDate', 'infoSheetReceivedDate',
    'gapMonths', 'base', 'ratePercent', 'yearsRepaid', 'newborn', 'payoutSituation', 'startDate', 'endDate',
    'workingDays', 'averagePension', 'enrolledOutsidePeriod', 'continuousYearsBefore',
  ] as const;
  for (const key of copy) {
    const value = state[key];
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Public names of the facts the bot asks for. */
export function publicNeed(slot: SlotName): string {
  return slot === 'from' ? 'fromCity' : slot === 'to' ? 'toCity' : slot;
}

const booleanSlots: SlotName[] = ['retired', 'enrolledAtDestination', 'stoppedAtOrigin', 'newborn', 'aroundTransfer', 'enrolledOutsidePeriod'];

export interface MergeResult {
  /** A place the user must disambiguate, with the role it would fill. */
  ambiguous?: PlaceMention & { role: 'from' | 'to' };
  changed: SlotName[];
}

/**
 * Merges what one message said into the session state: stated values replace old ones, a bare
 * yes/no answers the bot's last boolean question, and places get a role from their wording,
 * from what the bot asked, or from which of 转出地/转入地 is still empty.
 */
export function mergeUnderstanding(
  state: SlotState,
  u: Understanding,
  context: { lastAsked: SlotName[]; lastSetPlaceRole?: 'from' | 'to'; pendingPlace?: PlaceMention },
): MergeResult & { lastSetPlaceRole?: 'from' | 'to' } {
  const changed: SlotName[] = [];
  let lastSetPlaceRole = context.lastSetPlaceRole;
  const set = <K extends SlotName>(key: K, value: SlotState[K]) => {
    if (value === undefined) return;
    if (state[key] !== value) changed.push(key);
    state[key] = value;
  };

  for (const [key, value] of Object.entries(u.slots) as [SlotName, SlotState[SlotName]][]) {
    if (key === 'from' || key === 'to') continue;
    set(key, value as never);
  }

  let ambiguous: MergeResult['ambiguous'];
  const isCorrection = u.corrections.length > 0;
  // The same place named twice ("从南京转到上海，南京的余额…") is one mention.
  const seenCodes = new Set<string>();
  const places = u.places.filter((p) => {
    if (!p.region) return Boolean(p.candidates?.length);
    if (seenCodes.has(p.region.code)) return false;
    // A place already in the conversation, named again without a direction ("杭州那边已经参保了"),
    // keeps its role.
    if (p.role === 'unknown' && u.corrections.length === 0 && (state.from?.code === p.region.code || state.to?.code === p.region.code)) return false;
    seenCodes.add(p.region.code);
    return true;
  });
  places.forEach((place, i) => {
    let role: 'from' | 'to';
    if (place.role !== 'unknown') role = place.role;
    else if (u.corrections.includes('from') || u.corrections.includes('to')) role = u.corrections.includes('from') ? 'from' : 'to';
    else if (isCorrection) role = lastSetPlaceRole ?? 'to';
    else if (context.pendingPlace && context.pendingPlace.role !== 'unknown') role = context.pendingPlace.role;
    else if (context.lastAsked.includes('from') && !state.from) role = 'from';
    else if (context.lastAsked.includes('to') && !state.to) role = 'to';
    else if (places.length === 2) role = i === 0 ? 'from' : 'to';
    else if (!state.from) role = 'from';
    else if (!state.to) role = 'to';
    else role = lastSetPlaceRole ?? 'to';
    if (place.region) {
      if (state[role]?.code !== place.region.code) changed.push(role);
      state[role] = place.region;
      lastSetPlaceRole = role;
    } else if (!ambiguous) {
      ambiguous = { ...place, role };
    }
  });

  if (u.yesNo) {
    const target = context.lastAsked.find((s) => booleanSlots.includes(s));
    if (target) set(target, (u.yesNo === 'yes') as never);
  }
  return { changed, ...(ambiguous ? { ambiguous } : {}), ...(lastSetPlaceRole ? { lastSetPlaceRole } : {}) };
}
