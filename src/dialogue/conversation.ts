import type { Region } from '../tools/region/types.js';
import type { Label } from './nlu/corpus.js';
import type { Prediction } from './nlu/classifier.js';
import { focusIn } from './journeys/focus-words.js';
import { matches } from './journeys/runner.js';
import { personSlots, type Journey, type JourneySlot, type SlotName } from './journeys/schema.js';
import type { PublicSlots } from './response.js';
import { subjectState, type ConversationState, type JourneyValues, type PersonFacts, type PersonState } from './state.js';
import type { PlaceMention } from './types.js';
import type { Reading } from './understand/read.js';

/** Journeys by id, by the label that starts them, and the journey each journey-slot belongs to. */
export interface JourneyIndex {
  byId: ReadonlyMap<string, Journey>;
  byLabel: ReadonlyMap<Label, Journey>;
  homeOf: ReadonlyMap<JourneySlot, string>;
  /** The journeys that state each entry (in `entries` or `focus`). */
  byEntry: ReadonlyMap<string, Journey[]>;
}

export function indexJourneys(journeys: readonly Journey[]): JourneyIndex {
  const byId = new Map(journeys.map((j) => [j.id, j]));
  const byLabel = new Map<Label, Journey>();
  const homeOf = new Map<JourneySlot, string>();
  for (const j of journeys) {
    for (const l of j.labels) byLabel.set(l, j);
    for (const s of j.slots) {
      if ((personSlots as readonly string[]).includes(s.name)) continue;
      const other = homeOf.get(s.name as JourneySlot);
      if (other && other !== j.id) throw new Error(`槽位 ${s.name} 同时属于旅程 ${other} 和 ${j.id}：每个旅程槽位只能有一个归属`);
      homeOf.set(s.name as JourneySlot, j.id);
    }
  }
  const byEntry = new Map<string, Journey[]>();
  for (const j of journeys) {
    const ids = new Set([...Object.values(j.entries).flat(), ...j.focus.flatMap((f) => (f.entry ? [f.entry] : []))]);
    for (const id of ids) byEntry.set(id, [...(byEntry.get(id) ?? []), j]);
  }
  return { byId, byLabel, homeOf, byEntry };
}

/**
 * Who this turn is about. A relation word ("我妈", "老公") turns the conversation to that person,
 * starting from that person's own facts (a different relation starts afresh); "说回我" turns it
 * back to the speaker, whose facts were kept apart.
 */
export function switchSubject(state: ConversationState, reading: Reading): void {
  if (reading.subject === 'self') {
    state.subject = 'self';
    return;
  }
  if (reading.subject) {
    if (!state.other || state.other.relation !== reading.subject.relation) state.other = { relation: reading.subject.relation, facts: {}, journeys: {} };
    state.subject = 'other';
  }
}

// "后来又调到台州": a new destination, the old one becomes the origin.
const MOVES_AGAIN = /又|再次|再|后来|然后/;

export interface MergeResult {
  changed: SlotName[];
  /** A place to disambiguate, with the role it would fill. */
  ambiguous?: PlaceMention & { role: 'from' | 'to' };
}

function setFact<K extends keyof PersonFacts>(person: PersonState, key: K, value: PersonFacts[K], changed: SlotName[]): void {
  if (value === undefined) return;
  const old = person.facts[key];
  const same = typeof value === 'object' && old && typeof old === 'object' ? (old as Region).code === (value as Region).code : old === value;
  if (!same) changed.push(key);
  person.facts[key] = value;
}

/**
 * Merges what one message said into the person the turn is about: facts replace old ones; a
 * place without a role from its wording gets one from what the bot asked, a pending choice, or
 * the end still empty; values go to the journey they belong to (a date with no cue to the
 * journey's own date slot); a journey whose questions each state their own values forgets the
 * older ones when the message gives new ones.
 */
export function mergeReading(state: ConversationState, reading: Reading, index: JourneyIndex, journey: Journey | undefined, message: string): MergeResult {
  const person = subjectState(state);
  const changed: SlotName[] = [];
  const facts = reading.facts;
  const newTo = facts.to && (!person.facts.to || person.facts.to.code !== facts.to.code);
  if (newTo && !facts.from && person.facts.to && MOVES_AGAIN.test(message)) setFact(person, 'from', person.facts.to, changed);
  for (const key of personSlots) if (key !== 'from' && key !== 'to') setFact(person, key, facts[key] as never, changed);
  // A place the conversation already holds at the other end, named again without a correction or a
  // further move ("长沙这边能办不 还是得回东莞" after 东莞→长沙), keeps its role: the person is asking
  // where to go, not turning the move around.
  const other = { from: 'to', to: 'from' } as const;
  const keepsRole = (role: 'from' | 'to') =>
    facts[role] !== undefined && person.facts[other[role]]?.code === facts[role]!.code && reading.corrections.length === 0 && !MOVES_AGAIN.test(message) &&
    (!facts[other[role]] || person.facts[role]?.code === facts[other[role]]!.code);
  const unchanged = { from: keepsRole('from'), to: keepsRole('to') };
  for (const role of ['from', 'to'] as const) {
    if (facts[role] && !unchanged[role] && !(unchanged[other[role]] && facts[role]!.code === person.facts[role]?.code)) {
      setFact(person, role, facts[role], changed);
      state.lastSetPlaceRole = role;
    }
  }

  // Places the message names without a role.
  let ambiguous: MergeResult['ambiguous'] = reading.ambiguous;
  const known = new Set([person.facts.from?.code, person.facts.to?.code]);
  const open = reading.places.filter((p) => p.role === 'unknown' && (p.region || p.candidates?.length));
  open.forEach((place, i) => {
    // The message placed both ends itself: another place is context ("河南省内从郑州转到洛阳").
    if (facts.from && facts.to) return;
    // A place already in the conversation, named again without a direction, keeps its role.
    if (place.region && known.has(place.region.code) && reading.corrections.length === 0) return;
    let role: 'from' | 'to';
    const asked = state.asked?.slot;
    if (state.pendingPlace) role = state.pendingPlace.role;
    else if (asked === 'from' || asked === 'to') role = asked;
    else if (reading.corrections.length > 0) role = state.lastSetPlaceRole ?? 'to';
    else if (open.length === 2) role = i === 0 ? 'from' : 'to';
    else if (!person.facts.from && !facts.from) role = 'from';
    else if (!person.facts.to && !facts.to) role = 'to';
    else role = state.lastSetPlaceRole ?? 'to';
    if (place.region) {
      setFact(person, role, place.region, changed);
      state.lastSetPlaceRole = role;
    } else if (!ambiguous) ambiguous = { ...place, role };
  });

  // A time the person does not pin down ("年后去办") replaces the journey's date: it is asked again.
  if (reading.dateVague && journey?.date && !reading.date && !(personSlots as readonly string[]).includes(journey.date)) {
    const target = person.journeys[journey.id] as Record<string, unknown> | undefined;
    if (target && target[journey.date] !== undefined) {
      delete target[journey.date];
      changed.push(journey.date);
    }
  }

  // Values, each to the journey it belongs to.
  const values = { ...reading.values } as Record<string, unknown>;
  if (reading.date && journey?.date && values[journey.date] === undefined && !(personSlots as readonly string[]).includes(journey.date)) values[journey.date] = reading.date;
  const given = new Map<string, Record<string, unknown>>();
  for (const [slot, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const home = index.homeOf.get(slot as JourneySlot);
    if (!home) continue;
    given.set(home, { ...(given.get(home) ?? {}), [slot]: value });
  }
  for (const [home, fresh] of given) {
    const target = (person.journeys[home] ??= {}) as Record<string, unknown>;
    if (index.byId.get(home)?.replaceValues) for (const key of Object.keys(target)) if (!(key in fresh)) delete target[key];
    for (const [slot, value] of Object.entries(fresh)) {
      if (target[slot] !== value) changed.push(slot as SlotName);
      target[slot] = value;
    }
  }
  return { changed, ...(ambiguous ? { ambiguous } : {}) };
}

/** Short name of a place as users write it ("青岛", "昆山", "江苏"). */
const placeName = (r: Region): string => r.shortName || r.name;

const PRIVATE_VALUES = new Set(['topic']);

/** The state as the HTTP contract shows it: the person the turn is about, every journey's values. */
export function publicSlots(state: ConversationState): PublicSlots {
  const person = subjectState(state);
  const out: Record<string, unknown> = {};
  const place = (r: Region | undefined, key: 'from' | 'to') => {
    if (!r) return;
    // A municipality (北京, 重庆 …) is a province that is also a city and a pooling area.
    if (r.level === 'province' && !r.city) out[`${key}Province`] = placeName(r);
    else {
      out[`${key}City`] = placeName(r);
      out[`${key}Province`] = r.province.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
    }
  };
  place(person.facts.from, 'from');
  place(person.facts.to, 'to');
  const f = person.facts;
  if (f.fromScheme) out.insuranceType = f.fromScheme;
  if (f.toScheme) out.toInsuranceType = f.toScheme;
  for (const key of ['retired', 'enrolledAtDestination', 'stoppedAtOrigin', 'newborn', 'died', 'emigrated'] as const) if (f[key] !== undefined) out[key] = f[key];
  for (const values of Object.values(person.journeys) as JourneyValues[]) {
    for (const [k, v] of Object.entries(values)) {
      // What a journey keeps for itself (the question it is on) is not part of the person's situation.
      if (v === undefined || PRIVATE_VALUES.has(k)) continue;
      out[k === 'continuousYears' ? 'continuousYearsBefore' : k] = v;
    }
  }
  // The total rate a back-payment uses when the person gave each party's share.
  if (out.ratePercent === undefined && typeof out.employerRate === 'number' && typeof out.individualRate === 'number')
    out.ratePercent = Math.round((out.employerRate + out.individualRate) * 100) / 100;
  if (state.subject === 'other' && state.other?.relation) out.about = state.other.relation;
  return out as PublicSlots;
}

/** Public names of the facts the bot asks for. */
export function publicNeed(slot: string): string {
  return slot === 'from' ? 'fromCity' : slot === 'to' ? 'toCity' : slot === 'fromScheme' ? 'insuranceType' : slot === 'toScheme' ? 'toInsuranceType' : slot;
}

// Words that make a message a question of its own rather than an answer to the bot.
const ASKS = /[?？]|吗|呢|怎么|咋|啥|什么|多少|多久|几[个天号月年]|哪|能不能|可不可以|是不是|要不要|有没有|如何|为啥|为什么|行不行/;
/** Below this, the classifier's label does not override the conversation's journey for a short follow-up. */
const FOLLOW_UP_CONFIDENCE = 0.45;
/** Below this, a journey's own focus words decide between the classifier's doubtful labels. */
const FOCUS_OVERRULES = 0.7;
/** Below this, a short follow-up is also read together with the previous question. */
const FOLLOW_UP_ALONE = 0.75;

/** Whether this message answers the bot's last question (a value for the slot it asked, or a yes/no). */
function answersAsked(state: ConversationState, reading: Reading, changed: readonly SlotName[]): boolean {
  const slot = state.asked?.slot;
  if (!slot) return false;
  if (changed.includes(slot)) return true;
  if (reading.yesNo) return true;
  return reading.date !== undefined && /Date$/.test(slot);
}

export interface JourneyChoice {
  journey: Journey;
  label: Label;
  /** A second question in the same message, answered after the first. */
  second?: { journey: Journey; label: Label };
}

/**
 * The journey this turn answers. A bare answer to the bot's question, or a message the
 * classifier reads as giving facts (inform), continues the journey under way — unless the facts
 * changed are ones that journey does not use (a corrected place while talking about deadlines:
 * the move is answered again); a message that informs nothing ("嗯", "好的") is small talk; a
 * short follow-up ("那国家规定呢") is read together with the previous question; anything else goes
 * where the classifier puts it. A journey may hand a person with certain facts to another one.
 */
export function chooseJourney(
  state: ConversationState,
  reading: Reading,
  prediction: Prediction<Label>,
  index: JourneyIndex,
  changed: readonly SlotName[],
  message: string,
  context: { classify?: (text: string) => Prediction<Label>; previousQuestion?: string } = {},
): { journey: Journey; label: Label } {
  const choice = choose(state, reading, prediction, index, changed, message, context);
  return redirect(state, choice, index);
}

function redirect(state: ConversationState, choice: { journey: Journey; label: Label }, index: JourneyIndex): { journey: Journey; label: Label } {
  const person = subjectState(state);
  for (const r of choice.journey.redirects) {
    if (!matches({ person, values: person.journeys[choice.journey.id] ?? {} }, r.when)) continue;
    const to = index.byId.get(r.to);
    if (to) return { journey: to, label: to.labels[0]! };
  }
  return choice;
}

/** A journey uses a slot it declares or one its tool input reads ("city: to|from"). */
const usesSlot = (journey: Journey, slot: SlotName) =>
  journey.slots.some((s) => s.name === slot) ||
  journey.inputs.some((i) => Object.values(i.input).some((term) => !term.startsWith('=') && term.split(/[|+]/).some((t) => t.replace(/\/12$/, '') === slot)));
const CONVERSATIONAL = new Set(['smalltalk', 'out_of_scope']);

function choose(
  state: ConversationState,
  reading: Reading,
  prediction: Prediction<Label>,
  index: JourneyIndex,
  changed: readonly SlotName[],
  message: string,
  context: { classify?: (text: string) => Prediction<Label>; previousQuestion?: string },
): { journey: Journey; label: Label } {
  const active = state.journey ? index.byId.get(state.journey) : undefined;
  const label = prediction.label;
  const asks = ASKS.test(message);
  // Facts or values the journey under way does not use ("中间断了三个月" while talking about the
  // move): the journey the classifier ranks highest that uses them, else the journey they belong to.
  const forFacts = (): { journey: Journey; label: Label } | undefined => {
    if (!active || changed.length === 0 || changed.some((slot) => usesSlot(active, slot))) return undefined;
    for (const r of prediction.ranked) {
      const j = index.byLabel.get(r.label);
      if (j && changed.every((slot) => usesSlot(j, slot))) return { journey: j, label: r.label };
    }
    const home = changed.map((slot) => index.homeOf.get(slot as JourneySlot)).find((id) => id !== undefined);
    const j = home ? index.byId.get(home) : undefined;
    return j ? { journey: j, label: j.labels[0]! } : undefined;
  };
  // A yes/no informs only as the answer to a question the bot asked ("嗯" after an answer is an acknowledgement).
  const informs = changed.length > 0 || (reading.yesNo !== undefined && state.asked !== undefined) || reading.corrections.length > 0 || reading.places.length > 0;
  // A correction that asks nothing new ("说错了，是从威海转出") re-answers what was being answered.
  if (active && !CONVERSATIONAL.has(active.id) && reading.corrections.length > 0 && !asks) return forFacts() ?? { journey: active, label: state.label ?? label };
  if (active && answersAsked(state, reading, changed) && (!asks || label === 'inform' || prediction.confidence < FOLLOW_UP_CONFIDENCE))
    return forFacts() ?? { journey: active, label: state.label ?? label };
  if (label === 'inform') {
    if (!informs && !asks) return { journey: index.byLabel.get('smalltalk')!, label: 'smalltalk' };
    if (active && !CONVERSATIONAL.has(active.id)) return forFacts() ?? { journey: active, label: state.label ?? label };
    // Facts with no conversation yet: the journey they belong to (places → a move).
    const next = prediction.ranked.find((r) => r.label !== 'inform' && index.byLabel.has(r.label));
    const fallback = reading.facts.from || reading.facts.to ? index.byLabel.get('transfer') : undefined;
    const chosen = fallback ?? (next ? index.byLabel.get(next.label) : undefined) ?? index.byLabel.get('smalltalk')!;
    return { journey: chosen, label: chosen.labels[0]! };
  }
  // The words of exactly one journey's narrower questions ("算跨省吗", "年年要办吗") settle a doubtful label.
  if (prediction.confidence < FOCUS_OVERRULES) {
    const focused = [...index.byId.values()].filter((j) => focusIn(j, message) !== undefined);
    if (focused.length === 1 && focused[0]!.id !== index.byLabel.get(label)?.id) return { journey: focused[0]!, label: focused[0]!.labels[0]! };
  }
  const journey = index.byLabel.get(label);
  if (!journey) return { journey: index.byLabel.get('smalltalk')!, label: 'smalltalk' };
  // "那国家规定是怎么算的？" — a short follow-up is read with the question it follows; when that
  // reading keeps the topic under way, it stays there.
  if (active && active.id !== journey.id && !CONVERSATIONAL.has(active.id) && isFollowUp(message)) {
    if (prediction.confidence < FOLLOW_UP_CONFIDENCE) return { journey: active, label: state.label ?? label };
    if (context.classify && context.previousQuestion && prediction.confidence < FOLLOW_UP_ALONE) {
      const together = context.classify(`${context.previousQuestion} ${message}`);
      if (index.byLabel.get(together.label)?.id === active.id) return { journey: active, label: state.label ?? together.label };
    }
  }
  return { journey, label };
}

/** A short message that leans on the previous one ("那转入地呢", "那国家规定是怎么算的", "要是…呢"). */
function isFollowUp(message: string): boolean {
  const m = message.trim();
  return [...m].length <= 18 && (/^(那|那么|还有|另外|要是|如果|这个|那个)/.test(m) || /呢[?？。]?$/.test(m));
}
