import type { ArrearsResult } from '../../tools/arrears.js';
import { correctMisbeliefs, focusFacts, localNotes, preamble, whereToAsk } from './common.js';
import { nameFor, type ComposeContext } from './context.js';
import { addProvincialNote } from './provincial-note.js';

/** Journey 3: a gap in payment — can it be back-paid, how much, when do benefits resume. */
export function composeArrears(ctx: ComposeContext): void {
  const { answer, state, answers } = ctx;
  preamble(ctx);
  // A contribution base and rate only exist in 职工医保, so an amount question is answered as one.
  const insuranceType = state.insuranceType ?? (state.base !== undefined && state.ratePercent !== undefined ? 'employee' : undefined);
  if (!insuranceType) {
    // Answer what was asked (who pays the late fee, a claim from the web …) before asking.
    if (/滞纳金|欠缴|欠费/.test(ctx.message)) answer.fact(answers.entries.late_fee);
    const stated = focusFacts(ctx, { limit: 2 }) + (answer.hasCited(answers.entries.late_fee) ? 1 : 0);
    addProvincialNote(ctx, 'gaps_waiting');
    answer.ask('insuranceType', '断缴后能不能补、什么时候恢复待遇，职工医保和居民医保的规则不一样。请问您参加的是职工医保还是居民医保？');
    if (stated === 0) answer.fact(answers.entries.gap_years_count);
    answer.suggest('职工医保', '居民医保');
    return;
  }
  if (!state.insuranceType) answer.say('（您给出了缴费基数和费率，按职工医保的补缴算法计算。）');
  // Switching between 职工医保 and 居民医保 has its own continuity rule (≥ 2 years, gap ≤ 3 months).
  const switching = state.toInsuranceType !== undefined && state.toInsuranceType !== state.insuranceType;
  const input = {
    insuranceType: switching ? state.toInsuranceType! : insuranceType,
    ...(switching ? { switchingSystems: true } : {}),
    ...(state.continuousYearsBefore !== undefined ? { continuousYearsBefore: state.continuousYearsBefore } : {}),
    ...(state.gapMonths !== undefined ? { gapMonths: state.gapMonths } : {}),
    ...(state.gapMonths !== undefined && insuranceType === 'resident' ? { gapYears: Math.floor(state.gapMonths / 12) } : {}),
    ...(state.aroundTransfer !== undefined ? { aroundTransfer: state.aroundTransfer } : state.from && state.to ? { aroundTransfer: true } : {}),
    ...(state.newborn !== undefined ? { newborn: state.newborn } : {}),
    ...(state.enrolledOutsidePeriod !== undefined ? { enrolledOutsidePeriod: state.enrolledOutsidePeriod } : {}),
    ...(state.yearsRepaid !== undefined ? { yearsRepaid: state.yearsRepaid } : {}),
    // Where the person is insured now: a waiting period is counted the way that place counts gap years.
    ...(state.to ?? state.from ? { place: nameFor((state.to ?? state.from)!, ctx.regions) } : {}),
    ...(state.base !== undefined ? { base: state.base } : {}),
    ...(state.ratePercent !== undefined ? { rate: state.ratePercent } : {}),
  };
  const result = ctx.tools.run<ArrearsResult>(answer, 'arrears', input);
  if (!result.ok) {
    answer.say(ctx.tools.explain(result.error), 'tool:arrears');
    whereToAsk(ctx);
    return;
  }
  const a = result.output;
  answer.say(a.ruleText, 'tool:arrears');
  if (a.benefitsResume.text !== a.ruleText) answer.say(`待遇什么时候恢复：${a.benefitsResume.text}`, 'tool:arrears');
  if (a.waiting) answer.say(`等待期计算：${a.waiting.formula}`, 'tool:arrears');
  else if (a.insuranceType === 'resident' && !a.benefitsResume.waitingMonths) answer.fact(answers.entries.resident_fixed);
  // How far paying for the missed years (修复) can shorten it: the same tool, with every gap year repaid.
  if (a.waiting && a.waiting.variableMonths > 0 && state.yearsRepaid === undefined) {
    const repaired = ctx.tools.run<ArrearsResult>(answer, 'arrears', { ...input, yearsRepaid: a.waiting.gapYears });
    if (repaired.ok && repaired.output.waiting) {
      answer.say(`如果把断保的${a.waiting.gapYears}年都补缴修复：${repaired.output.waiting.formula}`, 'tool:arrears');
      if (repaired.output.waiting.floorApplied) answer.fact(answers.entries.resident_floor);
    }
  }
  if (a.amount) {
    answer.say(`补缴金额（按您提供的基数和费率）：${a.amount.formula}元。${a.amount.rateReading}`, 'tool:arrears');
    answer.fact(answers.entries.amount_formula);
  } else {
    answer.say(a.amountNote, 'tool:arrears');
    answer.cite(answers.entries.amount_formula);
  }
  // The late fee concerns employers' arrears: say it for 职工医保 or when the user asks about it.
  if (a.insuranceType === 'employee' || /滞纳金|欠缴|欠费/.test(ctx.message)) {
    answer.say(`滞纳金：${a.lateFee.text}`, 'tool:arrears');
    answer.cite(answers.entries.late_fee);
  }
  for (const note of a.notes) answer.say(note, 'tool:arrears');
  for (const basis of a.basis) if (basis.entryId) answer.cite(basis.entryId);
  if (a.insuranceType === 'resident') answer.cite(answers.entries.resident_fixed);
  else answer.cite(a.rule.includes('over') ? answers.entries.gap_over_3 : answers.entries.gap_up_to_3);

  // The province's own rule (or that it was not verified here) right after the national rule.
  addProvincialNote(ctx, 'gaps_waiting');
  // Ask for the first fact the tool still needs (the wording lives in the answers table).
  const need = a.needs.find((n) => answers.questions[n]);
  if (need) answer.ask(need === 'gapYears' || need === 'gapMonths' ? 'gapMonths' : need === 'aroundTransfer' ? 'aroundTransfer' : 'gapMonths', answers.questions[need]!);
  if (need === 'aroundTransfer') answer.suggest('是，换城市前后断缴的', '不是，没换地方');
  correctMisbeliefs(ctx);
  focusFacts(ctx, {
    limit: 1,
    topics: a.insuranceType === 'resident' ? ['residents'] : ['arrears', 'waiting'],
    skipTopics: a.insuranceType === 'resident' ? ['transfer', 'scope', 'waiting', 'arrears'] : ['transfer', 'scope', 'residents'],
  });
  localNotes(ctx, ['waiting', 'arrears', 'residents']);
  whereToAsk(ctx, a.scope === 'national' ? '补缴办法、基数和费率由当地规定' : '这是地方规定');
  answer.suggest(...answers.chips.afterArrears);
}
