import { coverageFor, type CoverageAnswer, type CoverageTopic } from '../../knowledge/provincial-coverage.js';
import type { KnowledgeEntry, Topic } from '../../knowledge/schema.js';
import type { Region } from '../../tools/region/types.js';
import type { DomainError } from '../../errors.js';
import { entryId, type JourneyContext, type RetrievedEntry } from '../journeys/context.js';
import { toolErrorText } from '../tool-error-text.js';
import { focusIn } from '../journeys/focus-words.js';

/** A question about the money rather than the relationship ("卡里的钱", "余额", "钱啥时候到"). */
export const ABOUT_BALANCE = /余额|个人账户|个账|卡里|账户里|账户的钱|的钱|钱记|钱划|钱转|钱打|新账户|钱呢|钱咋|钱怎么|钱能|钱会|钱还|钱什么|钱啥|钱多久|钱到|到账|存的钱|那点钱/;

export const HOTLINE_ENTRY = 'hotline-12393-medical-insurance';
const NOT_VERIFIED_ENTRY = 'provincial-rule-not-verified';

/** "2026-05-14" → "2026年5月14日". */
export function formatDate(iso: string): string {
  return `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8))}日`;
}

const WEEKDAYS = '日一二三四五六';
/** "2026-05-14" → "2026年5月14日（周四）". */
export function formatDateWithWeekday(iso: string): string {
  return `${formatDate(iso)}（周${WEEKDAYS[new Date(`${iso}T00:00:00Z`).getUTCDay()]}）`;
}

/** Short name of a place as users write it ("青岛", "昆山", "江苏"). */
export const placeName = (r: Region): string => r.shortName || r.name;

/** The user's place for region-aware retrieval: destination first, then origin. */
export function userRegion(ctx: JourneyContext): { provinceCode: string; cityCode?: string } | null {
  const place = ctx.person.facts.to ?? ctx.person.facts.from;
  if (!place) return null;
  return { provinceCode: place.provinceCode, ...(place.poolingArea ? { cityCode: place.poolingArea.code } : {}) };
}

/** Notes that go before any answer: an attempt to get invented figures, personal data sent. */
export function preamble(ctx: JourneyContext): void {
  if (ctx.reading.injection) ctx.plan.pinAnswer('我只依据政策原文和确定的计算工具回答，不会编造数字，也不会改变这些规则。');
  if (ctx.reading.containsPersonalData)
    ctx.plan.detail('为保护您的隐私，请不要在对话中发送身份证号、手机号等个人信息；我不会保存或复述它们，办理时请直接向医保经办机构提供。');
}

/**
 * Where to confirm, for an answer that depends on local rules or is uncertain: the local office;
 * with `hotline` (where the person will need to ask someone: progress, payouts) also the 医保
 * hotline (never 12333), with the hotline's entry cited.
 */
export function confirmLocally(ctx: JourneyContext, lead = '具体以当地医保经办机构的答复为准', options: { hotline?: boolean } = {}): void {
  if (!options.hotline) {
    ctx.plan.confirm(`${lead}。`);
    return;
  }
  const hotline = ctx.plan.entry(HOTLINE_ENTRY);
  const number = /\b1239\d\b/.exec(hotline.summary)?.[0] ?? '';
  ctx.plan.cite(HOTLINE_ENTRY);
  ctx.plan.confirm(`${lead}，也可以拨打医保服务热线${number}咨询。`, `kb:${HOTLINE_ENTRY}`);
}

/** An entry that clearly answers this wording: both BM25 and the vectors rank it near the top. */
export function isStrongHit(hit: RetrievedEntry, rank = 3): boolean {
  return (hit.bm25Rank ?? 99) <= rank && (hit.vectorRank ?? 99) <= rank;
}

/** Places the entry is about are the user's own (or it is national). */
export function appliesToUser(ctx: JourneyContext, entry: KnowledgeEntry): boolean {
  if (entry.scope.level === 'national') return true;
  const places = [ctx.person.facts.from, ctx.person.facts.to, ...ctx.reading.places.map((p) => p.region)].filter((r): r is Region => r !== undefined);
  return places.some((r) => entry.scope.regions.some((c) => c === r.provinceCode || c === r.poolingArea?.code || c === r.code));
}

/**
 * The best entries for the user's own wording and place, when retrieval is sure of them (both
 * rankings agree): never a correction nobody asked about, never another place's rule.
 */
export function focusEntries(ctx: JourneyContext, options: { topics?: Topic[]; skipTopics?: Topic[]; limit?: number } = {}): KnowledgeEntry[] {
  const hits = ctx.retrieve(ctx.message, { k: 6, region: userRegion(ctx), ...(options.topics ? { topics: options.topics } : {}) });
  return hits
    .filter((h) => isStrongHit(h))
    .map((h) => h.entry)
    .filter((e) => e.topic !== 'correction' && e.topic !== 'scope' && !options.skipTopics?.includes(e.topic) && appliesToUser(ctx, e) && !ctx.plan.hasCited(e.id))
    .slice(0, options.limit ?? 1);
}

// The user states or asks about something they read or heard.
const CLAIM_CUE = /是不是|是真的吗|真的吗|网上说|网上看|听说|据说|有人说|别人说|对吗|对不对|是这样吗|靠谱吗|新规定|新规|新政策|还适用吗|还有效吗|说是|听人说|朋友说|看到说|文章说|视频说|抖音|不是说/;

/**
 * A correction of a web-article claim, only when the user states or asks about that claim: the
 * correction entry must share one of its claim's own words (its keywords of three or more
 * characters, or with a digit) with the message. Goes to the answer's points when the question
 * is about the claim, else to the details.
 */
export function correctClaim(ctx: JourneyContext, where: 'point' | 'detail' | 'answer' = 'point'): boolean {
  const hits = ctx.retrieve(ctx.message, { k: 8, topics: ['correction'], region: null });
  for (const hit of hits) {
    const e = hit.entry;
    if (e.topic !== 'correction' || ctx.plan.hasCited(e.id)) continue;
    const claimWords = e.keywords.filter((k) => k.length >= 3 || /\d/.test(k));
    if (!claimWords.some((k) => ctx.message.includes(k))) continue;
    if (!CLAIM_CUE.test(ctx.message) && !claimWords.some((k) => /\d/.test(k) && ctx.message.includes(k))) continue;
    if (where === 'answer') ctx.plan.answer(e.summary, `kb:${e.id}`).cite(e.id);
    else if (where === 'point') ctx.plan.pointFrom(e.id, '需要说明：');
    else ctx.plan.detailFrom(e.id, '需要说明：');
    return true;
  }
  return false;
}

/** Whether the user repeats a claim from the web (so its correction belongs in the answer). */
export const statesAClaim = (message: string) => CLAIM_CUE.test(message);

/**
 * The place whose provincial rule answers the topic, by the role that place plays: where the
 * person is insured now for gaps, waiting periods and retiree credits; the origin for money
 * leaving it (a payout); the shared province for an intra-province move.
 */
function placeFor(ctx: JourneyContext, topic: CoverageTopic): Region | undefined {
  const { from, to } = ctx.person.facts;
  switch (topic) {
    case 'intra_province_balance':
      if (from && to) return from.provinceCode === to.provinceCode ? from : undefined;
      return from ?? to;
    case 'payout':
      return from ?? to;
    default:
      return to ?? from;
  }
}

function provincialLead(ctx: JourneyContext, id: string, found: CoverageAnswer): string {
  const entry = ctx.plan.entry(id);
  const names = [found.province.shortName, ...entry.places.map((p) => p.replace(/(市|省|自治区)$/, ''))];
  const lead = names.some((n) => entry.summary.includes(n)) ? '' : `${found.province.name}：`;
  return `${unofficialLead(entry)}${lead}`;
}

/** An entry about 居民医保 alone (its topic says so): shown only once the scheme is known to be that. */
export const residentOnly = (entry: Pick<KnowledgeEntry, 'topic'>): boolean => entry.topic === 'residents';

/** How a rule not read in an official text is introduced: a draft or a report says so first. */
export function unofficialLead(entry: Pick<KnowledgeEntry, 'verification' | 'summary'>): string {
  if (entry.verification === 'draft' && !entry.summary.includes('征求意见稿')) return '征求意见稿（非正式规定）：';
  if (entry.verification === 'report' && !entry.summary.startsWith('据')) return '据当地报道或办事指南（非正式文件）：';
  return '';
}

/**
 * The provincial rule for the user's place and this topic, by the role the place plays: its read
 * text as a point (a known conflict with the national rule always); otherwise one plain line that
 * the province's own rule was not verified here and where to ask. A document known only by its
 * number and a report go to the details. Never another province's rule; a city rule only for its city.
 */
export function provincialNote(ctx: JourneyContext, topic: CoverageTopic): void {
  if (!ctx.coverage) return;
  const place = placeFor(ctx, topic);
  if (!place) return;
  const found = coverageFor(ctx.coverage, place.provinceCode, topic, place.poolingArea?.code);
  if (!found || found.status === 'not-applicable') return;
  // The province's document is already in the answer (the tool states it with its term): said once.
  const listed = [...found.verified, ...found.conflicts.map((c) => c.id), ...found.identified, ...found.reported];
  if (listed.some((id) => ctx.plan.entry(id).source.some((src) => src.docNumber !== undefined && ctx.plan.says(src.docNumber)))) return;
  const scheme = ctx.person.facts.toScheme ?? ctx.person.facts.fromScheme;
  for (const conflict of found.conflicts)
    if (!conflict.insuranceType || !scheme || conflict.insuranceType === scheme) ctx.plan.pointFrom(conflict.id, provincialLead(ctx, conflict.id, found));
  // A gap rule of one scheme is shown for that scheme; with the scheme not known yet, a 居民医保
  // rule waits for it (the province's other rules may still be shown), and nothing is said to be
  // unverified while the province's rule for the other scheme was read.
  const fits = (id: string) => topic !== 'gaps_waiting' || scheme === 'flexible' || residentOnly(ctx.plan.entry(id)) === (scheme === 'resident');
  const candidates = found.verified.filter(fits).filter((id) => !ctx.plan.hasCited(id));
  if (candidates.length === 0 && !scheme && found.verified.length > 0) return;
  if (candidates.length > 0) {
    const ranked = ctx
      .retrieve(ctx.question, { k: 16, region: { provinceCode: place.provinceCode, ...(place.poolingArea ? { cityCode: place.poolingArea.code } : {}) } })
      .map((h) => h.entry.id)
      .filter((id) => candidates.includes(id));
    const id = ranked[0] ?? candidates[0]!;
    ctx.plan.pointFrom(id, provincialLead(ctx, id, found));
    return;
  }
  if (found.conflicts.some((c) => ctx.plan.hasCited(c.id))) return;
  const { name, shortName, bureau } = found.province;
  // What "not verified" means is the entry's to explain; the line itself rests on the coverage table.
  ctx.plan.citeInDetails(NOT_VERIFIED_ENTRY);
  ctx.plan.confirmInstead(
    `${name}关于“${found.topicLabel}”的规定本助手没有核实到原文，以上按国家规定回答；${shortName}的具体做法请问${bureau}或当地医保经办机构。`,
    `kb:${NOT_VERIFIED_ENTRY}`,
  );
  // A document known only by its number, or a local report: named with the answer (labelled as
  // such), a second one with the details.
  const [known, ...more] = [...found.identified, ...found.reported].filter(fits);
  if (known) ctx.plan.pointFrom(known, provincialLead(ctx, known, found));
  for (const id of more.slice(0, 1)) ctx.plan.detailFrom(id, provincialLead(ctx, id, found));
}

/** The journey file's entry for a role, stated as the answer's first sentence. */
export function answerFrom(ctx: JourneyContext, role: string, prefix = ''): boolean {
  const id = entryId(ctx, role);
  if (!id) return false;
  const entry = ctx.plan.entry(id);
  ctx.plan.answer(`${prefix}${entry.summary}`, `kb:${id}`);
  ctx.plan.cite(id);
  return true;
}

/** What the reply assumed from the person's words ("上个月20号"按2026年10月20日算), for the values this journey uses. */
export function statedAssumptions(ctx: JourneyContext): void {
  const uses = new Set<string>(ctx.journey.slots.map((s) => s.name));
  for (const a of ctx.reading.assumptions) if (a.slot ? uses.has(a.slot) : ctx.journey.date !== undefined) ctx.plan.assume(a.text);
}

/** A tool's refusal in the user's terms (one place: knowledge/dialogue/tool-errors.yaml). */
export function explainError(ctx: JourneyContext, error: DomainError): string {
  return toolErrorText(ctx.errorTexts, error);
}

/** A journey text with its {placeholders} filled. */
export function text(ctx: JourneyContext, key: string, values: Record<string, string | number> = {}): string {
  const template = ctx.journey.texts[key];
  if (!template) throw new Error(`旅程 ${ctx.journey.id} 缺少文字 ${key}`);
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? ''));
}

/** A journey text when the file has one for the key. */
export function textIf(ctx: JourneyContext, key: string, values: Record<string, string | number> = {}): string | undefined {
  return ctx.journey.texts[key] === undefined ? undefined : text(ctx, key, values);
}

/** The narrower question of the journey this message asks, by its words (see `focus` in the journey files). */
export function focusOf(ctx: JourneyContext): JourneyContext['journey']['focus'][number] | undefined {
  return focusIn(ctx.journey, ctx.message);
}
