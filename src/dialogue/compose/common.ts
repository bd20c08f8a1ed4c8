import type { Topic } from '../../knowledge/schema.js';
import type { ComposeContext } from './context.js';
import { userRegion } from './context.js';

/** The closing pointer to the local office and the 医保 hotline (never 12333). */
export function whereToAsk(ctx: ComposeContext, lead = '具体以当地医保经办机构的答复为准'): void {
  const hotline = ctx.answer.entry(ctx.answers.entries.hotline);
  ctx.answer.cite(hotline.id);
  ctx.answer.say(`${lead}，也可以拨打医保服务热线${hotlineNumber(hotline.summary)}咨询。`, `kb:${hotline.id}`);
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
  const hits = ctx.retrieve(ctx.message, { k: 3, topics: ['correction'], region: userRegion(ctx.state) });
  let added = 0;
  for (const hit of hits) {
    if (added >= limit) break;
    if (hit.entry.topic !== 'correction' || ctx.answer.hasCited(hit.entry.id)) continue;
    const keywords = hit.entry.keywords.filter((k) => k.length >= 2);
    if (!keywords.some((k) => ctx.message.includes(k))) continue;
    ctx.answer.fact(hit.entry.id, '需要说明：');
    added += 1;
  }
}

/** Local entries for the user's own place (e.g. a city's procedure), stated as local. */
export function localNotes(ctx: ComposeContext, topics?: Topic[], limit = 1): void {
  const region = userRegion(ctx.state);
  if (!region) return;
  const hits = ctx.retrieve(ctx.message, { k: 5, region, ...(topics ? { topics } : {}) });
  let added = 0;
  for (const hit of hits) {
    if (added >= limit) break;
    const e = hit.entry;
    if (e.scope.level === 'national' || ctx.answer.hasCited(e.id)) continue;
    const mine = e.scope.regions.some((code) => code === region.provinceCode || code === region.cityCode);
    if (!mine) continue;
    ctx.answer.fact(e.id, '当地做法（仅供参考，以当地为准）：');
    added += 1;
  }
}
