import type { SlotName, SlotState } from '../types.js';
import { durationMonths, ratePercentOf } from './slots.js';

/** Longest message (characters) still read as a bare answer to the bot's question. */
const MAX_ANSWER_LENGTH = 20;

const DURATION = /(\d+(?:\.\d+)?个半?多?月|\d+(?:\.\d+)?个?多?年半?多?|半个?月|半年)/;
const LONE_NUMBER = /^[^\d]*?(\d+(?:\.\d+)?)\s*(%|元|块|个工作日|工作日|天|年)?[^\d]*$/;

type NumberSlot = 'gapMonths' | 'base' | 'ratePercent' | 'yearsRepaid' | 'averagePension' | 'workingDays';

const readers: Record<NumberSlot, (text: string) => number | undefined> = {
  gapMonths: (text) => {
    const m = DURATION.exec(text);
    return m ? durationMonths(m[1]!) : undefined;
  },
  base: (text) => {
    const m = LONE_NUMBER.exec(text);
    return m && (m[2] === undefined || m[2] === '元' || m[2] === '块') ? Number(m[1]) : undefined;
  },
  averagePension: (text) => readers.base(text),
  ratePercent: (text) => {
    const m = LONE_NUMBER.exec(text);
    return m && (m[2] === undefined || m[2] === '%') ? ratePercentOf(Number(m[1]), m[2] === '%') : undefined;
  },
  yearsRepaid: (text) => {
    const m = LONE_NUMBER.exec(text);
    return m && (m[2] === undefined || m[2] === '年') && Number.isInteger(Number(m[1])) ? Number(m[1]) : undefined;
  },
  workingDays: (text) => {
    const m = LONE_NUMBER.exec(text);
    return m && (m[2] === undefined || m[2].includes('工作日') || m[2] === '天') && Number.isInteger(Number(m[1])) ? Number(m[1]) : undefined;
  },
};

/**
 * Reads a short reply that only gives the number the bot asked for ("4个月" after "断缴了多久?",
 * "5000" after "缴费基数是多少?"). Only when exactly one number slot was asked and the message
 * did not already state it.
 */
export function answerToAsked(text: string, lastAsked: readonly SlotName[], stated: Partial<SlotState>): Partial<SlotState> {
  if ([...text].length > MAX_ANSWER_LENGTH) return {};
  const asked = lastAsked.filter((s): s is NumberSlot => s in readers);
  const slot = asked[0];
  if (asked.length !== 1 || !slot || stated[slot] !== undefined) return {};
  const value = readers[slot](text);
  return value === undefined ? {} : { [slot]: value };
}
