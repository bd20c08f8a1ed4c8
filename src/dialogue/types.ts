import type { Region } from '../tools/region/types.js';
import type { PayoutSituation } from '../tools/payout.js';

/** Intents of the HTTP contract (PRODUCT.md). */
export const intents = [
  'transfer',
  'timeline',
  'arrears',
  'payout',
  'retiree_credit',
  'materials',
  'online',
  'hotline',
  'legal_basis',
  'working_days',
  'greeting',
  'out_of_scope',
] as const;
export type Intent = (typeof intents)[number];

export type InsuranceType = 'employee' | 'resident';

/** Situations in which a user asks about paying the balance out: the payout tool's own list. */
export { payoutSituations, type PayoutSituation } from '../tools/payout.js';

/**
 * Everything the dialogue knows about the user's case. Places are kept as resolved Regions
 * internally; the HTTP response shows them as short Chinese names (see `publicSlots`).
 */
export interface SlotState {
  from?: Region;
  to?: Region;
  insuranceType?: InsuranceType;
  /** Destination system when the person switches (职工→居民 …). */
  toInsuranceType?: InsuranceType;
  retired?: boolean;
  enrolledAtDestination?: boolean;
  stoppedAtOrigin?: boolean;
  /** YYYY-MM-DD: the date the transfer application was accepted (受理). */
  acceptedDate?: string;
  /** YYYY-MM-DD: the date the destination received the 信息表. */
  infoSheetReceivedDate?: string;
  /** A date the user asks about for plain working-day arithmetic. */
  startDate?: string;
  endDate?: string;
  /** What the last working-day question asked, so "那10月呢？" is answered the same way. */
  workingDaysMode?: 'month' | 'check' | 'add' | 'count';
  /** The last date this conversation computed ("从这一天再往后数5个工作日"). */
  lastComputedDate?: string;
  /** A number of working days the user asks to add. */
  workingDays?: number;
  gapMonths?: number;
  /** Monthly contribution base in yuan, as the user gave it. */
  base?: number;
  /** Contribution rate in percent (7.5 means 7.5 %). */
  ratePercent?: number;
  /** Years of continuous enrolment before a gap or a switch between 职工 and 居民医保. */
  continuousYearsBefore?: number;
  /** Extra years paid to shorten a 居民医保 waiting period. */
  yearsRepaid?: number;
  newborn?: boolean;
  aroundTransfer?: boolean;
  /** 居民医保: enrolled outside the yearly central enrolment period (集中参保期). */
  enrolledOutsidePeriod?: boolean;
  payoutSituation?: PayoutSituation;
  averagePension?: number;
}

export type SlotName = keyof SlotState;

/** A place found in a message, with the role the wording gives it. */
export interface PlaceMention {
  role: 'from' | 'to' | 'unknown';
  text: string;
  region?: Region;
  candidates?: Region[];
}

/** What one user message says, before it is merged into the session state. */
export interface Understanding {
  intent: Intent;
  /** 0..1; below ~0.3 the message did not match any intent rule well. */
  confidence: number;
  /** Slot values stated in this message (places already resolved). */
  slots: Partial<SlotState>;
  /** Places the message mentions, including ambiguous ones the bot must ask about. */
  places: PlaceMention[];
  /** The message corrects an earlier value ("不对，是杭州"): names of the slots it replaces. */
  corrections: SlotName[];
  /** A bare yes/no reply ("是的", "还没有"), to be applied to the bot's last question. */
  yesNo?: 'yes' | 'no';
  /** The message tries to make the bot invent figures or drop its rules. */
  injection: boolean;
  /** The message contained an ID number or a mobile number (never echoed or logged). */
  containsPersonalData: boolean;
  /** A date the user questions rather than states ("怎么要到2月27日？"): explained, never taken as a new value. */
  questionedDate?: string;
}
