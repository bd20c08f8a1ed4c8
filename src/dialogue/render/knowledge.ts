import { entryId, entryIds, type JourneyContext } from '../journeys/context.js';
import { answerFrom, confirmLocally, correctClaim, focusEntries, HOTLINE_ENTRY, preamble, statesAClaim } from './common.js';

/** Topics a knowledge journey's own entries are about, for the best extra entry for the wording. */
const TOPICS_OF = (ctx: JourneyContext) => [...new Set(entryIds(ctx, 'points').concat(entryIds(ctx, 'answer')).map((id) => ctx.plan.entry(id).topic))];

/**
 * Journeys answered from the knowledge base (materials, where to apply, hotlines, legal basis,
 * retirees' filing, years before retirement): the journey's main entry answers first; then the
 * entry that answers this very wording (when retrieval is sure of it) and the journey's other
 * entries, three at most; a claim the person repeats is corrected; a local matter says where to
 * confirm.
 */
export function renderKnowledge(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  // The person asks about a claim (12333 for 医保, 15 years nationwide …): its correction answers.
  const claimed = statesAClaim(ctx.message) && correctClaim(ctx);
  const focus = focusEntries(ctx, { topics: TOPICS_OF(ctx) })[0];
  if (!claimed) {
    if (focus && !entryIds(ctx, 'answer').includes(focus.id) && !plan.hasAnswer) plan.answer(focus.summary, `kb:${focus.id}`).cite(focus.id);
    else answerFrom(ctx, 'answer');
  }
  for (const id of entryIds(ctx, 'answer')) if (!plan.hasCited(id)) plan.pointFrom(id);
  for (const id of entryIds(ctx, 'points')) plan.pointFrom(id);
  for (const id of entryIds(ctx, 'claims')) if (!plan.hasCited(id)) plan.detailFrom(id);
  const confirm = ctx.journey.texts.confirm;
  if (confirm) confirmLocally(ctx, confirm);
}

/** Small talk: a short social reply, by the words of the message; never the previous answer again. */
export function renderSmalltalk(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  const reply = ctx.journey.replies.find((r) => r.words.some((w) => ctx.message.toLowerCase().includes(w.toLowerCase())));
  const said = reply?.text ?? ctx.journey.texts.default ?? '好的。';
  plan.answer(said);
  if (/1239\d/.test(said)) plan.cite(HOTLINE_ENTRY);
  plan.suggest(...ctx.journey.chips);
}

/** Outside the scope: a short, polite statement of what the assistant covers. */
export function renderOutOfScope(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  if (!plan.hasAnswer) plan.answer(ctx.journey.texts.sorry ?? '抱歉，这个问题不在我的回答范围内。');
  const scope = entryId(ctx, 'scope');
  if (scope) plan.pointFrom(scope, '我能回答的是：');
}
