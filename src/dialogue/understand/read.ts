import { maskPersonalData } from '../../privacy/mask.js';
import type { Region, RegionLookup } from '../../tools/region/types.js';
import type { JourneySlot, SlotName } from '../journeys/schema.js';
import type { JourneyValues, PersonFacts } from '../state.js';
import type { PlaceMention } from '../types.js';
import { answerToAsked } from './asked-answers.js';
import { compileCorrectionRules, hasCorrectionCue, type CompiledCorrectionRules } from './corrections.js';
import { compileDateRules, findDates, hasVagueDate, type CompiledDateRules, type DateMention } from './dates.js';
import { loadDialogueRules, type DialogueRules } from './dialogue-rules.js';
import { compileInjectionRules, detectInjection, type CompiledInjectionRules } from './injection.js';
import { compileNormalizeRules, normalizeMessage, type CompiledNormalizeRules } from './normalize.js';
import { compilePlaceRules, locatePlaces, toPlaceMention, type CompiledPlaceRules, type LocatedPlace } from './places.js';
import { boolFact, partyRates, schemesOf, storyRoles, subjectOf } from './read-situation.js';
import { compileSituationRules, loadSituationRules, type CompiledSituationRules, type Relation, type SituationRules } from './situation-rules.js';
import { compileSlotRules, extractSlots, type CompiledSlotRules } from './slots.js';
import { compileAnswerRules, detectYesNo, type CompiledAnswerRules } from './yes-no.js';

/** What the dialogue knows when it hands a message over. */
export interface ReadContext {
  /** 'YYYY-MM-DD', today in Asia/Shanghai. */
  today: string;
  /** The slot the bot asked for last: a bare answer ("4个月", "是的", "杭州") fills it. */
  asked?: SlotName;
  /** The conversation's places: "不是南京，是杭州" replaces the one that holds 南京. */
  known?: { from?: Region; to?: Region };
  lastSetPlaceRole?: 'from' | 'to';
  /** The year the conversation's dates are in. */
  contextYear?: number;
  /** The last date the conversation gave or computed ("从那天起…"). */
  lastDate?: string;
  /** The acceptance date the conversation holds ("从受理那天往后数…"). */
  acceptedDate?: string;
}

/**
 * One message read as the situation it tells: facts about the person (places with roles, the
 * scheme at each end, retired, died …), values for the journeys (dates, months, amounts, rates),
 * with the words behind each, plus corrections, a yes/no, who it is about, and flags.
 */
export interface Reading {
  normalized: string;
  facts: PersonFacts;
  values: JourneyValues;
  /** A date with no cue saying what it is: the journey decides. */
  date?: string;
  /** The words that gave each value, for saying what was assumed. */
  evidence: Partial<Record<SlotName, string>>;
  places: PlaceMention[];
  rejectedPlaces: PlaceMention[];
  /** A place with several candidates, and the role it would fill. */
  ambiguous?: PlaceMention & { role: 'from' | 'to' };
  /** A correction names a place but nothing tells which end it is. */
  unresolvedPlaceCorrection?: PlaceMention;
  /** Who the message is about: someone else, back to the speaker, or not said. */
  subject?: { relation: Relation; word: string } | 'self';
  /** Slots this message corrects ("不对，是杭州", "不对，断了五个月"). */
  corrections: SlotName[];
  yesNo?: 'yes' | 'no';
  dates: DateMention[];
  /** A date the user questions ("怎么要到2月27日？"). */
  questionedDate?: string;
  /** A time the bot must pin down (年后, 月底). */
  dateVague: boolean;
  /**
   * Readings the reply should state ("上个月20号按2026年10月20日算"), with the slot each one filled
   * (none: a date whose role the journey decides). A journey states only those it uses.
   */
  assumptions: Array<{ slot?: SlotName; text: string }>;
  injection: boolean;
  containsPersonalData: boolean;
}

export interface CompiledReadRules {
  normalize: CompiledNormalizeRules;
  places: CompiledPlaceRules;
  corrections: CompiledCorrectionRules;
  answers: CompiledAnswerRules;
  injection: CompiledInjectionRules;
  slots: CompiledSlotRules;
  dates: CompiledDateRules;
  situation: CompiledSituationRules;
}

/** Compiles the rule files the reader uses (once, at load). */
export function compileReadRules(rules: DialogueRules, situation: SituationRules): CompiledReadRules {
  return {
    normalize: compileNormalizeRules(rules.normalize),
    places: compilePlaceRules(rules.places, rules.corrections),
    corrections: compileCorrectionRules(rules.corrections),
    answers: compileAnswerRules(rules.answers),
    injection: compileInjectionRules(rules.injection),
    slots: compileSlotRules(rules.slots),
    dates: compileDateRules(rules.dates),
    situation: compileSituationRules(situation),
  };
}

const formatDate = (iso: string) => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8))}日`;
const BOOLEAN_SLOTS: SlotName[] = ['retired', 'enrolledAtDestination', 'stoppedAtOrigin', 'died', 'newborn', 'emigrated', 'aroundTransfer', 'enrolledOutsidePeriod'];
// "从那天起", "那天之后": the date the conversation just used.
// A question about a day ("10月8号上班吗") is not about the person working.
const DAY_QUESTION = /上班吗|上不上班|要上班|用上班|上班不|补班|调休|放假|工作日/;
const RETIREMENT_WORDS = /退休|退了|养老金|离休/;
const FUTURE_WORK = /要|准备|打算|想|下个?月|明年|过段时间|以后|将来|将要/;
const NEGATED_BEFORE = /(?:不是|并非|不对)\s*$/;
// "从受理那天往后数": the acceptance date the conversation holds.
const ACCEPTED_DAY = /受理(?:的)?(?:那|这)[一1]?天|受理日|受理当天/;
const THAT_DAY = /(?:那|这)[一1]?天|当天|那个日子|这个日子|那个日期|这个日期/;
// A month without a day, asked about as a whole ("10月有几个工作日", follow-up "那11月呢").
const MONTH_ONLY = /(?:(\d{4})\s*年|(今年|去年|明年))?(?<![\d个])(\d{1,2})\s*月(?:份)?(?!\s*\d)/;
const YEAR_SHIFT: Record<string, number> = { 去年: -1, 今年: 0, 明年: 1 };
const RELATIVE_MONTH = /(上个月|这个月|本月|下个月)/;
// Asking about working days or days off ("上班" alone is a job, not a question about a day).
const ABOUT_WORKING_DAYS = /工作日|(?:要|用|得|不)上班|上班吗|上不上班|放[^，。]{0,3}假|调休|休息日|假期|节假日/;
const SHORT_FOLLOW_UP = /^(那|那么)?.{0,8}呢[?？]?$/;

const BARE_MONTHS = /(?:是|应该是|其实是|实际是)?(\d{1,3})\s*个\s*月/;
// Months named as a range or a list, then a word for not paying.
const UNPAID = '(?:都|也)?(?:没交|没缴|没有交|没有缴|未交|未缴|空着|空了|断了|断缴|没上|没参保)';
const MONTH_RANGE = new RegExp(`(\\d{1,2}|[一二三四五六七八九十]{1,2})月?(?:份)?(?:到|至|-|~|～)(\\d{1,2})月(?:份)?${UNPAID}`);
const CN_MONTH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };
const MONTH_LIST = new RegExp(`((?:\\d{1,2}月(?:份)?[、和跟,，]?){2,})${UNPAID}`);

function gapByCalendarMonths(text: string): { count: number; words: string } | undefined {
  const range = MONTH_RANGE.exec(text);
  if (range) {
    const count = Number(range[2]) - (CN_MONTH[range[1]!] ?? Number(range[1])) + 1;
    if (count >= 1 && count <= 12) return { count, words: range[0] };
  }
  const list = MONTH_LIST.exec(text);
  if (list) return { count: (list[1]!.match(/\d{1,2}月/g) ?? []).length, words: list[0] };
  return undefined;
}

// A home town ("户口在桂林", "桂林人") is the origin only when no place where the person worked or paid is named.
const HOME_BEFORE = /(?:老家|户口|户籍|家在|家是|籍贯|家乡)[在是]?$/;
const WORKED_OR_PAID_AFTER = /^[^，。,；;]{0,14}(?:交|缴|参保|社保|医保|上班|工作|打工|干活|上学|读书)/;

/** Of several places told as the origin, the one the insurance was in. */
function whereInsured(plain: string, asserted: LocatedPlace[]): LocatedPlace | undefined {
  const candidates = asserted.filter((p) => p.role === 'from' && p.region);
  if (candidates.length < 2) return candidates[0];
  const score = (p: LocatedPlace) =>
    (HOME_BEFORE.test(plain.slice(Math.max(0, p.start - 4), p.start)) || plain[p.end] === '人' ? -2 : 0) + (WORKED_OR_PAID_AFTER.test(plain.slice(p.end)) ? 2 : 0);
  return candidates.reduce((best, p) => (score(p) > score(best) ? p : best));
}

function correctionRole(rejected: LocatedPlace[], context: ReadContext): 'from' | 'to' | undefined {
  const cued = rejected.find((p) => p.role !== 'unknown');
  if (cued && cued.role !== 'unknown') return cued.role;
  for (const place of rejected) {
    const codes = [place.region?.code, ...(place.candidates ?? []).map((c) => c.code)].filter(Boolean);
    if (context.known?.to && codes.includes(context.known.to.code)) return 'to';
    if (context.known?.from && codes.includes(context.known.from.code)) return 'from';
  }
  return context.lastSetPlaceRole;
}

/** Reads one message. See `Reading`. */
export function readWith(rules: CompiledReadRules, regions: RegionLookup, message: string, context: ReadContext): Reading {
  const masked = maskPersonalData(message);
  const { plain, text } = normalizeMessage(masked.text, rules.normalize);
  const evidence: Reading['evidence'] = {};
  const facts: PersonFacts = {};
  const values: JourneyValues = {};

  // Places, with roles from the words next to them and then from the story.
  const located = locatePlaces(plain, regions, rules.places);
  const storyEvidence = storyRoles(plain, located, rules.situation);
  const asserted = located.filter((p) => !p.negated && !p.repeat);
  const rejected = located.filter((p) => p.negated);
  const correctionCue = hasCorrectionCue(text, rules.corrections);
  const isCorrection = correctionCue || rejected.length > 0;
  let unresolvedPlaceCorrection: PlaceMention | undefined;
  const open = asserted.filter((p) => p.role === 'unknown' && (p.region || p.candidates));
  if (open.length === 1) {
    const place = open[0]!;
    const asked = context.asked === 'from' || context.asked === 'to' ? context.asked : undefined;
    const role = isCorrection ? (correctionRole(rejected, context) ?? asked) : asked;
    if (role && !asserted.some((p) => p !== place && p.role === role)) place.role = role;
    else if (isCorrection) unresolvedPlaceCorrection = toPlaceMention(place);
  }
  let ambiguous: Reading['ambiguous'];
  for (const role of ['from', 'to'] as const) {
    const place = role === 'from' ? whereInsured(plain, asserted) : asserted.find((p) => p.role === role && p.region);
    if (place?.region) {
      facts[role] = place.region;
      evidence[role] = storyEvidence.get(place) ?? place.text;
    } else {
      const unclear = asserted.find((p) => p.role === role && !p.region && p.candidates?.length);
      if (unclear && !ambiguous) ambiguous = { ...toPlaceMention(unclear), role };
    }
  }

  // Schemes at each end. A scheme the bot just asked about takes the first scheme the answer names.
  const schemeMentions = schemesOf(text, located, rules.situation);
  const askedScheme = context.asked === 'fromScheme' || context.asked === 'toScheme' ? context.asked : undefined;
  let answered: (typeof schemeMentions)[number] | undefined;
  if (askedScheme && schemeMentions.length > 0 && !schemeMentions.some((m) => (m.end === 'from' ? 'fromScheme' : 'toScheme') === askedScheme)) {
    answered = schemeMentions[0]!;
    facts[askedScheme] = answered.scheme;
    evidence[askedScheme] = answered.word;
  }
  for (const mention of schemeMentions) {
    if (mention === answered) continue;
    const slot = mention.end === 'from' ? 'fromScheme' : 'toScheme';
    // 灵活就业 is a way of paying; a scheme named beside it ("灵活就业交的职工医保") is the scheme.
    if (facts[slot] === 'flexible' && mention.scheme !== 'flexible') {
      facts[slot] = mention.scheme;
      evidence[slot] = mention.word;
    }
    if (facts[slot] === undefined) {
      facts[slot] = mention.scheme;
      evidence[slot] = mention.word;
    }
  }
  const s = rules.situation;
  const bool = (slot: 'retired' | 'enrolledAtDestination' | 'stoppedAtOrigin', fact: ReturnType<typeof boolFact>) => {
    if (!fact) return;
    facts[slot] = fact.value;
    evidence[slot] = fact.word;
  };
  bool('retired', boolFact(text, s.retiredYes, s.retiredNo));
  // Working now ("在杭州上班", "跳槽了", "刚入职") says not retired — unless retirement is in the story
  // ("退休前在厂里上班") or the work is still ahead ("下个月去大连上班").
  if (facts.retired === undefined && !s.died.test(text) && !DAY_QUESTION.test(text)) {
    const work = s.working.exec(text);
    const before = text.slice(Math.max(0, work?.index ?? 0) - 8, work?.index ?? 0);
    if (work && !RETIREMENT_WORDS.test(text) && !FUTURE_WORK.test(before) && !/(?:没|不|未|还没|没有)$/.test(before) && !/的时候|期间|中间/.test(text.slice(work.index, work.index + 8))) {
      facts.retired = false;
      evidence.retired = work[0];
    }
  }
  bool('enrolledAtDestination', boolFact(text, s.enrolledYes, s.enrolledNo));
  bool('stoppedAtOrigin', boolFact(text, s.stoppedYes, s.stoppedNo));
  const died = s.died.exec(text);
  if (died) {
    facts.died = true;
    evidence.died = died[0];
  }
  const emigrated = s.emigrated.exec(text);
  if (emigrated) {
    facts.emigrated = true;
    evidence.emigrated = emigrated[0];
  }

  // Numbers, booleans and the payout situation from the slot rules.
  const stated = extractSlots(text, rules.slots);
  if (stated.newborn) facts.newborn = true;
  for (const key of ['gapMonths', 'base', 'ratePercent', 'yearsRepaid', 'workingDays', 'averagePension', 'aroundTransfer', 'enrolledOutsidePeriod', 'payoutSituation'] as const) {
    if (stated[key] !== undefined) (values as Record<string, unknown>)[key] = stated[key];
  }
  if (stated.continuousYearsBefore !== undefined) values.continuousYears = stated.continuousYearsBefore;
  // A correction that gives only a number of months ("打错了，是10个月"): the gap, the one value counted in months.
  if (isCorrection && values.gapMonths === undefined && Object.keys(values).length === 0) {
    const bare = BARE_MONTHS.exec(text);
    if (bare) {
      values.gapMonths = Number(bare[1]);
      evidence.gapMonths = bare[0];
    }
  }
  // A gap told as calendar months ("一月二月没交", "1到3月都空着"): as many months as named.
  if (values.gapMonths === undefined) {
    const months = gapByCalendarMonths(text);
    if (months) {
      values.gapMonths = months.count;
      evidence.gapMonths = months.words;
    }
  }
  const rates = partyRates(text);
  if (rates.employer !== undefined) values.employerRate = rates.employer;
  if (rates.individual !== undefined) values.individualRate = rates.individual;
  // A share of one party is not the total rate (the arrears journey adds the shares up).
  if (rates.employer !== undefined || rates.individual !== undefined) delete values.ratePercent;

  // Dates.
  // A date the person takes back ("不是前天，是11月25号") says nothing.
  const dates = findDates(text, context.today, rules.dates, context.contextYear).filter((d) => !NEGATED_BEFORE.test(text.slice(Math.max(0, d.start - 4), d.start)));
  const assumptions: Reading['assumptions'] = [];
  let date: string | undefined;
  let questionedDate: string | undefined;
  for (const d of dates) {
    const slot: JourneySlot | undefined =
      d.kind === 'acceptedDate'
        ? 'acceptedDate'
        : d.kind === 'infoSheetReceivedDate'
          ? 'infoSheetReceivedDate'
          : d.kind === 'check'
            ? 'checkDate'
            : d.kind === 'start'
              ? 'startDate'
              : d.kind === 'confirmed'
                ? 'byDate'
                : undefined;
    if (d.resolved) assumptions.push({ ...(slot && values[slot] === undefined ? { slot } : {}), text: `“${d.text}”按${formatDate(d.date)}算` });
    if (d.kind === 'questioned') questionedDate ??= d.date;
    else if (slot && values[slot] === undefined) {
      (values as Record<string, unknown>)[slot] = d.date;
      evidence[slot] = d.text;
    } else if (!slot) date ??= d.date;
  }
  // Two dates joined by 到 ("5月1日到5月20日有几个工作日"): the first and last day of a count.
  if (dates.length >= 2 && values.startDate === undefined && values.endDate === undefined) {
    const [a, b] = [dates[0]!, dates[1]!];
    if (a.kind === 'generic' && b.kind === 'generic' && /^\s*(?:到|至|-|~|～|一直到)\s*$/.test(text.slice(a.end, b.start)) && b.date > a.date) {
      values.startDate = a.date;
      values.endDate = b.date;
      evidence.startDate = a.text;
      evidence.endDate = b.text;
      if (date === a.date) date = undefined;
    }
  }
  // A second date with no cue after a start date is the end of a count ("从3月1日到3月31日").
  if (dates.length >= 2 && values.startDate && date && date > values.startDate) {
    values.endDate = date;
    date = undefined;
  }
  // A date with no cue next to a count of working days is where the count starts ("3月1号后第10个工作日").
  if (date && values.workingDays !== undefined && values.startDate === undefined) {
    values.startDate = date;
    evidence.startDate = date;
    date = undefined;
  }
  if (!dates.length && context.acceptedDate && ACCEPTED_DAY.test(text) && values.workingDays !== undefined) {
    values.startDate = context.acceptedDate;
    evidence.startDate = ACCEPTED_DAY.exec(text)![0];
  }
  if (!dates.length && values.startDate === undefined && context.lastDate && THAT_DAY.test(text) && values.workingDays !== undefined) {
    values.startDate = context.lastDate;
    evidence.startDate = THAT_DAY.exec(text)![0];
  }
  // A whole month ("10月有几个工作日"): the next such month when no year is said.
  if (!dates.length && (ABOUT_WORKING_DAYS.test(text) || SHORT_FOLLOW_UP.test(text))) {
    const now = { year: Number(context.today.slice(0, 4)), month: Number(context.today.slice(5, 7)) };
    const relative = RELATIVE_MONTH.exec(text);
    const m = MONTH_ONLY.exec(text);
    if (relative) {
      const shift = relative[1] === '上个月' ? -1 : relative[1] === '下个月' ? 1 : 0;
      const d = new Date(Date.UTC(now.year, now.month - 1 + shift, 1));
      values.month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      evidence.month = relative[1];
    } else if (m && Number(m[3]) >= 1 && Number(m[3]) <= 12) {
      const month = Number(m[3]);
      const year = m[1] ? Number(m[1]) : m[2] ? now.year + YEAR_SHIFT[m[2]]! : (context.contextYear ?? (month < now.month ? now.year + 1 : now.year));
      values.month = `${year}-${String(month).padStart(2, '0')}`;
      evidence.month = m[0];
      if (!m[1] && !m[2] && year !== now.year) assumptions.push({ slot: 'month', text: `“${m[0]}”按${year}年${month}月算` });
    }
  }
  // A bare answer to the bot's question: a date, or a number.
  if (date && context.asked && ['acceptedDate', 'infoSheetReceivedDate', 'checkDate', 'startDate'].includes(context.asked)) {
    (values as Record<string, unknown>)[context.asked] = date;
    evidence[context.asked] = date;
    date = undefined;
  }
  const numberAnswer = answerToAsked(text, context.asked ? [context.asked === 'continuousYears' ? 'continuousYearsBefore' : (context.asked as never)] : [], values as never);
  for (const [k, v] of Object.entries(numberAnswer)) (values as Record<string, unknown>)[k === 'continuousYearsBefore' ? 'continuousYears' : k] = v;

  // A yes/no answers the bot's boolean question. A correction that states a value is not also a
  // yes/no ("不对，是转到杭州").
  const yesNo = detectYesNo(text, rules.answers);
  const statesValue = Object.keys(facts).length + Object.keys(values).length > 0 || asserted.length > 0;
  const answer = isCorrection && statesValue ? undefined : yesNo;
  if (answer && context.asked && BOOLEAN_SLOTS.includes(context.asked)) {
    const slot = context.asked;
    const target = (['retired', 'enrolledAtDestination', 'stoppedAtOrigin', 'died', 'newborn', 'emigrated'] as string[]).includes(slot) ? facts : values;
    if ((target as Record<string, unknown>)[slot] === undefined) (target as Record<string, unknown>)[slot] = answer === 'yes';
  }

  const subject = subjectOf(text, s);
  const corrections: SlotName[] = isCorrection ? ([...Object.keys(facts), ...Object.keys(values)] as SlotName[]) : [];
  const reading: Reading = {
    normalized: text,
    facts,
    values,
    evidence,
    places: asserted.map(toPlaceMention),
    rejectedPlaces: rejected.map(toPlaceMention),
    corrections,
    dates,
    dateVague: dates.length === 0 && hasVagueDate(text, rules.dates),
    assumptions,
    injection: detectInjection(text, rules.injection),
    containsPersonalData: masked.found.idNumbers + masked.found.phones > 0,
  };
  if (date) reading.date = date;
  if (ambiguous) reading.ambiguous = ambiguous;
  if (unresolvedPlaceCorrection) reading.unresolvedPlaceCorrection = unresolvedPlaceCorrection;
  if (subject.backToSelf) reading.subject = 'self';
  else if (subject.relation) reading.subject = { relation: subject.relation, word: subject.word! };
  if (answer) reading.yesNo = answer;
  if (questionedDate) reading.questionedDate = questionedDate;
  return reading;
}

export type Reader = (message: string, context: ReadContext) => Reading;

/** Loads and compiles the rules once; the returned function reads one message. */
export function createReader(regions: RegionLookup, options: { rules?: DialogueRules; situation?: SituationRules } = {}): Reader {
  const compiled = compileReadRules(options.rules ?? loadDialogueRules(), options.situation ?? loadSituationRules());
  return (message, context) => readWith(compiled, regions, message, context);
}
