import type { Timeline } from '../../tools/transfer-timeline.js';
import type { Provisional, WorkingDaysOutput } from '../../tools/working-days.js';
import { correctMisbeliefs, focusFacts, localNotes, preamble, whereToAsk } from './common.js';
import { formatDate, type ComposeContext } from './context.js';

/** Journey 2: how long a transfer takes and, given the acceptance date, by which dates. */
export function composeTimeline(ctx: ComposeContext): void {
  const { answer, state, answers } = ctx;
  preamble(ctx);
  if (state.acceptedDate || state.infoSheetReceivedDate) {
    const input = { ...(state.acceptedDate ? { acceptedDate: state.acceptedDate } : {}), ...(state.infoSheetReceivedDate ? { infoSheetReceivedDate: state.infoSheetReceivedDate } : {}) };
    const result = ctx.tools.run<Timeline>(answer, 'transfer_timeline', input);
    if (!result.ok) {
      answer.say(ctx.tools.explain(result.error), 'tool:transfer_timeline');
      answer.fact(answers.entries.covered_years);
      // The dates cannot be computed, but the limits themselves still hold.
      answer.fact(answers.entries.origin_limit);
      answer.fact(answers.entries.destination_limit);
      answer.suggest('转移要多久？', '在哪里申请？');
      return;
    }
    const timeline = result.output;
    explainQuestionedDate(ctx, timeline);
    const start = state.acceptedDate ? `从${formatDate(state.acceptedDate)}申请受理算起（受理当天不计` : `从${formatDate(state.infoSheetReceivedDate!)}转入地收到信息表算起（当天不计`;
    answer.say(`按医保办发〔2021〕43号规定的时限，${start}，按法定工作日、含调休上班日计算）：`, 'tool:transfer_timeline');
    for (const stage of timeline.stages) {
      if (stage.deadline && stage.workingDays !== null) {
        const mark = stage.provisional ? '暂定' : '';
        answer.say(`· ${stage.name}：${mark}最晚${formatDate(stage.deadline)}（${stage.startsFrom}后${stage.workingDays}个工作日）`, 'tool:transfer_timeline');
      } else {
        answer.say(`· ${stage.name}：国家没有规定时限，以转入地经办机构为准。`, 'tool:transfer_timeline');
      }
    }
    sayProvisional(ctx, timeline, 'tool:transfer_timeline');
    // The opening line already explains how days are counted; keep the notes that add facts.
    for (const note of timeline.notes.filter((n) => /跳过|假设|最晚情况/.test(n))) answer.say(`说明：${note}`, 'tool:transfer_timeline');
    answer.cite(answers.entries.origin_limit).cite(answers.entries.destination_limit).cite(answers.entries.credit_no_limit);
    focusFacts(ctx, { limit: 1, skipTopics: ['timeline', 'transfer', 'scope', 'calendar'] });
    localNotes(ctx, ['timeline']);
  } else {
    answer.fact(answers.entries.origin_limit);
    answer.fact(answers.entries.destination_limit);
    answer.fact(answers.entries.credit_no_limit);
    localNotes(ctx, ['timeline', 'payout', 'balance']);
    answer.ask('acceptedDate', '告诉我申请受理的日期（年月日），我可以按法定工作日（含调休上班日）帮您算出转出地、转入地最晚哪天办完。');
  }
  if (/45|四十五|15个工作日.{0,6}(三|3)|每个(环节|阶段)/.test(ctx.message)) answer.fact(answers.entries.old_procedure, '为什么有的文章说要45个工作日：');
  else correctMisbeliefs(ctx);
  whereToAsk(ctx, '各地可以比国家时限办得更快，办理进度可在国家医保服务平台App或经办窗口查询');
  answer.suggest(...answers.chips.afterTimeline);
}

/**
 * "转入地怎么要到2月27日？": when the user questions one of the computed deadlines, say which stage
 * it ends and why it lies that far out (working days only, each stage from its own starting
 * point) before repeating the dates; the skipped holidays follow in the notes.
 */
function explainQuestionedDate(ctx: ComposeContext, timeline: Timeline): void {
  const questioned = ctx.understanding.questionedDate;
  if (!questioned) return;
  const stage = timeline.stages.find((s) => s.deadline === questioned && s.workingDays !== null);
  if (!stage) {
    ctx.answer.say(`${formatDate(questioned)}不是按您给的日期推算出的期限；下面仍按之前的日期计算。`, 'tool:transfer_timeline');
    return;
  }
  ctx.answer.say(
    `${formatDate(questioned)}是「${stage.name}」的最晚日期：这${stage.workingDays}个工作日从${stage.startsFrom}的次日起数，只数工作日，周末和法定节假日不算（调休上班日算），所以实际经过的日历天数会更多，遇到长假更多。`,
    'tool:transfer_timeline',
  );
}

/** A result counted on the statutory holidays alone (no notice for that year yet) says so in plain words, from the tool. */
function sayProvisional(ctx: ComposeContext, output: Provisional, source: string): void {
  if (!output.provisionalReason) return;
  ctx.answer.say(output.provisionalReason, source);
  ctx.answer.cite(ctx.answers.entries.provisional_dates);
}

const asksIsWorkingDay = /是不是工作日|是工作日吗|算不算工作日|算工作日吗|要上班吗|用上班吗|上不上班|放假吗|放不放假|休息吗|补班吗|是节假日吗/;
const asksMonthCount = /(\d{4})年(\d{1,2})月(?!\d{1,2}[日号])[^\d]{0,8}(几个|多少个?)工作日/;
const namesMonth = /(\d{4})年(\d{1,2})月(?!\d{1,2}[日号]|\d)/;
const refersToLastResult = /这一天|那一天|这天|那天|该日|这个日期|那个日期/;

/** Last day of the month before and of the month of `year-month`, for counting a whole month. */
function monthBounds(year: number, month: number): { from: string; to: string } {
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(new Date(Date.UTC(year, month - 1, 0))), to: iso(new Date(Date.UTC(year, month, 0))) };
}

/** Plain working-day arithmetic on the State Council holiday calendar. */
export function composeWorkingDays(ctx: ComposeContext): void {
  const { answer, state, answers } = ctx;
  preamble(ctx);
  const failed = (message: string) => {
    answer.say(message, 'tool:working_days');
    answer.fact(answers.entries.covered_years);
  };
  // A follow-up ("那2026年10月呢？") asks what the previous working-day question asked.
  const month = asksMonthCount.exec(ctx.message) ?? (state.workingDaysMode === 'month' ? namesMonth.exec(ctx.message) : null);
  const asksCheck = asksIsWorkingDay.test(ctx.message) || (state.workingDaysMode === 'check' && ctx.changed.includes('startDate'));
  if (refersToLastResult.test(ctx.message) && state.lastComputedDate && state.workingDays !== undefined && ctx.changed.includes('workingDays'))
    state.startDate = state.lastComputedDate;

  if (month) {
    const { from, to } = monthBounds(Number(month[1]), Number(month[2]));
    const result = ctx.tools.run<WorkingDaysOutput>(answer, 'working_days', { op: 'count', from, to });
    if (!result.ok) return failed(ctx.tools.explain(result.error));
    if ('to' in result.output) answer.say(`${month[1]}年${Number(month[2])}月共有${result.output.days}个工作日（已扣除周末和法定节假日，调休上班的周末计入）。`, 'tool:working_days');
    sayProvisional(ctx, result.output, 'tool:working_days');
    state.workingDaysMode = 'month';
  } else if (state.startDate && asksCheck) {
    state.workingDaysMode = 'check';
    const result = ctx.tools.run<WorkingDaysOutput>(answer, 'working_days', { op: 'check', date: state.startDate });
    if (!result.ok) return failed(ctx.tools.explain(result.error));
    if ('day' in result.output) {
      const d = result.output.day;
      const when = formatDate(d.date);
      if (d.working && d.makeUpDay) answer.say(`${when}（${d.weekday}）是工作日：这是${d.makeUpFor ?? '节假日'}调休的上班日，要上班。`, 'tool:working_days');
      else if (d.working) answer.say(`${when}（${d.weekday}）是工作日，正常上班。`, 'tool:working_days');
      else if (d.holiday) answer.say(`${when}（${d.weekday}）不是工作日：${d.holiday}放假。`, 'tool:working_days');
      else answer.say(`${when}（${d.weekday}）是周末，不是工作日。`, 'tool:working_days');
      sayProvisional(ctx, result.output, 'tool:working_days');
    }
  } else if (state.startDate && state.workingDays !== undefined) {
    const result = ctx.tools.run<WorkingDaysOutput>(answer, 'working_days', { op: 'add', start: state.startDate, days: state.workingDays });
    if (!result.ok) return failed(ctx.tools.explain(result.error));
    if ('date' in result.output) {
      answer.say(`从${formatDate(state.startDate)}起算（当天不计），第${state.workingDays}个工作日是${formatDate(result.output.date)}。`, 'tool:working_days');
      const skipped = [...new Set(result.output.skipped.map((s) => s.holiday))];
      if (skipped.length) answer.say(`期间跳过了${skipped.join('、')}假期，调休上班的周末按工作日计。`, 'tool:working_days');
      sayProvisional(ctx, result.output, 'tool:working_days');
      state.lastComputedDate = result.output.date;
      state.workingDaysMode = 'add';
    }
  } else if (state.startDate && state.endDate) {
    const result = ctx.tools.run<WorkingDaysOutput>(answer, 'working_days', { op: 'count', from: state.startDate, to: state.endDate });
    if (!result.ok) return failed(ctx.tools.explain(result.error));
    state.workingDaysMode = 'count';
    if ('to' in result.output)
      answer.say(`${formatDate(state.startDate)}（不计）到${formatDate(state.endDate)}（计入）之间有${result.output.days}个工作日。`, 'tool:working_days');
    sayProvisional(ctx, result.output, 'tool:working_days');
  } else {
    answer.ask(state.startDate ? 'workingDays' : 'startDate', '请告诉我起算日期和要加的工作日天数，或者起止日期，我按国务院放假安排（含调休）来算。');
    answer.fact(answers.entries.covered_years);
    return;
  }
  answer.fact(answers.entries.working_days_meaning);
  answer.suggest(...answers.chips.afterTimeline);
}
