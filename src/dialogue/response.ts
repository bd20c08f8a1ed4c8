import type { CitationLabels } from '../knowledge/citation.js';
import type { InsuranceType, Intent, SlotName } from './types.js';

/** A cited entry, with how it was verified and where and when it applies (`CitationLabels`). */
export interface Citation extends CitationLabels {
  id: string;
  title: string;
  /** Document, number, article, issuer and date, in one line. */
  source: string;
  /** The entry text that backs the claim. */
  snippet: string;
  scope: 'national' | 'province' | 'city';
}

export interface Figure {
  /** The figure as it appears in the reply, with its unit ("10个工作日", "2026年5月15日"). */
  text: string;
  /** `tool:<name>`, `kb:<entry id>` or `user` (a number the user typed). */
  source: string;
}

export interface ToolCallRecord {
  name: string;
  input: unknown;
  output: unknown;
}

/** Slots as the HTTP contract shows them: short Chinese names, not codes. */
export interface PublicSlots {
  fromCity?: string;
  fromProvince?: string;
  toCity?: string;
  toProvince?: string;
  insuranceType?: InsuranceType;
  toInsuranceType?: InsuranceType;
  retired?: boolean;
  enrolledAtDestination?: boolean;
  acceptedDate?: string;
  infoSheetReceivedDate?: string;
  gapMonths?: number;
  base?: number;
  ratePercent?: number;
  yearsRepaid?: number;
  newborn?: boolean;
  payoutSituation?: string;
  startDate?: string;
  endDate?: string;
  workingDays?: number;
  averagePension?: number;
  enrolledOutsidePeriod?: boolean;
  continuousYearsBefore?: number;
}

/** The response of POST /v1/chat (PRODUCT.md, HTTP contract v1). */
export interface ChatResponse {
  sessionId: string;
  /** 1-based number of this turn in the session; used by POST /v1/feedback. */
  turn: number;
  reply: string;
  intent: Intent;
  slots: PublicSlots;
  needs: SlotName[];
  citations: Citation[];
  figures: Figure[];
  toolCalls: ToolCallRecord[];
  suggestions: string[];
  answeredBy: 'rules' | 'model';
  /** What the short answer leaves out (legal basis, history, other places' practice), shown on request. */
  details?: string;
  /** The entries only the details rely on. */
  detailsCitations?: Citation[];
}
