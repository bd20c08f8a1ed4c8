import { coverageFor, type CoverageAnswer, type CoverageTopic } from '../../knowledge/provincial-coverage.js';
import type { Region } from '../../tools/region/types.js';
import type { ComposeContext } from './context.js';

/** Entry stating that a province's own rule was not read here (cited with the not-verified sentence). */
const NOT_VERIFIED_ENTRY = 'provincial-rule-not-verified';

/**
 * The place whose provincial rule answers the topic: where the person is insured now for gaps,
 * waiting periods and retiree credits; the origin for a payout; the province both places share
 * for an intra-province move (none when the move crosses provinces).
 */
function placeFor(ctx: ComposeContext, topic: CoverageTopic): Region | undefined {
  const { from, to } = ctx.state;
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

/** Of the listed entries, those this message is about, most relevant first (retrieval rank). */
function byRelevance(ctx: ComposeContext, ids: readonly string[], region: Region): string[] {
  if (ids.length === 0) return [];
  const ranked = ctx
    .retrieve(ctx.message, { k: 16, region: { provinceCode: region.provinceCode, ...(region.poolingArea ? { cityCode: region.poolingArea.code } : {}) } })
    .map((hit) => hit.entry.id);
  return ranked.filter((id) => ids.includes(id));
}

function stateEntry(ctx: ComposeContext, id: string, found: CoverageAnswer): void {
  if (ctx.answer.hasCited(id)) return;
  const entry = ctx.answer.entry(id);
  const { shortName } = found.province;
  // The snippet names its place (the province, or the city of a city rule); otherwise say whose it is.
  const names = [shortName, ...entry.places.map((p) => p.replace(/(市|省|自治区)$/, ''))];
  let prefix = names.some((n) => entry.summary.includes(n)) ? '' : `${found.province.name}：`;
  if (entry.verification === 'draft' && !entry.summary.includes('征求意见稿')) prefix = `征求意见稿（非正式规定）：${prefix}`;
  else if (entry.verification === 'report' && !entry.summary.startsWith('据')) prefix = `据当地报道或办事指南（非正式文件）：${prefix}`;
  ctx.answer.fact(id, prefix);
}

/**
 * Adds the provincial note for the user's place and this topic, after the national rule: the
 * province's own read text when there is some (a known conflict with the national rule always,
 * then the most relevant rule); otherwise one plain sentence that the province's rule was not
 * verified here and where to ask — that province's bureau, the local office, 12393. A document
 * known only by its number is named without any clause; a report is labelled as one. Never
 * another province's rule, and a city's rule only for that city.
 */
export function addProvincialNote(ctx: ComposeContext, topic: CoverageTopic, limit = 1): void {
  const place = placeFor(ctx, topic);
  if (!place) return;
  const found = coverageFor(ctx.coverage, place.provinceCode, topic, place.poolingArea?.code);
  if (!found || found.status === 'not-applicable') return;

  const insuranceType = ctx.state.toInsuranceType ?? ctx.state.insuranceType;
  for (const conflict of found.conflicts)
    if (!conflict.insuranceType || !insuranceType || conflict.insuranceType === insuranceType) stateEntry(ctx, conflict.id, found);

  // On gaps and waiting periods, 居民医保 specifics (topic residents) answer a 居民医保 question, and only that.
  const fits = (id: string) =>
    topic !== 'gaps_waiting' || !insuranceType || (ctx.answer.entry(id).topic === 'residents') === (insuranceType === 'resident');
  const candidates = found.verified.filter(fits);
  if (candidates.length > 0) {
    const relevant = byRelevance(ctx, candidates, place);
    const chosen = (relevant.length > 0 ? relevant : candidates).filter((id) => !ctx.answer.hasCited(id)).slice(0, limit);
    for (const id of chosen) stateEntry(ctx, id, found);
    return;
  }
  // A stated conflict already is the province's text on this question.
  if (found.conflicts.some((c) => ctx.answer.hasCited(c.id))) return;

  const { name, shortName, bureau } = found.province;
  // When the province's read texts are all about the other insurance type, say which one is missing.
  const which = found.status === 'verified' && topic === 'gaps_waiting' && insuranceType ? (insuranceType === 'resident' ? '居民医保' : '职工医保') : '';
  ctx.answer.cite(NOT_VERIFIED_ENTRY);
  ctx.answer.say(
    `${name}关于${which}“${found.topicLabel}”的规定，本助手没有核实到原文，以上按国家规定回答；${shortName}的具体做法请向${bureau}、当地医保经办机构咨询，或拨打12393医保服务热线。`,
    `kb:${NOT_VERIFIED_ENTRY}`,
  );
  const identified = found.identified.find((id) => !ctx.answer.hasCited(id));
  if (identified) stateEntry(ctx, identified, found);
  const reported = byRelevance(ctx, found.reported, place).find((id) => !ctx.answer.hasCited(id));
  if (reported) stateEntry(ctx, reported, found);
}
