import type { Timeline } from '../../tools/transfer-timeline.js';
import type { Provisional, WorkingDaysOutput } from '../../tools/working-days.js';
import { entryId, entryIds, type JourneyContext } from '../journeys/context.js';
import { saysWord } from '../journeys/focus-words.js';
import type { RenderResult } from '../journeys/renderers.js';
import type { ToolOutcome } from '../journeys/tool-registry.js';
import { ABOUT_BALANCE, answerFrom, confirmLocally, correctClaim, statesAClaim, explainError, formatDate, formatDateWithWeekday, HOTLINE_ENTRY, appliesToUser, focusOf, preamble, statedAssumptions, text, userRegion } from './common.js';


function citeRoles(ctx: JourneyContext, ...roles: string[]): void {
  for (const role of roles) {
    const id = entryId(ctx, role);
    if (id) ctx.plan.cite(id);
  }
}

// The person is still waiting ("还没弄好", "一直没动静", "都一个多月了").
const NOT_DONE = /还没|没动静|没到|没好|没办完|没弄好|没办好|超时|一直|还在办|办理中|多久了|这么久|个多月|拖/;

/** Cites the holiday schedule of every year the tool's result counted on (their ids name the year). */
function citeSchedules(ctx: JourneyContext, output: string): void {
  const years = new Set(output.match(/\b20\d\d(?=-\d\d)/g) ?? []);
  for (const id of entryIds(ctx, 'schedule')) if ([...years].some((y) => id.includes(y))) ctx.plan.cite(id);
}

/** A result counted on the statutory holidays alone (no notice for that year yet) says so, from the tool. */
function sayProvisional(ctx: JourneyContext, output: Provisional, source: string): void {
  if (!output.provisionalReason) return;
  ctx.plan.point(output.provisionalReason, source);
  const id = entryId(ctx, 'provisional');
  if (id) ctx.plan.cite(id);
}

type Stage = Timeline['stages'][number];

/** The one stage the message asks about by its words ("转出那边", "信息表传过来"), if only one. */
function stageAsked(ctx: JourneyContext): 'origin' | 'destination' | undefined {
  const asks = (name: string) => ctx.journey.focus.some((f) => f.name === name && f.words.some((w) => saysWord(ctx.message, w)));
  if (asks('origin') === asks('destination')) return undefined;
  return asks('origin') ? 'origin' : 'destination';
}

/** The values of the dated lines: the acceptance day and each stage's limit and last day. */
function datesValues(acceptedDate: string, origin: Stage, destination: Stage): Record<string, string | number> {
  return {
    start: formatDateWithWeekday(acceptedDate),
    originMark: origin.provisional ? '暂定' : '',
    destinationMark: destination.provisional ? '暂定' : '',
    originDays: origin.workingDays ?? '',
    origin: formatDateWithWeekday(origin.deadline!),
    destinationDays: destination.workingDays ?? '',
    destination: formatDateWithWeekday(destination.deadline!),
  };
}

/**
 * Journey 2: how long a transfer takes. Without a date: the two stage limits in one sentence (then
 * the runner asks for the acceptance date). With one: both deadlines as calendar dates in the
 * first sentence; whether a date the person needs is met; the holidays skipped.
 */
export function renderTimeline(ctx: JourneyContext, outcome?: ToolOutcome<Timeline>): RenderResult {
  const { plan, values, reading } = ctx;
  preamble(ctx);
  statedAssumptions(ctx);
  // "会不会更快": the limits are the longest; a local office may be quicker (its own rule when read).
  if (focusOf(ctx)?.name === 'faster') {
    plan.answer(text(ctx, 'faster'));
    citeRoles(ctx, 'originLimit', 'destinationLimit');
    const local = ctx
      .retrieve(ctx.question, { k: 4, topics: ['timeline'], region: userRegion(ctx) })
      .find((h) => h.entry.scope.level !== 'national' && appliesToUser(ctx, h.entry) && (h.bm25Rank ?? 99) <= 3);
    if (local) plan.pointFrom(local.entry.id);
    if (!outcome?.ok) return;
  }
  // A web article's claim the person repeats ("每个环节15个工作日"): its correction is the answer,
  // the limits are in the details, and no date is needed.
  if (!outcome && statesAClaim(ctx.message) && correctClaim(ctx, 'answer')) {
    plan.detail(text(ctx, 'general'));
    for (const role of ['originLimit', 'destinationLimit']) plan.citeInDetails(entryId(ctx, role)!);
    return { complete: true };
  }
  if (!outcome) {
    // The money alone: no time limit is set for crediting it; the stage limits are in the details.
    const balanceOnly = ABOUT_BALANCE.test(ctx.message) && !NOT_DONE.test(ctx.question);
    if (balanceOnly && stageAsked(ctx) === 'origin') {
      // "转出地最晚多久要把钱划出去": the balance goes with the origin's part, within its limit.
      answerFrom(ctx, 'originLimit');
      plan.pointFrom(entryId(ctx, 'creditNoLimit')!);
    } else if (balanceOnly) {
      answerFrom(ctx, 'creditNoLimit');
      plan.detail(text(ctx, 'general'));
      for (const role of ['originLimit', 'destinationLimit']) plan.citeInDetails(entryId(ctx, role)!);
    } else if (ABOUT_BALANCE.test(ctx.message)) {
      answerFrom(ctx, 'creditNoLimit');
      plan.point(text(ctx, 'general'));
      citeRoles(ctx, 'originLimit', 'destinationLimit');
    } else {
      plan.answer(text(ctx, 'general'));
      citeRoles(ctx, 'originLimit', 'destinationLimit');
      plan.detailFrom(entryId(ctx, 'creditNoLimit')!);
    }
    // Still waiting, with no date given: the limits, then where to ask.
    if (NOT_DONE.test(ctx.question)) {
      plan.point(text(ctx, 'stuck'), `kb:${HOTLINE_ENTRY}`);
      plan.cite(entryId(ctx, 'progressQuery')!);
      plan.cite(HOTLINE_ENTRY);
    }
    if (!correctClaim(ctx)) plan.detailFrom(entryId(ctx, 'oldProcedure')!, '为什么有的文章说要45个工作日：');
    plan.detail(text(ctx, 'progress'));
    return;
  }
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), 'tool:transfer_timeline');
    citeRoles(ctx, 'coveredYears');
    plan.point(text(ctx, 'general'));
    citeRoles(ctx, 'originLimit', 'destinationLimit');
    return;
  }
  const timeline = outcome.output;
  const origin = timeline.stages.find((s) => s.id === 'transfer-out');
  const destination = timeline.stages.find((s) => s.id === 'transfer-in');
  const questioned = reading.questionedDate ? timeline.stages.find((s) => s.deadline === reading.questionedDate && s.workingDays !== null) : undefined;
  if (questioned && questioned.deadline && questioned.workingDays !== null) {
    plan.answer(text(ctx, 'questioned', { date: formatDate(questioned.deadline), stage: questioned.name, days: questioned.workingDays, from: questioned.startsFrom }), 'tool:transfer_timeline');
  }
  // Which stage the question is about ("转出那边…", "信息表传过来"), else the whole transfer.
  // The money leaves with the origin's part: a question about it is answered with that stage.
  const aboutBalance = ABOUT_BALANCE.test(ctx.message);
  const stageFocus = stageAsked(ctx) ?? (aboutBalance ? 'origin' : undefined);
  const stage = stageFocus === 'origin' ? origin : stageFocus === 'destination' ? destination : undefined;
  const datesLine =
    values.acceptedDate && origin?.deadline && destination?.deadline
      ? text(ctx, stage ? `dated_${stageFocus}` : 'dated', datesValues(values.acceptedDate, origin, destination))
      : destination?.deadline && values.infoSheetReceivedDate
        ? text(ctx, 'infoSheetOnly', { start: formatDateWithWeekday(values.infoSheetReceivedDate), mark: destination.provisional ? '暂定' : '', destinationDays: destination.workingDays ?? '', destination: formatDateWithWeekday(destination.deadline) })
        : undefined;
  // The money, not the relationship: no time limit is set for crediting the balance.
  if (aboutBalance && !questioned) answerFrom(ctx, 'creditNoLimit');
  // A date the person needs it done by, or repeats back to confirm: yes or no first.
  const latest = stage?.deadline ?? timeline.latest;
  const byDateLine =
    values.byDate && latest
      ? text(ctx, latest === values.byDate ? 'byDateSame' : latest < values.byDate ? 'byDateYes' : 'byDateNo', {
          stage: stage ? text(ctx, `stage_${stageFocus}`) : '',
          latest: formatDate(latest),
          by: formatDate(values.byDate),
        })
      : undefined;
  if (byDateLine && !plan.hasAnswer) plan.answer(byDateLine, 'tool:transfer_timeline');
  if (datesLine) {
    if (plan.hasAnswer) plan.point(datesLine, 'tool:transfer_timeline');
    else plan.answer(datesLine, 'tool:transfer_timeline');
  }
  if (byDateLine) plan.point(byDateLine, 'tool:transfer_timeline');
  // The origin's part asked about: when the whole transfer is done follows it.
  const thenDestination = stageFocus === 'origin' && !aboutBalance && datesLine && values.acceptedDate && destination?.deadline;
  if (thenDestination) plan.pointCiting(text(ctx, 'then_destination', datesValues(values.acceptedDate!, origin!, destination!)), 'tool:transfer_timeline', [entryId(ctx, 'destinationLimit')]);
  ctx.conversation.lastDate = timeline.latest ?? ctx.conversation.lastDate;
  // Past the latest date and the person says it is not done: where to ask.
  if (timeline.latest && timeline.latest < ctx.today && !timeline.provisional && NOT_DONE.test(ctx.question)) {
    plan.point(text(ctx, 'overdue', { latest: formatDate(timeline.latest) }), `kb:${entryId(ctx, 'progressQuery')}`);
    plan.cite(entryId(ctx, 'progressQuery')!);
    plan.cite(HOTLINE_ENTRY);
  }
  sayProvisional(ctx, timeline, 'tool:transfer_timeline');
  const skipped = timeline.notes.find((n) => /跳过/.test(n));
  if (skipped) plan.point(skipped, 'tool:transfer_timeline');
  for (const note of timeline.notes.filter((n) => /假设|最晚情况/.test(n))) plan.detail(note, 'tool:transfer_timeline');
  // Both limits when both dates were said; one stage asked about: the other is in the details.
  if (stage && datesLine && values.acceptedDate) {
    citeRoles(ctx, stageFocus === 'origin' ? 'originLimit' : 'destinationLimit');
    plan.citeInDetails(entryId(ctx, stageFocus === 'origin' ? 'destinationLimit' : 'originLimit')!);
    plan.detail(text(ctx, 'dated', datesValues(values.acceptedDate, origin!, destination!)), 'tool:transfer_timeline');
  } else if (datesLine && !values.acceptedDate) {
    // Only the destination's part was dated (from the day it received the information sheet).
    citeRoles(ctx, 'destinationLimit');
    plan.citeInDetails(entryId(ctx, 'originLimit')!);
  } else citeRoles(ctx, 'originLimit', 'destinationLimit');
  plan.detailFrom(entryId(ctx, 'creditNoLimit')!);
  plan.detailFrom(entryId(ctx, 'workingDaysMeaning')!);
  if (!correctClaim(ctx)) plan.detail(text(ctx, 'progress'));
}

/** How to check a transfer's progress, and what the limits are when it is late. */
export function renderProgress(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  // The money not there yet: no time limit is set for crediting it; then how to check.
  if (ABOUT_BALANCE.test(ctx.message)) {
    answerFrom(ctx, 'creditNoLimit');
    plan.pointFrom(entryId(ctx, 'progressQuery')!);
  } else answerFrom(ctx, 'progressQuery');
  // The limits matter now only to someone still waiting; otherwise they are in the details.
  const waiting = NOT_DONE.test(ctx.question);
  if (waiting) plan.point(text(ctx, 'late'));
  else plan.detail(text(ctx, 'late'));
  for (const role of ['originLimit', 'destinationLimit']) {
    const id = entryId(ctx, role);
    if (id && waiting) plan.cite(id);
    else if (id) plan.citeInDetails(id);
  }
  plan.detailFrom(entryId(ctx, 'creditNoLimit')!);
  correctClaim(ctx, 'detail');
  confirmLocally(ctx, '办理进度和催办以经办机构为准', { hotline: true });
}

/** Plain working-day arithmetic on the State Council holiday calendar. */
export function renderWorkingDays(ctx: JourneyContext, outcome?: ToolOutcome<WorkingDaysOutput>): void {
  const { plan } = ctx;
  preamble(ctx);
  statedAssumptions(ctx);
  if (!outcome) {
    plan.answer(text(ctx, 'ask'));
    plan.ask('checkDate', text(ctx, 'ask'));
    citeRoles(ctx, 'coveredYears');
    return;
  }
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), 'tool:working_days');
    citeRoles(ctx, 'coveredYears');
    return;
  }
  const out = outcome.output;
  const source = 'tool:working_days';
  if ('day' in out) {
    const d = out.day;
    const date = formatDateWithWeekday(d.date);
    if (d.working && d.makeUpDay) plan.answer(text(ctx, 'makeUp', { date, for: d.makeUpFor ?? '节假日' }), source);
    else if (d.working) plan.answer(text(ctx, 'working', { date }), source);
    else if (d.holiday) plan.answer(text(ctx, 'holiday', { date, holiday: d.holiday }), source);
    else plan.answer(text(ctx, 'weekend', { date }), source);
  } else if ('date' in out) {
    plan.answer(text(ctx, 'add', { start: formatDate(out.start), n: out.days, date: formatDateWithWeekday(out.date) }), source);
    const holidays = [...new Set(out.skipped.map((s) => s.holiday))];
    if (holidays.length) plan.point(text(ctx, 'skipped', { holidays: holidays.join('、') }), source);
    ctx.conversation.lastDate = out.date;
  } else if ('month' in out) {
    plan.answer(text(ctx, 'month', { month: `${Number(out.month.slice(0, 4))}年${Number(out.month.slice(5))}月`, n: out.days }), source);
  } else {
    plan.answer(text(ctx, 'count', { from: formatDate(out.from), to: formatDate(out.to), n: out.days }), source);
  }
  sayProvisional(ctx, out, source);
  citeSchedules(ctx, JSON.stringify(out));
  plan.detailFrom(entryId(ctx, 'meaning')!);
  if (out.provisional) confirmLocally(ctx, '放假安排以国务院办公厅当年的通知为准');
}
