import type { ArrearsResult } from '../../tools/arrears.js';
import type { PayoutResult } from '../../tools/payout.js';
import type { RetireeCreditResult } from '../../tools/retiree-credit.js';
import { entryId, type JourneyContext } from '../journeys/context.js';
import type { ToolOutcome } from '../journeys/tool-registry.js';
import { answerFrom, confirmLocally, correctClaim, explainError, focusEntries, preamble, provincialNote, statedAssumptions } from './common.js';
import { text } from './common.js';

const ASKS_AMOUNT = /多少钱|补多少|交多少|缴多少|要多少|多少元|金额|算一下|算算|总共|一共|合计|得掏|要掏|费用/;
const ASKS_WHEN = /什么时候|啥时候|多久|多长时间|等待期|能用|报销|生效|恢复|享受/;
const ASKS_LATE_FEE = /滞纳金|罚款|罚金|利息|加收/;

const cite = (ctx: JourneyContext, id: string | undefined, inDetails = false) => {
  if (id && ctx.entries.has(id)) {
    if (inDetails) ctx.plan.citeInDetails(id);
    else ctx.plan.cite(id);
  }
};

/**
 * Journey 3: a gap in payment. The first sentence answers what was asked — how much (the amount
 * from the person's own base and rates), when benefits resume (the waiting period), who pays the
 * late fee, or whether it can be back-paid — then the other two of these the person needs.
 */
export function renderArrears(ctx: JourneyContext, outcome?: ToolOutcome<ArrearsResult>): void {
  const { plan, values, message } = ctx;
  preamble(ctx);
  statedAssumptions(ctx);
  if (ctx.missing || !outcome) {
    // Before asking for the scheme: what holds for either (the late fee is the employer's; a gap
    // does not wipe out the years paid).
    if (ASKS_LATE_FEE.test(message)) answerFrom(ctx, 'lateFee');
    else if (!correctClaim(ctx)) {
      const focus = focusEntries(ctx, { topics: ['arrears', 'waiting', 'residents'] })[0];
      if (focus) plan.answer(focus.summary, `kb:${focus.id}`).cite(focus.id);
      else answerFrom(ctx, 'gapYearsCount');
    }
    return;
  }
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), 'tool:arrears');
    confirmLocally(ctx);
    return;
  }
  const a = outcome.output;
  const source = 'tool:arrears';
  const amountLine = a.amount ? text(ctx, 'amount', { formula: a.amount.formula }) : undefined;
  const waitingLine = a.waiting ? text(ctx, 'waiting', { formula: a.waiting.formula }) : a.benefitsResume.text !== a.ruleText ? a.benefitsResume.text : undefined;
  const lateFeeLine = `滞纳金：${a.lateFee.text}`;
  // The first sentence: what the person asked.
  if (ASKS_AMOUNT.test(message) && amountLine) plan.answer(amountLine, source);
  else if (ASKS_LATE_FEE.test(message)) plan.answer(a.lateFee.text, source);
  else if (ASKS_WHEN.test(message) && waitingLine) plan.answer(waitingLine, source);
  else plan.answer(a.ruleText, source);
  // How the shares were combined ("单位8% 个人2%" → 10%).
  if (a.amount && values.employerRate !== undefined && values.individualRate !== undefined)
    plan.point(text(ctx, 'ratesCombined', { employer: values.employerRate, individual: values.individualRate, total: a.amount.ratePercent }), source);
  plan.point(a.ruleText, source);
  if (waitingLine) plan.point(waitingLine, source);
  if (amountLine) plan.point(amountLine, source);
  // Paying for missed years (修复) can shorten a 居民医保 wait: the same tool, every gap year repaid.
  if (a.waiting && a.waiting.variableMonths > 0 && values.yearsRepaid === undefined) {
    const repaired = ctx.tools.run('arrears', { ...(outcome.input as object), yearsRepaid: a.waiting.gapYears }, plan.toolCalls);
    if (repaired.ok && repaired.output.waiting) plan.detail(text(ctx, 'repair', { years: a.waiting.gapYears, formula: repaired.output.waiting.formula }), source);
  }
  if (a.insuranceType === 'employee' && !ASKS_LATE_FEE.test(message)) plan.detail(lateFeeLine, source);
  cite(ctx, entryId(ctx, 'lateFee'), !ASKS_LATE_FEE.test(message));
  if (!amountLine) plan.detail(a.amountNote, source);
  for (const note of a.notes) if (!note.includes('按百分数理解') || a.amount) plan.detail(note, source);
  for (const b of a.basis) cite(ctx, b.entryId);
  if (a.insuranceType === 'resident') cite(ctx, entryId(ctx, 'residentFixed'));
  else cite(ctx, a.rule.includes('over') ? entryId(ctx, 'gapOver3') : entryId(ctx, 'gapUpTo3'));
  if (amountLine) cite(ctx, entryId(ctx, 'amountFormula'));
  if (a.needs.includes('aroundTransfer') && values.aroundTransfer === undefined && values.gapMonths !== undefined) {
    plan.ask('aroundTransfer', text(ctx, 'askAroundTransfer'));
    plan.suggest('是，换城市前后断缴的', '不是，没换地方');
  }
  correctClaim(ctx, 'detail');
  provincialNote(ctx, 'gaps_waiting');
  if (a.scope === 'national') confirmLocally(ctx, text(ctx, 'confirm'));
  else confirmLocally(ctx, '这是地方规定');
}

/** Journey 4: can the balance be taken out, in the person's situation, by the origin's rule. */
export function renderPayout(ctx: JourneyContext, outcome?: ToolOutcome<PayoutResult>): void {
  const { plan } = ctx;
  preamble(ctx);
  if (ctx.missing || !outcome) {
    if (!correctClaim(ctx)) answerFrom(ctx, 'noCash');
    return;
  }
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), 'tool:payout');
    confirmLocally(ctx);
    return;
  }
  const p = outcome.output;
  plan.answer(p.text, 'tool:payout');
  // Only the origin's practice (a payout rule is about money leaving that place); with no place
  // given, other places' practice is a detail at most.
  const own = p.place ? p.localExamples : [];
  for (const ex of p.place ? [] : p.localExamples.slice(0, 2)) {
    plan.detail(`${ex.place}的做法：${ex.text}`, 'tool:payout');
    for (const b of ex.basis) cite(ctx, b.entryId, true);
  }
  for (const ex of own.slice(0, 1)) {
    plan.point(`${ex.place}的做法：${ex.text}`, 'tool:payout');
    for (const b of ex.basis) cite(ctx, b.entryId);
  }
  for (const ex of own.slice(1)) {
    plan.detail(`${ex.place}的做法：${ex.text}`, 'tool:payout');
    for (const b of ex.basis) cite(ctx, b.entryId, true);
  }
  for (const b of p.basis) cite(ctx, b.entryId);
  if (!p.basis.some((b) => b.entryId)) cite(ctx, entryId(ctx, 'noCash'));
  correctClaim(ctx);
  provincialNote(ctx, 'payout');
  if (p.advice) plan.confirm(p.advice, 'tool:payout');
  else if (p.verdict !== 'no' && p.verdict !== 'yes_inherited') confirmLocally(ctx);
}

/** Journey 5: the monthly credit into a retiree's account — the national rule, a figure only where sourced. */
export function renderRetireeCredit(ctx: JourneyContext, outcome?: ToolOutcome<RetireeCreditResult>): void {
  const { plan } = ctx;
  preamble(ctx);
  if (!outcome) return;
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), 'tool:retiree_credit');
    return;
  }
  const r = outcome.output;
  plan.answer(r.rule, 'tool:retiree_credit');
  for (const b of r.basis) cite(ctx, b.entryId);
  if (r.estimate) plan.point(text(ctx, 'estimate', { formula: r.estimate.formula }), 'tool:retiree_credit');
  if (r.localFigure) plan.point(r.localFigure.text, 'tool:retiree_credit');
  else cite(ctx, entryId(ctx, 'cityUnverified'));
  if (r.draftNote && /2%以内|不再调整|征求意见/.test(ctx.message)) plan.point(r.draftNote, 'tool:retiree_credit');
  else if (r.draftNote) plan.detail(r.draftNote, 'tool:retiree_credit');
  correctClaim(ctx);
  provincialNote(ctx, 'retiree_credit');
  if (r.advice) plan.confirm(r.advice, 'tool:retiree_credit');
}
