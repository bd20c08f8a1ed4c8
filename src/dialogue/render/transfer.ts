import type { TransferEligibility } from '../../tools/transfer-eligibility.js';
import { entryId, type JourneyContext } from '../journeys/context.js';
import type { ToolOutcome } from '../journeys/tool-registry.js';
import { nameFor } from '../journeys/runner.js';
import { answerFrom, confirmLocally, correctClaim, explainError, focusEntries, placeName, preamble, provincialNote, statedAssumptions } from './common.js';

// A question about the money rather than the relationship ("卡里的钱", "余额", "个人账户").
const ABOUT_BALANCE = /余额|个人账户|个账|卡里|账户里|账户的钱|的钱|钱咋|钱怎么|钱能|钱会|钱还|存的钱|那点钱/;

/** First sentence of a text (up to the first 。). */
const firstSentence = (text: string) => /^[^。]*。?/.exec(text)?.[0] ?? text;

function answerRetiree(ctx: JourneyContext, adviceText?: string): void {
  const { plan } = ctx;
  if (adviceText) plan.answer(firstSentence(adviceText), 'tool:transfer_eligibility');
  else answerFrom(ctx, 'retireeOutside');
  const filing = entryId(ctx, 'retireeFiling');
  if (filing) plan.pointFrom(filing);
  if (adviceText) plan.detail(adviceText, 'tool:transfer_eligibility');
  confirmLocally(ctx, '备案方式和报销待遇以参保地医保经办机构为准');
}

/**
 * Journey 1: can the relationship and the balance move from A to B. The first sentence is the
 * verdict for the person's own move and schemes (or, asked about the money, what happens to the
 * balance); then the conditions and where to apply; the legal basis and the rest in the details.
 */
export function renderTransfer(ctx: JourneyContext, outcome?: ToolOutcome<TransferEligibility>): void {
  const { plan, person } = ctx;
  const facts = person.facts;
  preamble(ctx);
  if (facts.retired === true && (!facts.from || !facts.to || !outcome)) return answerRetiree(ctx);

  if (ctx.missing) {
    // Answer what can be answered before asking: the move's kind once both places are known, or
    // the general rule the question is about.
    if (facts.from && facts.to) {
      const probe = ctx.tools.run('transfer_eligibility', { from: nameFor(facts.from, ctx.regions), to: nameFor(facts.to, ctx.regions) }, plan.toolCalls);
      if (probe.ok) {
        plan.answer(`${placeName(probe.output.from)}→${placeName(probe.output.to)}：${probe.output.movementText}`, 'tool:transfer_eligibility');
        plan.detailFrom(entryId(ctx, 'situations')!);
      }
    } else if (!correctClaim(ctx)) {
      const focus = focusEntries(ctx, { skipTopics: ['calendar', 'timeline', 'materials', 'online', 'hotline'] })[0];
      const id = focus?.id ?? entryId(ctx, 'situations')!;
      plan.answer(plan.entry(id).summary, `kb:${id}`).cite(id);
    }
    statedAssumptions(ctx);
    return;
  }
  if (!outcome) return;
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), 'tool:transfer_eligibility');
    return;
  }
  const e = outcome.output;
  if (facts.retired === true && e.retireeAdvice) return answerRetiree(ctx, e.retireeAdvice.text);

  const route = `${placeName(e.from)}→${placeName(e.to)}`;
  statedAssumptions(ctx);
  if (e.movement === 'same_pooling_area') {
    plan.answer(`${route}：${e.movementText}`, 'tool:transfer_eligibility');
    const same = entryId(ctx, 'sameArea');
    if (same) plan.cite(same);
    for (const b of e.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
    return;
  }

  const aboutBalance = ABOUT_BALANCE.test(ctx.message);
  if (aboutBalance) plan.answer(`${route}：${e.balance.text}`, 'tool:transfer_eligibility');
  else plan.answer(`${route}：${e.situationText ?? e.movementText}`, 'tool:transfer_eligibility');
  for (const b of e.balance.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.cite(b.entryId);

  // What the person needs now: the conditions, the balance (when not the headline), where to apply.
  if (e.preconditions.length) {
    plan.point(`办理前提：${e.preconditions.join('；')}。`, 'tool:transfer_eligibility');
    const pre = entryId(ctx, 'preconditions');
    if (pre) plan.cite(pre);
  }
  for (const o of e.outstanding) plan.point(`还需要：${o}`, 'tool:transfer_eligibility');
  if (!aboutBalance) plan.point(`个人账户余额：${e.balance.text}`, 'tool:transfer_eligibility');
  // A provincial rule of a place in the role it plays in this move (its term stated in the note).
  for (const note of e.provincialNotes) plan.point(`${note.province}：${note.text}`, 'tool:transfer_eligibility');
  plan.point('可以在国家医保服务平台App的“地方专区”线上申请，也可以到转出地或转入地任一医保经办机构窗口办理。');
  for (const role of ['applyOnline', 'applyOffline']) {
    const id = entryId(ctx, role);
    if (id) plan.cite(id);
  }
  // The details: how the move is classed, contribution years, assumptions and the basis.
  plan.detail(`${route}：${e.movementText}`, 'tool:transfer_eligibility');
  if (e.situationText && aboutBalance) plan.detail(e.situationText, 'tool:transfer_eligibility');
  plan.detail(`缴费年限：${e.contributionYears.text}`, 'tool:transfer_eligibility');
  for (const b of e.contributionYears.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
  for (const a of e.assumptions) plan.detail(`（${a}）`, 'tool:transfer_eligibility');
  for (const b of e.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
  correctClaim(ctx, 'detail');
  provincialNote(ctx, 'intra_province_balance');
  if (e.balance.outcome !== 'moves_with_relationship' || e.provincialNotes.length) confirmLocally(ctx);
}
