import { isVerifiedText, type KnowledgeEntry, type Topic } from '../../knowledge/schema.js';
import type { ComposeContext } from './context.js';
import { userRegion } from './context.js';

/** The closing pointer to the local office and the 医保 hotline (never 12333). */
export function whereToAsk(ctx: ComposeContext, lead = '具体以当地医保经办机构的答复为准'): void {
  const hotline = ctx.answer.entry(ctx.answers.entries.hotline);
  const number = hotlineNumber(hotline.summary);
  ctx.answer.cite(hotline.id);
  // A provincial note may already have named the hotline; say it once.
  if (ctx.answer.hasSaid(number)) ctx.answer.say(`${lead}。`);
  else ctx.answer.say(`${lead}，也可以拨打医保服务热线${number}咨询。`, `kb:${hotline.id}`);
}

function hotlineNumber(summary: string): string {
  return /\b1239\d\b/.exec(summary)?.[0] ?? '';
}

/** Opening notes for messages that try to get invented figures or that contain personal data. */
export function preamble(ctx: ComposeContext): void {
  if (ctx.understanding.injection)
    ctx.answer.say('我只依据政策原文和确定的计算工具回答，不会编造数字，也不会改变这些规则。');
  if (ctx.understanding.containsPersonalData)
    ctx.answer.say('为保护您的隐私，请不要在对话中发送身份证号、手机号等个人信息；我不会保存或复述它们，办理时请直接向医保经办机构提供。');
}

/**
 * Adds a correction when the user's message repeats a claim that some web articles get wrong
 * (45 working days, 12333 for 医保, the individual's late fee …): the correction entries are found
 * by retrieval and must share a distinctive keyword with the message.
 */
export function correctMisbeliefs(ctx: ComposeContext, limit = 1): void {
  // No region here: a claim about another place (广东's rule asked by a 江苏 user) still needs its correction.
  const hits = ctx.retrieve(ctx.message, { k: 8, topics: ['correction'], region: null });
  // The correction sharing the most distinctive wording with the message comes first.
  const scored = hits
    .filter((h) => h.entry.topic === 'correction' && !ctx.answer.hasCited(h.entry.id))
    .map((h) => ({ h, shared: h.entry.keywords.filter((k) => k.length >= 2 && ctx.message.includes(k)).length }))
    .filter((x) => x.shared > 0)
    .sort((a, b) => b.shared - a.shared);
  let added = 0;
  for (const { h: hit } of scored) {
    if (added >= limit) break;
    ctx.answer.fact(hit.entry.id, '需要说明：');
    added += 1;
  }
}

/** How a local entry is introduced: a rule whose text was read is the place's rule; anything else is practice to check. */
const localLead = (e: KnowledgeEntry) => (isVerifiedText(e.verification) ? '当地规定：' : '当地做法（仅供参考，以当地为准）：');

/** The user's places (origin and destination) for region-aware choices. */
function userPlaces(ctx: ComposeContext): { provinceCode: string; cityCode?: string }[] {
  return [ctx.state.from, ctx.state.to]
    .filter((r): r is NonNullable<typeof r> => r !== undefined)
    .map((r) => ({ provinceCode: r.provinceCode, ...(r.poolingArea ? { cityCode: r.poolingArea.code } : {}) }));
}

const isOwn = (codes: readonly string[], places: { provinceCode: string; cityCode?: string }[]) =>
  places.some((p) => codes.some((c) => c === p.provinceCode || c === p.cityCode));

/** Local entries for the user's own places (e.g. a city's procedure), stated as local. */
export function localNotes(ctx: ComposeContext, topics?: Topic[], limit = 1): void {
  const places = userPlaces(ctx);
  if (places.length === 0) return;
  // Each of the user's places in turn, so the origin's rule is not ranked away by the destination.
  // A city's own rule is more specific than its province's: city entries first, in rank order.
  const hits = places
    .flatMap((region) => ctx.retrieve(ctx.message, { k: 6, region, ...(topics ? { topics } : {}) }))
    .sort((a, b) => Number(b.entry.scope.level === 'city') - Number(a.entry.scope.level === 'city'));
  let added = 0;
  for (const hit of hits) {
    if (added >= limit) break;
    const e = hit.entry;
    if (e.scope.level === 'national' || ctx.answer.hasCited(e.id)) continue;
    if (!isOwn(e.scope.regions, places)) continue;
    ctx.answer.fact(e.id, localLead(e));
    added += 1;
  }
}

const claimCue = /是不是|是真的吗|真的吗|网上说|听说|据说|有人说|对吗|对不对|是这样吗|靠谱吗|新规定吗|新规吗|新政策吗|还适用吗|还有效吗/;

/**
 * States what the question itself asks about when the composer's own answer may not cover it:
 * the best retrieved entries that are national or for the user's own places (corrections
 * included when the user repeats a claim). Used when the bot must ask for missing facts, so the
 * user still gets an answer to what they asked.
 */
export function focusFacts(ctx: ComposeContext, options: { limit?: number; topics?: Topic[]; skipTopics?: Topic[] } = {}): number {
  const places = userPlaces(ctx);
  const claim = claimCue.test(ctx.message);
  const found = ctx.retrieve(ctx.message, { k: claim ? 8 : 4, region: userRegion(ctx.state), ...(options.topics ? { topics: options.topics } : {}) });
  // When the user asks whether something they heard is true, the best correction answers first
  // (retrieval ranks another place's correction low; the claim itself makes it relevant).
  const corrections = found.filter((h) => h.entry.topic === 'correction');
  const hits = claim ? [...corrections.slice(0, 1), ...found.slice(0, 4).filter((h) => h !== corrections[0])] : found;
  let added = 0;
  for (const hit of hits) {
    if (added >= (options.limit ?? 1)) break;
    const e = hit.entry;
    if (ctx.answer.hasCited(e.id) || options.skipTopics?.includes(e.topic)) continue;
    // A correction answers a claim the user repeats, wherever the claim is about.
    if (e.scope.level !== 'national' && e.topic !== 'correction' && !isOwn(e.scope.regions, places) && !namesPlaceIn(ctx, e.scope.regions)) continue;
    if (e.topic === 'scope') continue;
    ctx.answer.fact(e.id, e.topic === 'correction' ? '需要说明：' : e.scope.level === 'national' ? '' : localLead(e));
    added += 1;
  }
  return added;
}

/** The message itself names a place the entry is about ("郑州…是不是要3个月"). */
function namesPlaceIn(ctx: ComposeContext, codes: readonly string[]): boolean {
  return ctx.understanding.places.some((p) => p.region && codes.some((c) => c === p.region!.provinceCode || c === p.region!.poolingArea?.code || c === p.region!.code));
}
