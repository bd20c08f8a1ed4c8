import { entryId, entryIds, type JourneyContext } from '../journeys/context.js';
import { appliesToUser, confirmLocally, correctClaim, focusOf, HOTLINE_ENTRY, isStrongHit, preamble, statesAClaim, text, userRegion } from './common.js';

/** Topics a knowledge journey's own entries are about, for the best extra entry for the wording. */
const TOPICS_OF = (ctx: JourneyContext) => [...new Set(entryIds(ctx, 'points').concat(entryIds(ctx, 'answer')).map((id) => ctx.plan.entry(id).topic))];

/** How many of the journey's own entries may join the answer as points (beyond: the details). */
const MAX_ENTRY_POINTS = 2;

/**
 * Journeys answered from the knowledge base (materials, where to apply, hotlines, legal basis,
 * retirees' filing, years before retirement). The first sentence is the journey's answer in its
 * own words (`texts.answer`, citing the `answer` entries it states) — unless the wording is
 * plainly about one entry of the journey's topics (first in both rankings and using one of its
 * words: "代办", "有效期", "暂行办法是谁发的"), or
 * names a claim the journey corrects (12333), which then answers. The journey's other entries join
 * as points only when retrieval ranks them high and the message uses one of their words (two at
 * most); the rest are details. A local matter says where to confirm.
 */
export function renderKnowledge(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  const main = entryIds(ctx, 'answer');
  const own = [...main, ...entryIds(ctx, 'points')];
  const claims = entryIds(ctx, 'claims');
  // A claim's entry (12333 is 人社's line) answers only a message that names the claim.
  const named = (id: string) => ctx.plan.entry(id).keywords.some((k) => (k.length >= 3 || /\d/.test(k)) && ctx.message.includes(k));
  const mentions = (id: string) => ctx.plan.entry(id).keywords.some((k) => k.length >= 2 && ctx.message.includes(k));
  const hits = ctx.retrieve(ctx.message, { k: 8, region: userRegion(ctx), topics: TOPICS_OF(ctx) }).filter((h) => h.entry.topic !== 'correction' && appliesToUser(ctx, h.entry));
  const claimed = statesAClaim(ctx.message) && correctClaim(ctx);
  if (!claimed) {
    // The wording is plainly about one entry: the best hit, both rankings agree, and the message
    // uses one of its words.
    const top = hits[0];
    const specific = top && isStrongHit(top) && mentions(top.entry.id) && (!claims.includes(top.entry.id) || named(top.entry.id)) ? top : undefined;
    const claim = claims.find((id) => named(id));
    // An entry the journey's own answer already states is answered by that answer.
    const narrower = specific && !(main.includes(specific.entry.id) && ctx.journey.texts.answer) ? specific.entry.id : undefined;
    const focus = focusOf(ctx);
    const first = narrower ?? claim ?? focus?.entry;
    // A narrower question's own lead ("对，要先…") before the entry that answers it.
    const lead = !narrower && !claim && focus?.entry === first && focus && ctx.journey.texts[focus.name] ? text(ctx, focus.name) : '';
    if (first) {
      plan.answer(`${lead}${plan.entry(first).summary}`, `kb:${first}`).cite(first);
      if (focus?.entry === first && focus.withAnswer && ctx.journey.texts.answer) plan.pointCiting(text(ctx, 'answer'), main.map((id) => `kb:${id}`).join(' '), main);
    } else if (ctx.journey.texts.answer) {
      plan.answer(text(ctx, 'answer'), main.map((id) => `kb:${id}`).join(' '));
      for (const id of main) plan.cite(id);
    } else if (main[0]) plan.answer(plan.entry(main[0]).summary, `kb:${main[0]}`).cite(main[0]);
  }
  let added = 0;
  for (const h of hits) {
    const id = h.entry.id;
    if (added >= MAX_ENTRY_POINTS || plan.hasCited(id) || !own.includes(id) || !isStrongHit(h, 2) || !mentions(id)) continue;
    plan.pointFrom(id);
    added += 1;
  }
  for (const id of own) if (!plan.hasCited(id)) plan.detailFrom(id);
  for (const id of claims) if (!plan.hasCited(id)) plan.detailFrom(id);
  // The journey's own "where to confirm" is about its own answer, not another topic's entry.
  const confirm = ctx.journey.texts.confirm;
  const offTopic = plan.citedEntries().reply.length > 0 && plan.citedEntries().reply.every((e) => !own.includes(e.id) && !claims.includes(e.id));
  if (confirm && !offTopic) confirmLocally(ctx, confirm);
}

/** Small talk: a short social reply, by the words of the message; never the previous answer again. */
export function renderSmalltalk(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  const reply = ctx.journey.replies.find((r) => r.words.some((w) => ctx.message.toLowerCase().includes(w.toLowerCase())));
  const said = reply?.text ?? ctx.journey.texts.default ?? '好的。';
  // An attempt to get made-up figures is answered as such (preamble), not with a pleasantry.
  if (plan.hasAnswer) return;
  plan.answer(said);
  if (/1239\d/.test(said)) plan.cite(HOTLINE_ENTRY);
  plan.suggest(...ctx.journey.chips);
}

/** Outside the scope: a short, polite statement of what the assistant covers. */
export function renderOutOfScope(ctx: JourneyContext): void {
  const { plan } = ctx;
  preamble(ctx);
  // A request to look something up or do it for the person: say what can be done instead.
  const focus = focusOf(ctx);
  if (!plan.hasAnswer && focus && ctx.journey.texts[focus.name]) {
    const said = text(ctx, focus.name);
    plan.answer(said, focus.entry ? `kb:${focus.entry}` : undefined);
    if (focus.entry) plan.cite(focus.entry);
    if (/1239\d/.test(said)) plan.cite(HOTLINE_ENTRY);
    return;
  }
  if (!plan.hasAnswer) plan.answer(ctx.journey.texts.sorry ?? '抱歉，这个问题不在我的回答范围内。');
  const scope = entryId(ctx, 'scope');
  if (scope) plan.pointFrom(scope, '我能回答的是：');
}
