import { maskPersonalData } from '../../privacy/mask.js';
import type { Region, RegionLookup } from '../../tools/region/types.js';
import type { Intent, PlaceMention, SlotName, SlotState, Understanding } from '../types.js';
import { answerToAsked } from './asked-answers.js';
import { compileCorrectionRules, hasCorrectionCue, type CompiledCorrectionRules } from './corrections.js';
import { compileDateRules, findDates, type CompiledDateRules, type DateMention } from './dates.js';
import { loadDialogueRules, type DialogueRules } from './dialogue-rules.js';
import { compileInjectionRules, detectInjection, type CompiledInjectionRules } from './injection.js';
import { classifyIntent, compileIntentRules, type CompiledIntentRules } from './intents.js';
import { compileNormalizeRules, normalizeMessage, type CompiledNormalizeRules } from './normalize.js';
import { compilePlaceRules, locatePlaces, toPlaceMention, type CompiledPlaceRules, type LocatedPlace } from './places.js';
import { compileSlotRules, extractSlots, type CompiledSlotRules } from './slots.js';
import { compileAnswerRules, detectYesNo, type CompiledAnswerRules } from './yes-no.js';

/** What the dialogue knows when it hands a message over. */
export interface UnderstandContext {
  /** 'YYYY-MM-DD', today in Asia/Shanghai (for 今天/昨天 and years left out). */
  today: string;
  /** The intent of the ongoing conversation: a bare answer ("职工", "是的", "杭州") keeps it. */
  currentIntent?: Intent;
  /** Slots the bot asked for in its last reply: a bare answer fills them ("没有" → false, "4个月"). */
  lastAsked?: SlotName[];
  /** Role of the place the user set most recently: "不对，是杭州" replaces that one. */
  lastSetPlaceRole?: 'from' | 'to';
  /** Places already in the session: "不是南京，是杭州" replaces the slot that holds 南京. */
  known?: Pick<SlotState, 'from' | 'to'>;
  /** The year the conversation's dates are in: a month and day without a year take it. */
  contextYear?: number;
}

/** The contract's Understanding plus details the dialogue may use. */
export interface UnderstoodMessage extends Understanding {
  /** The normalised message the rules read (personal data already masked). */
  normalized: string;
  /** Every date found, with what it refers to. */
  dates: DateMention[];
  /** Places the user says are wrong ("不是南京"). */
  rejectedPlaces: PlaceMention[];
  /**
   * A correction names a place but nothing tells which slot it replaces (no cue such as 转到, no
   * rejected place found in `known`, no lastSetPlaceRole). It is also in `places` with role
   * 'unknown'; the dialogue should ask whether it is the origin or the destination.
   */
  unresolvedPlaceCorrection?: PlaceMention;
}

export type Understander = (message: string, context: UnderstandContext) => UnderstoodMessage;

/** Every rule file, compiled once. */
export interface CompiledDialogueRules {
  normalize: CompiledNormalizeRules;
  intents: CompiledIntentRules;
  places: CompiledPlaceRules;
  corrections: CompiledCorrectionRules;
  answers: CompiledAnswerRules;
  injection: CompiledInjectionRules;
  slots: CompiledSlotRules;
  dates: CompiledDateRules;
}

/** Compiles validated rule files into matchers (regexes built here, never per message). */
export function compileDialogueRules(rules: DialogueRules): CompiledDialogueRules {
  return {
    normalize: compileNormalizeRules(rules.normalize),
    intents: compileIntentRules(rules.intents),
    places: compilePlaceRules(rules.places, rules.corrections),
    corrections: compileCorrectionRules(rules.corrections),
    answers: compileAnswerRules(rules.answers),
    injection: compileInjectionRules(rules.injection),
    slots: compileSlotRules(rules.slots),
    dates: compileDateRules(rules.dates),
  };
}

const BOOLEAN_SLOTS = ['retired', 'enrolledAtDestination', 'stoppedAtOrigin', 'newborn', 'aroundTransfer'] as const;

function resolveCorrectionRole(
  rejected: LocatedPlace[],
  context: UnderstandContext,
): 'from' | 'to' | undefined {
  const cued = rejected.find((p) => p.role !== 'unknown');
  if (cued && cued.role !== 'unknown') return cued.role;
  for (const place of rejected) {
    const codes = [place.region?.code, ...(place.candidates ?? []).map((c) => c.code)].filter(Boolean);
    if (context.known?.to && codes.includes(context.known.to.code)) return 'to';
    if (context.known?.from && codes.includes(context.known.from.code)) return 'from';
  }
  return context.lastSetPlaceRole;
}

function onlyPlaceAsked(lastAsked: SlotName[] | undefined): 'from' | 'to' | undefined {
  const asked = (lastAsked ?? []).filter((s): s is 'from' | 'to' => s === 'from' || s === 'to');
  return asked.length === 1 ? asked[0] : undefined;
}

/** Understands one message with compiled rules. See `createUnderstander`. */
export function understandWith(rules: CompiledDialogueRules, regions: RegionLookup, message: string, context: UnderstandContext): UnderstoodMessage {
  const masked = maskPersonalData(message);
  const { plain, text } = normalizeMessage(masked.text, rules.normalize);

  const located = locatePlaces(plain, regions, rules.places);
  const asserted = located.filter((p) => !p.negated);
  const rejected = located.filter((p) => p.negated);
  const dates = findDates(text, context.today, rules.dates, context.contextYear);
  const stated = extractSlots(text, rules.slots);
  const yesNo = detectYesNo(text, rules.answers);
  const correctionCue = hasCorrectionCue(text, rules.corrections);

  // Roles the message itself leaves open: a bare answer to "转到哪里?", or a correction.
  let unresolvedPlaceCorrection: PlaceMention | undefined;
  const isCorrection = correctionCue || rejected.length > 0;
  const open = asserted.filter((p) => p.role === 'unknown' && p.region);
  if (open.length === 1) {
    const place = open[0]!;
    const role = isCorrection ? (resolveCorrectionRole(rejected, context) ?? onlyPlaceAsked(context.lastAsked)) : onlyPlaceAsked(context.lastAsked);
    if (role && !asserted.some((p) => p !== place && p.role === role)) place.role = role;
    else if (isCorrection) unresolvedPlaceCorrection = toPlaceMention(place);
  }

  const slots: Partial<SlotState> = { ...stated };
  const regionFor = (role: 'from' | 'to'): Region | undefined => asserted.find((p) => p.role === role && p.region)?.region;
  const from = regionFor('from');
  const to = regionFor('to');
  if (from) slots.from = from;
  if (to) slots.to = to;

  const intentResult = classifyIntent(
    text,
    {
      placeCount: asserted.length,
      answersSomething: Object.keys(slots).length > 0 || asserted.length > 0 || yesNo !== undefined || dates.length > 0,
      ...(context.currentIntent ? { currentIntent: context.currentIntent } : {}),
    },
    rules.intents,
  );
  const intent = intentResult.intent;

  // Dates: a cue says what a date is; otherwise the intent or the bot's question does.
  const accepted = dates.find((d) => d.kind === 'acceptedDate');
  const infoSheet = dates.find((d) => d.kind === 'infoSheetReceivedDate');
  const generic = dates.filter((d) => d.kind === 'generic');
  const questioned = dates.find((d) => d.kind === 'questioned');
  if (accepted) slots.acceptedDate = accepted.date;
  if (infoSheet) slots.infoSheetReceivedDate = infoSheet.date;
  const asked = new Set(context.lastAsked ?? []);
  if (intent === 'working_days' || (asked.has('startDate') && !asked.has('acceptedDate'))) {
    const [start, end] = dates;
    if (start) slots.startDate = start.date;
    if (end) slots.endDate = end.date;
  } else if (generic[0]) {
    if (!slots.acceptedDate && (intent === 'timeline' || asked.has('acceptedDate'))) slots.acceptedDate = generic[0].date;
    else if (!slots.infoSheetReceivedDate && asked.has('infoSheetReceivedDate')) slots.infoSheetReceivedDate = generic[0].date;
  }

  // A bare number answering the bot's own question ("4个月", "5000").
  Object.assign(slots, answerToAsked(text, context.lastAsked ?? [], slots));

  // A correction replaces every value it states. A correction that states a value is not also a
  // yes/no ("不对，是转到杭州" must not answer "已经在杭州参保了吗?" with no).
  const corrections: SlotName[] = isCorrection ? (Object.keys(slots) as SlotName[]) : [];
  const statesValue = Object.keys(slots).length > 0 || asserted.length > 0;
  const answer = isCorrection && statesValue ? undefined : yesNo;
  if (answer) {
    const askedBooleans = BOOLEAN_SLOTS.filter((s) => asked.has(s));
    const only = askedBooleans[0];
    if (askedBooleans.length === 1 && only && slots[only] === undefined) slots[only] = answer === 'yes';
  }

  const result: UnderstoodMessage = {
    intent,
    confidence: intentResult.confidence,
    slots,
    places: asserted.map(toPlaceMention),
    corrections,
    injection: detectInjection(text, rules.injection),
    containsPersonalData: masked.found.idNumbers + masked.found.phones > 0,
    ...(questioned ? { questionedDate: questioned.date } : {}),
    normalized: text,
    dates,
    rejectedPlaces: rejected.map(toPlaceMention),
  };
  if (answer) result.yesNo = answer;
  if (unresolvedPlaceCorrection) result.unresolvedPlaceCorrection = unresolvedPlaceCorrection;
  return result;
}

export interface UnderstanderOptions {
  /** Rules already loaded (tests); by default knowledge/dialogue/*.yaml is read once. */
  rules?: DialogueRules;
  /** Folder holding the rule files. */
  dir?: string;
}

/**
 * Loads and compiles the dialogue rules once and returns a fast, pure function that turns one user
 * message into an Understanding (intent, slots, places with roles, dates, corrections, yes/no,
 * injection and personal-data flags).
 * @example
 * const understand = createUnderstander(loadRegionResolver());
 * understand('我的医保余额能从烟台转到苏州吗?', { today: '2026-05-06' }).slots.to?.name // '苏州市'
 */
export function createUnderstander(regions: RegionLookup, options: UnderstanderOptions = {}): Understander {
  const compiled = compileDialogueRules(options.rules ?? loadDialogueRules(options.dir));
  return (message, context) => understandWith(compiled, regions, message, context);
}

let defaultRules: CompiledDialogueRules | undefined;

/**
 * One-off form of `createUnderstander` (the rules are loaded on first use and kept).
 */
export function understand(message: string, context: UnderstandContext, regions: RegionLookup): UnderstoodMessage {
  defaultRules ??= compileDialogueRules(loadDialogueRules());
  return understandWith(defaultRules, regions, message, context);
}
