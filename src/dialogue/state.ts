import type { PayoutSituation } from '../tools/payout.js';
import type { Region } from '../tools/region/types.js';
import type { Label } from './nlu/corpus.js';
import type { JourneySlot, PersonSlot, SlotName } from './journeys/schema.js';
import type { Figure } from './response.js';
import type { PlaceMention } from './types.js';
import type { Relation, Scheme } from './understand/situation-rules.js';

export type { Relation, Scheme } from './understand/situation-rules.js';

/** What the conversation knows about one person's situation; every journey reads it. */
export interface PersonFacts {
  from?: Region;
  to?: Region;
  fromScheme?: Scheme;
  toScheme?: Scheme;
  retired?: boolean;
  died?: boolean;
  newborn?: boolean;
  emigrated?: boolean;
  enrolledAtDestination?: boolean;
  stoppedAtOrigin?: boolean;
}

/** Values that belong to one journey, kept in that journey's namespace. */
export interface JourneyValues {
  acceptedDate?: string;
  infoSheetReceivedDate?: string;
  checkDate?: string;
  /** A date by which the person wants the transfer done, or a deadline they repeat back to confirm. */
  byDate?: string;
  startDate?: string;
  endDate?: string;
  /** YYYY-MM, for "这个月有几个工作日". */
  month?: string;
  workingDays?: number;
  gapMonths?: number;
  base?: number;
  employerRate?: number;
  individualRate?: number;
  ratePercent?: number;
  continuousYears?: number;
  yearsRepaid?: number;
  aroundTransfer?: boolean;
  enrolledOutsidePeriod?: boolean;
  payoutSituation?: PayoutSituation;
  averagePension?: number;
  /**
   * What the person's question in this journey is about, in the renderer's own terms (e.g. the
   * amount to back-pay), kept while the bot asks for a fact, so the answer that follows still
   * answers it.
   */
  topic?: string;
}

/** One person the conversation is about: their facts and each journey's values. */
export interface PersonState {
  relation?: Relation;
  facts: PersonFacts;
  journeys: Partial<Record<string, JourneyValues>>;
}

/**
 * Everything a conversation carries between turns, namespaced: the people it is about (the
 * speaker, and someone else they ask for), who the current turn is about, the journey under way
 * and what the bot asked last.
 */
export interface ConversationState {
  subject: 'self' | 'other';
  self: PersonState;
  other?: PersonState;
  /** The journey of the last answer. */
  journey?: string;
  /** The classifier label of the last question (for follow-ups). */
  label?: Label;
  /** What the last reply asked for: the journey and the slot, by its own name. */
  asked?: { journey: string; slot: SlotName };
  /** Role of the place the user set most recently (to apply "不对，是杭州"). */
  lastSetPlaceRole?: 'from' | 'to';
  /** A place the bot asked the user to disambiguate, with the role it would fill. */
  pendingPlace?: PlaceMention & { role: 'from' | 'to' };
  /** The last calendar date the conversation gave or computed ("从那天起再加5个工作日"). */
  lastDate?: string;
  /** The moves ("青岛→南京") whose steps (what to do first, where to apply) were already said. */
  stepsSaid?: string[];
  /** What the last answer left out, for "详细": the text, the entries it cites, its figures' sources. */
  details?: { text: string; citations: string[]; figures: Figure[] };
}

export const newConversation = (): ConversationState => ({ subject: 'self', self: { facts: {}, journeys: {} } });

/** The person the current turn is about. */
export function subjectState(state: ConversationState): PersonState {
  if (state.subject === 'other') return (state.other ??= { facts: {}, journeys: {} });
  return state.self;
}

export type { JourneySlot, PersonSlot, SlotName };
