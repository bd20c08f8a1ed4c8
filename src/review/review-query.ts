import { reviewReasons, type ReviewReason, type ReviewRecord } from './review-record.js';
import type { ReviewStore, TimeRange } from './review-store.js';

/** Turns shown before and after a listed turn, so the operator sees how the conversation got there. */
const CONTEXT_BEFORE = 3;
const CONTEXT_AFTER = 2;
/** Flagged turns read for one query at most (newest first); the page pages by date instead. */
export const MAX_SCAN = 10_000;

export interface ReviewFilter extends TimeRange {
  reason?: ReviewReason;
  intent?: string;
  limit: number;
}

/** A cited entry as the review shows it: where to fix it. */
export interface EntryLink {
  id: string;
  title?: string;
  /** Path of the entry's file in the repository, e.g. knowledge/entries/transfer/transfer-preconditions.md. */
  file?: string;
  /** A link that opens the file for editing, when KB_EDIT_BASE_URL is set. */
  url?: string;
}

export interface ContextTurn {
  turn: number;
  at: string;
  question: string;
  reply: string;
  intent: string;
}

/** One listed turn: the contract (`sessionId`…`citations`) plus what the page shows around it. */
export interface ReviewItem {
  sessionId: string;
  turn: number;
  at: string;
  question: string;
  reply: string;
  intent: string;
  /** The reason this row is listed under: the filtered one, else the first of `reasons`. */
  reason: ReviewReason;
  reasons: ReviewReason[];
  rating?: 'up' | 'down';
  comment?: string;
  citations: string[];
  entries: EntryLink[];
  confidence: number;
  understoodIntent: string;
  answeredBy: 'rules' | 'model';
  corrected: string[];
  reAsked: boolean;
  fallback?: string;
  slots: Record<string, unknown>;
  needs: string[];
  context: ContextTurn[];
}

export type ReasonCounts = Record<ReviewReason, number>;

export const zeroCounts = (): ReasonCounts => Object.fromEntries(reviewReasons.map((r) => [r, 0])) as ReasonCounts;

/** Counts of flagged turns by reason (a turn with two reasons counts under both). */
export function countReasons(records: readonly ReviewRecord[]): ReasonCounts {
  const counts = zeroCounts();
  for (const record of records) for (const reason of record.reasons) counts[reason] += 1;
  return counts;
}

/** The flagged turns of a range that match the filter, newest first, with their counts by reason. */
export async function findFlagged(store: ReviewStore, filter: Omit<ReviewFilter, 'limit'>): Promise<{ records: ReviewRecord[]; counts: ReasonCounts }> {
  const inRange = await store.flagged(filter, MAX_SCAN);
  const byIntent = filter.intent ? inRange.filter((r) => r.intent === filter.intent) : inRange;
  const records = filter.reason ? byIntent.filter((r) => r.reasons.includes(filter.reason!)) : byIntent;
  return { records, counts: countReasons(byIntent) };
}

/**
 * Lists the turns an operator should look at: thumbs-down (with comments), out-of-scope and
 * low-confidence turns, re-asked or corrected questions and model fallbacks, each with the
 * conversation around it and links to the entries it cited.
 */
export async function listReview(
  store: ReviewStore,
  filter: ReviewFilter,
  describeEntry: (id: string) => Omit<EntryLink, 'id'> | undefined,
): Promise<{ items: ReviewItem[]; counts: ReasonCounts; truncated: boolean }> {
  const { records, counts } = await findFlagged(store, filter);
  const shown = records.slice(0, filter.limit);
  const items = await Promise.all(
    shown.map(async (record) => {
      const around = await store.turns(record.sessionId, record.turn - CONTEXT_BEFORE, record.turn + CONTEXT_AFTER);
      return toItem(record, filter.reason, around, describeEntry);
    }),
  );
  return { items, counts, truncated: records.length > shown.length };
}

function toItem(
  record: ReviewRecord,
  filtered: ReviewReason | undefined,
  around: readonly ReviewRecord[],
  describeEntry: (id: string) => Omit<EntryLink, 'id'> | undefined,
): ReviewItem {
  return {
    sessionId: record.sessionId,
    turn: record.turn,
    at: record.at,
    question: record.question,
    reply: record.reply,
    intent: record.intent,
    reason: filtered ?? record.reasons[0]!,
    reasons: record.reasons,
    ...(record.rating ? { rating: record.rating } : {}),
    ...(record.comment ? { comment: record.comment } : {}),
    citations: record.citations,
    entries: record.citations.map((id) => ({ id, ...describeEntry(id) })),
    confidence: record.understood.confidence,
    understoodIntent: record.understood.intent,
    answeredBy: record.answeredBy,
    corrected: record.corrected,
    reAsked: record.reAsked,
    ...(record.fallback ? { fallback: record.fallback } : {}),
    slots: record.slots,
    needs: record.needs,
    context: around
      .filter((t) => t.turn !== record.turn)
      .map((t) => ({ turn: t.turn, at: t.at, question: t.question, reply: t.reply, intent: t.intent })),
  };
}

const CHINA_OFFSET = '+08:00';

/** Epoch milliseconds of 00:00 in China on a YYYY-MM-DD day. */
export const chinaDayStart = (day: string): number => Date.parse(`${day}T00:00:00.000${CHINA_OFFSET}`);

/**
 * A filter bound as epoch milliseconds: a YYYY-MM-DD day is that day in China (its first
 * millisecond for `since`, its last for `until`); a date-time with a zone is taken as it is.
 * NaN for anything else.
 */
export function parseBound(value: string, end: 'since' | 'until'): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = chinaDayStart(value);
    // Date.parse rolls 2026-02-30 over to March; a day that does not exist is refused.
    if (Number.isNaN(start) || !new Date(start + 8 * 60 * 60 * 1000).toISOString().startsWith(value)) return Number.NaN;
    return end === 'since' ? start : start + 24 * 60 * 60 * 1000 - 1;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return Number.NaN;
  return Date.parse(value);
}
