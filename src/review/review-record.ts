import { z } from 'zod';
import type { TurnRecordEvent } from '../dialogue/chat-engine.js';
import { maskLogText, maskValue } from '../logging.js';
import { maskPersonalData } from '../privacy/mask.js';
import { isReAsk } from './re-ask.js';

/** Why a turn is shown to the operators, in the order the review page lists them. */
export const reviewReasons = ['thumbs_down', 'out_of_scope', 'low_confidence', 're_asked', 'model_fallback'] as const;
export type ReviewReason = (typeof reviewReasons)[number];

/** Chinese labels of the reasons, for the page, the CSV and the eval drafts. */
export const reasonLabels: Record<ReviewReason, string> = {
  thumbs_down: '点踩',
  out_of_scope: '超出范围',
  low_confidence: '理解置信度低',
  re_asked: '重问或纠正',
  model_fallback: '模型回退',
};

/**
 * One recorded turn. Everything free-text in it is masked before it is built (see
 * `recordFromTurn`), so a store never holds what the user typed unmasked. Stored as JSON;
 * intents and reasons are read back as plain strings so that a record written by an older
 * version still loads.
 */
export const reviewRecordSchema = z.object({
  sessionId: z.string().min(1).max(64),
  turn: z.number().int().positive(),
  at: z.string().min(10),
  question: z.string(),
  reply: z.string(),
  intent: z.string(),
  understood: z.object({ intent: z.string(), confidence: z.number() }),
  answeredBy: z.enum(['rules', 'model']),
  /** Slots the user corrected in this message. */
  corrected: z.array(z.string()),
  /** The message asks again what the previous one asked. */
  reAsked: z.boolean(),
  citations: z.array(z.string()),
  slots: z.record(z.string(), z.unknown()),
  needs: z.array(z.string()),
  /** Why the model's answer was not used (rules answered instead). */
  fallback: z.string().optional(),
  rating: z.enum(['up', 'down']).optional(),
  comment: z.string().optional(),
  ratedAt: z.string().optional(),
  reasons: z.array(z.enum(reviewReasons)),
});
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;

/** The key of a record: one per session and turn. */
export const recordKey = (sessionId: string, turn: number): string => `${sessionId}:${turn}`;

/**
 * A session id as the review stores it. Clients choose their ids and one could be a phone
 * number; masking is deterministic, so a rating finds its turn by the same masked id.
 */
export const storedSessionId = (sessionId: string): string => maskPersonalData(sessionId).text;

export interface RecordSettings {
  /** Understanding confidence below which a turn is low_confidence. */
  lowConfidence: number;
}

/** What the engine reports for a turn, plus why the model path fell back, if it did. */
export interface TurnInput {
  record: TurnRecordEvent;
  intent: string;
  answeredBy: 'rules' | 'model';
  modelFallback?: string;
}

/**
 * The reasons a turn needs an operator's eye. A bare answer to the bot's own question ("职工医保",
 * "是的") and a greeting are not low-confidence failures, whatever their score.
 */
function turnReasons(input: TurnInput, reAsked: boolean, settings: RecordSettings): ReviewReason[] {
  const r = input.record;
  const reasons: ReviewReason[] = [];
  if (input.intent === 'out_of_scope') reasons.push('out_of_scope');
  const bareAnswer = r.changedSlots.length > 0 || r.answeredYesNo;
  if (r.understood.confidence < settings.lowConfidence && !bareAnswer && input.intent !== 'greeting') reasons.push('low_confidence');
  if (reAsked || r.corrections.length > 0) reasons.push('re_asked');
  if (input.modelFallback) reasons.push('model_fallback');
  return reasons;
}

/**
 * Builds the stored record of a turn. Everything in it that came from the user, or could echo
 * them (question, reply, slot values, the session id), goes through the same masking as log
 * lines (ID numbers, mobile numbers, self-introduced names). The rest is the service's own
 * vocabulary: intents, reasons, slot names, entry ids.
 */
export function recordFromTurn(input: TurnInput, settings: RecordSettings): ReviewRecord {
  const r = input.record;
  // A message that sets new facts is a new question, however alike its wording ("…转到南京" → "…转到上海").
  const reAsked = r.previousQuestion !== undefined && r.changedSlots.length === 0 && isReAsk(r.previousQuestion, r.question);
  return {
    sessionId: storedSessionId(r.sessionId),
    turn: r.turn,
    at: r.at,
    question: maskLogText(r.question),
    reply: maskLogText(r.reply),
    intent: input.intent,
    understood: { intent: r.understood.intent, confidence: r.understood.confidence },
    answeredBy: input.answeredBy,
    corrected: [...r.corrections],
    reAsked,
    citations: [...r.citations],
    slots: maskValue({ ...r.slots }) as Record<string, unknown>,
    needs: [...r.needs],
    ...(input.modelFallback ? { fallback: input.modelFallback } : {}),
    reasons: turnReasons(input, reAsked, settings),
  };
}

/** The record with a user's rating: thumbs_down added or removed, the comment masked. */
export function withFeedback(record: ReviewRecord, feedback: { rating: 'up' | 'down'; comment?: string; at: string }): ReviewRecord {
  // A later rating without a comment keeps the earlier comment only if the rating is the same.
  const comment = feedback.comment ?? (record.rating === feedback.rating ? record.comment : undefined);
  const reasons: ReviewReason[] = record.reasons.filter((r) => r !== 'thumbs_down');
  if (feedback.rating === 'down') reasons.unshift('thumbs_down');
  const { comment: _old, ...rest } = record;
  return {
    ...rest,
    rating: feedback.rating,
    ratedAt: feedback.at,
    ...(comment ? { comment: maskLogText(comment) } : {}),
    reasons: reviewReasons.filter((r) => reasons.includes(r)),
  };
}

/** Parses one stored record; undefined for anything that is not one (a truncated line, another version's shape). */
export function decodeRecord(raw: string): ReviewRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = reviewRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
