import type { TransferEligibility } from '../../tools/transfer-eligibility.js';
import { entryId, type JourneyContext } from '../journeys/context.js';
import type { ToolOutcome } from '../journeys/tool-registry.js';
import { nameFor } from '../journeys/runner.js';
import type { Region } from '../../tools/region/types.js';
import { ABOUT_BALANCE, answerFrom, confirmLocally, correctClaim, explainError, focusEntries, placeName, preamble, provincialNote, statedAssumptions, text, textIf, focusOf } from './common.js';


/** First sentence of a text (up to the first 。). */
const firstSentence = (text: string) => /^[^。]*。?/.exec(text)?.[0] ?? text;

function answerRetiree(ctx: JourneyContext, adviceText?: string): void {
  const { plan } = ctx;
  const { from, to } = ctx.person.facts;
  // In the person's own places when known: stays at home, filed for where they live.
  if (from && to) {
    plan.answer(text(ctx, 'retiree', { from: placeName(from), to: placeName(to) }), adviceText ? 'tool:transfer_eligibility' : undefined);
    for (const role of ['retireeOutside', 'retireeFiling']) {
      const id = entryId(ctx, role);
      if (id) plan.cite(id);
    }
  } else {
    if (adviceText) plan.answer(firstSentence(adviceText), 'tool:transfer_eligibility');
    else answerFrom(ctx, 'retireeOutside');
    const filing = entryId(ctx, 'retireeFiling');
    if (filing) plan.pointFrom(filing);
  }
  if (adviceText) plan.detail(adviceText, 'tool:transfer_eligibility');
  confirmLocally(ctx, '备案方式和报销待遇以参保地医保经办机构为准');
}

/**
 * A narrower question inside the move (the years already paid, whether it happens by itself,
 * paying in two places, what must be done first): its answer goes first.
 */
function answerFocus(ctx: JourneyContext, e: TransferEligibility): void {
  const focus = focusOf(ctx);
  if (!focus || ctx.plan.hasAnswer) return;
  const names = placeValues(ctx, e);
  if (focus.name === 'movement' && e.movement) {
    const lead = textIf(ctx, `movement_${e.movement}`, names);
    // The lead names the kind of move; the tool's text then without its own label ("省内跨统筹地区流动：").
    ctx.plan.answer(lead ? `${lead}${e.movementText.replace(/^[^：]{2,12}：/, '')}` : e.movementText, 'tool:transfer_eligibility');
    const own = entryId(ctx, `movement_${e.movement}`);
    const basis = own ?? e.basis.find((b) => b.entryId && ctx.entries.has(b.entryId))?.entryId;
    if (basis) ctx.plan.cite(basis);
  } else if (focus.name === 'before' && e.preconditions.length) {
    ctx.plan.answer(text(ctx, 'beforeFirst', { ...names, list: e.preconditions.join('；') }), 'tool:transfer_eligibility');
    const pre = entryId(ctx, 'preconditions');
    if (pre) ctx.plan.cite(pre);
  } else if (focus.name === 'automatic') {
    // "会自动转过去吗": no, it is applied for — the verdict (without its "能转。") says how.
    const verdict = textIf(ctx, `verdict_${e.situation ?? 'unknown'}`, names) ?? e.situationText ?? e.movementText;
    ctx.plan.answer(`${text(ctx, 'automatic', names)}${verdict.replace(/^能转。/, '')}`, 'tool:transfer_eligibility');
    const situations = entryId(ctx, 'situations');
    if (situations && e.situation) ctx.plan.cite(situations);
  } else if (focus.entry) {
    // The journey's words lead ("不会白交。"), the entry states the rule.
    const lead = textIf(ctx, focus.name, names) ?? '';
    ctx.plan.answer(`${lead}${ctx.plan.entry(focus.entry).summary}`, `kb:${focus.entry}`).cite(focus.entry);
  }
}

// A message that asks something of its own (not a bare answer such as "职工医保").
const ASKS_ITSELF = /[?？]|吗|呢|怎么|咋|能不能|可不可以|要不要|多久|多少|哪/;

/**
 * Whether the question is about the money: said now, or said in the question the person is still
 * answering the bot's questions about ("…卡里的钱怎么办" → "职工医保").
 */
function asksAboutBalance(ctx: JourneyContext): boolean {
  if (ABOUT_BALANCE.test(ctx.message)) ctx.values.topic = 'balance';
  else if (ASKS_ITSELF.test(ctx.message)) delete ctx.values.topic;
  return ctx.values.topic === 'balance';
}

/** Cites the law behind "缴费年限累计计算" (the tool's basis for the contribution years). */
function citeYears(ctx: JourneyContext, e: TransferEligibility): void {
  for (const b of e.contributionYears.basis) if (b.entryId && ctx.entries.has(b.entryId)) ctx.plan.cite(b.entryId);
}

/** The names a journey text fills in: the two places, the kind of move, the schemes in the user's words. */
function placeValues(ctx: JourneyContext, e: { from: Region; to: Region; movement: string | null }): Record<string, string> {
  const scheme = (s?: string) => (s === 'employee' ? '职工医保' : s === 'resident' ? '居民医保' : '医保');
  const move = e.movement === 'cross_province' ? '跨省' : e.movement === 'intra_province' ? '在省内' : '';
  return { from: placeName(e.from), to: placeName(e.to), move, fromScheme: scheme(ctx.person.facts.fromScheme), toScheme: scheme(ctx.person.facts.toScheme ?? ctx.person.facts.fromScheme) };
}

/**
 * Journey 1: can the relationship and the balance move from A to B. The first sentence is the
 * verdict for the person's own move and schemes (or, asked about the money, what happens to the
 * balance), in the journey file's words; then what to do first, the balance and where to apply;
 * how the move is classed, contribution years and the basis in the details.
 */
export function renderTransfer(ctx: JourneyContext, outcome?: ToolOutcome<TransferEligibility>): void {
  const { plan, person } = ctx;
  const facts = person.facts;
  preamble(ctx);
  if (facts.retired === true && (!facts.from || !facts.to || !outcome)) return answerRetiree(ctx);

  if (ctx.missing) {
    // Answer what can be answered before asking: whether the move needs a transfer once both
    // places are known, or the general rule the question is about.
    if (facts.from && facts.to) {
      // The two places as the region tool resolves them (province and pooling area), then the move.
      for (const place of [facts.from, facts.to]) ctx.tools.run('resolve_region', { name: nameFor(place, ctx.regions) }, plan.toolCalls);
      const probe = ctx.tools.run('transfer_eligibility', { from: nameFor(facts.from, ctx.regions), to: nameFor(facts.to, ctx.regions) }, plan.toolCalls);
      if (probe.ok) answerFocus(ctx, probe.output);
      if (probe.ok && !plan.hasAnswer) {
        const key = probe.output.movement === 'same_pooling_area' ? 'sameArea' : 'canMove';
        const same = entryId(ctx, 'sameArea');
        if (key === 'sameArea' && same) plan.cite(same);
        // Asked about the money before the scheme is known: it depends on the scheme (居民医保 has none).
        if (key === 'canMove' && asksAboutBalance(ctx)) plan.answer(text(ctx, 'balanceDepends', placeValues(ctx, probe.output)), 'tool:transfer_eligibility');
        else plan.answer(text(ctx, key, placeValues(ctx, probe.output)), 'tool:transfer_eligibility');
        // "能转" rests on the three situations of the 2021 measures, "缴费年限累计计算" on the law's article.
        if (key === 'canMove') {
          citeYears(ctx, probe.output);
          const situations = entryId(ctx, 'situations');
          if (situations) plan.cite(situations);
        }
        plan.detail(probe.output.movementText, 'tool:transfer_eligibility');
        plan.citeInDetails(entryId(ctx, 'situations')!);
      }
    } else if (!correctClaim(ctx)) {
      const focus = focusEntries(ctx, { topics: ['transfer', 'balance', 'legal_basis', 'correction'] })[0];
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

  const names = placeValues(ctx, e);
  statedAssumptions(ctx);
  // Places named in this message: resolved as the region tool resolves them.
  for (const place of [ctx.reading.facts.from, ctx.reading.facts.to]) if (place) ctx.tools.run('resolve_region', { name: nameFor(place, ctx.regions) }, plan.toolCalls);
  answerFocus(ctx, e);
  if (e.movement === 'same_pooling_area') {
    if (plan.hasAnswer) plan.point(text(ctx, 'sameArea', names), 'tool:transfer_eligibility');
    else plan.answer(text(ctx, 'sameArea', names), 'tool:transfer_eligibility');
    // A province's own rule that makes the two places one area ("自治区级统筹") is why: said with it.
    for (const b of e.basis) if (b.scope !== 'national' && b.entryId && ctx.entries.has(b.entryId)) plan.pointFrom(b.entryId);
    plan.point(e.balance.text, 'tool:transfer_eligibility');
    const same = entryId(ctx, 'sameArea');
    if (same) plan.cite(same);
    for (const b of e.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
    return;
  }

  const aboutBalance = asksAboutBalance(ctx);
  const balanceText = textIf(ctx, `balance_${e.balance.outcome}`, names) ?? e.balance.text;
  const verdict = textIf(ctx, `verdict_${e.situation ?? 'unknown'}`, names) ?? e.situationText ?? e.movementText;
  const focused = plan.hasAnswer;
  // The verdict rests on the three situations of the 2021 measures.
  const situations = entryId(ctx, 'situations');
  if (focused) {
    // A narrower question: its answer and, about the money, the balance; the verdict and the rest
    // are in the details.
    // The verdict here is context, stated from the tool: its rule is cited with the details. Asked
    // whether it moves by itself, the money is what the person needs next.
    plan.point(aboutBalance || focusOf(ctx)?.name === 'automatic' ? balanceText : verdict, 'tool:transfer_eligibility');
    if (situations && e.situation) plan.citeInDetails(situations);
    for (const b of e.balance.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
    plan.detail(balanceText, 'tool:transfer_eligibility');
    plan.detail(text(ctx, 'apply', names));
    if (e.situationText) plan.detail(e.situationText, 'tool:transfer_eligibility');
    plan.detail(e.movementText, 'tool:transfer_eligibility');
    for (const b of e.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
    return;
  }
  if (aboutBalance) plan.answer(`${textIf(ctx, `balanceLead_${e.balance.outcome}`, names) ?? ''}${balanceText}`, 'tool:transfer_eligibility');
  else plan.answer(verdict, 'tool:transfer_eligibility');
  // The verdict rests on the three situations of the 2021 measures; the money on its own rule.
  if (situations && e.situation) {
    if (aboutBalance) plan.citeInDetails(situations);
    else plan.cite(situations);
  }
  for (const b of e.balance.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.cite(b.entryId);
  if (!aboutBalance && /年限/.test(verdict)) citeYears(ctx, e);

  // What the person needs now: what is still to be done before applying (not what they said is
  // done); asked whether the money can move, these steps are what moves it. Said once per move: a
  // follow-up about the same move has them in its details.
  const move = `${names.from}→${names.to}`;
  const said = ctx.conversation.stepsSaid ?? [];
  const stepsSaid = said.includes(move);
  if (!stepsSaid) ctx.conversation.stepsSaid = [...said, move].slice(-4);
  if (e.remaining.length && !stepsSaid) plan.pointCiting(text(ctx, 'before', { ...names, list: e.remaining.join('；') }), 'tool:transfer_eligibility', [entryId(ctx, 'preconditions')]);
  else if (e.preconditions.length) {
    plan.detail(text(ctx, 'before', { ...names, list: e.preconditions.join('；') }), 'tool:transfer_eligibility');
    plan.citeInDetails(entryId(ctx, 'preconditions')!);
  }
  if (!aboutBalance) plan.point(balanceText, 'tool:transfer_eligibility');
  // A provincial rule of a place in the role it plays in this move (its term stated in the note).
  // A note whose document the answer already states is not said twice.
  const docsIn = (t: string) => t.match(/[\p{Script=Han}]+〔\d{4}〕\d+号/gu) ?? [];
  for (const note of e.provincialNotes) {
    const docs = docsIn(note.text);
    if (docs.length > 0 && docs.every((d) => plan.says(d))) continue;
    plan.point(`${note.province}：${note.text}`, 'tool:transfer_eligibility');
  }
  // Where to apply: the next step after "can it move", for the relationship and the money alike.
  const apply = [entryId(ctx, 'applyOnline'), entryId(ctx, 'applyOffline')];
  if (stepsSaid) {
    plan.detail(text(ctx, 'apply', names));
    for (const id of apply) if (id) plan.citeInDetails(id);
  } else plan.pointCiting(text(ctx, 'apply', names), undefined, apply);
  // The details: the rule's own wording, how the move is classed, contribution years, the basis.
  if (e.situationText) plan.detail(e.situationText, 'tool:transfer_eligibility');
  plan.detail(e.movementText, 'tool:transfer_eligibility');
  plan.detail(`缴费年限：${e.contributionYears.text}`, 'tool:transfer_eligibility');
  for (const b of e.contributionYears.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
  for (const a of e.assumptions) plan.detail(`（${a}）`, 'tool:transfer_eligibility');
  for (const b of e.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
  correctClaim(ctx, 'detail');
  // The province's own rule on the balance matters when the question is about the money.
  if (aboutBalance) provincialNote(ctx, 'intra_province_balance');
  if (e.balance.outcome !== 'moves_with_relationship' || e.provincialNotes.length) confirmLocally(ctx);
}
