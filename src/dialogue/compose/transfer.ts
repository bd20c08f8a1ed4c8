import type { TransferEligibility } from '../../tools/transfer-eligibility.js';
import { placeName } from '../slots.js';
import { correctMisbeliefs, focusFacts, localNotes, preamble, whereToAsk } from './common.js';
import { nameFor, type ComposeContext } from './context.js';
import { addProvincialNote } from './provincial-note.js';

const regionList = (names: string[]) => names.join('、');

/** "南京市玄武区", "昆山市", "青岛市": a place with its city when it is a district or county. */
const displayName = (r: { name: string; city: string | null; level: string }) =>
  (r.level === 'district' || r.level === 'county') && r.city && r.city !== r.name ? `${r.city}${r.name}` : r.name;

/** Asks which of several places with the same name the user means. */
export function askWhichPlace(ctx: ComposeContext): boolean {
  const place = ctx.ambiguous;
  if (!place?.candidates?.length) return false;
  const options = place.candidates.slice(0, 4).map((c) => `${c.province === c.city || !c.city ? '' : c.province}${c.city && c.city !== c.name ? c.city : ''}${c.name}`);
  ctx.answer.ask(place.role, `“${place.text}”有好几个地方：${regionList(options)}。请问是哪一个？`);
  ctx.answer.suggest(...options);
  return true;
}

/** Retirees keep the relationship where they are insured and file for treatment elsewhere. */
function answerRetiree(ctx: ComposeContext): void {
  const { answer, answers } = ctx;
  answer.fact(answers.entries.retiree_outside);
  answer.fact(answers.entries.retiree_filing);
  localNotes(ctx, ['retiree']);
  whereToAsk(ctx, '备案方式和报销待遇以参保地医保经办机构为准');
  answer.suggest('个人账户的钱能取出来吗？', '退休人员每月划入多少？', '医保热线是多少？');
}

/** Journey 1: can the relationship and the balance move from A to B, and on what conditions. */
export function composeTransfer(ctx: ComposeContext): void {
  const { answer, state, answers } = ctx;
  preamble(ctx);
  if (askWhichPlace(ctx)) return;
  // Retirees are outside the transfer measures whatever the places: point to 异地就医 filing.
  if (state.retired === true && (!state.from || !state.to)) return answerRetiree(ctx);
  if (!state.from || !state.to) {
    // Answer what was asked (preconditions, a claim from the web, the legal basis …) before asking.
    const stated = focusFacts(ctx, { limit: 2 });
    if (stated === 0) answer.fact(answers.entries.transfer_situations);
    if (!state.from && !state.to) answer.ask('from', '如果想知道您自己的情况怎么办，请告诉我从哪里转到哪里，例如“从青岛转到南京”。');
    else if (!state.from) answer.ask('from', `转入地是${placeName(state.to!)}。请问原来在哪个城市参保（转出地）？`);
    else answer.ask('to', `转出地是${placeName(state.from)}。请问要转到哪个城市（转入地）？`);
    whereToAsk(ctx);
    answer.suggest(...answers.chips.afterTransfer);
    return;
  }

  const input = {
    from: nameFor(state.from, ctx.regions),
    to: nameFor(state.to, ctx.regions),
    ...(state.insuranceType ? { insuranceType: state.insuranceType } : {}),
    ...(state.toInsuranceType ? { toInsuranceType: state.toInsuranceType } : {}),
    ...(state.retired !== undefined ? { retired: state.retired } : {}),
    ...(state.enrolledAtDestination !== undefined ? { enrolledAtDestination: state.enrolledAtDestination } : {}),
    ...(state.stoppedAtOrigin !== undefined ? { stoppedAtOrigin: state.stoppedAtOrigin } : {}),
  };
  const result = ctx.tools.run<TransferEligibility>(answer, 'transfer_eligibility', input);
  if (!result.ok) {
    answer.say(ctx.tools.explain(result.error), 'tool:transfer_eligibility');
    return;
  }
  const e = result.output;
  const route = `${displayName(e.from)}（${e.from.province}）→ ${displayName(e.to)}（${e.to.province}）`;

  if (state.retired === true && e.retireeAdvice) {
    answer.say(`${route}：${e.retireeAdvice.text}`, 'tool:transfer_eligibility');
    return answerRetiree(ctx);
  }

  answer.say(`${route}：${e.movementText}`, 'tool:transfer_eligibility');
  if (e.movement === 'same_pooling_area') {
    // A province-wide pool (e.g. Ningxia's 居民医保) says so in the movement text; cite its source.
    for (const basis of e.basis) if (basis.entryId) answer.cite(basis.entryId);
    answer.fact(answers.entries.same_area);
    whereToAsk(ctx);
    answer.suggest(...answers.chips.afterTransfer);
    return;
  }

  const needsInsurance = e.needs.includes('insuranceType') && !state.insuranceType;
  if (needsInsurance) {
    const question = e.questions[e.needs.indexOf('insuranceType')] ?? '请问您参加的是职工医保还是居民医保？';
    answer.ask('insuranceType', `${question}（如果已经退休，也请告诉我，退休人员的办法不同。）`);
    answer.fact(answers.entries.transfer_situations);
    // Say what is already known for either insurance type (the claim asked about, a local balance rule).
    focusFacts(ctx, { limit: 1, skipTopics: ['transfer', 'scope', 'legal_basis'] });
    addProvincialNote(ctx, 'intra_province_balance');
    localNotes(ctx, ['balance', 'payout']);
    answer.suggest(...answers.chips.insuranceType);
    return;
  }

  if (e.situationText) answer.say(e.situationText, 'tool:transfer_eligibility');
  if (e.preconditions.length) {
    answer.say('办理前提：', 'tool:transfer_eligibility');
    for (const p of e.preconditions) answer.say(`· ${p}`, 'tool:transfer_eligibility');
    answer.cite(answers.entries.preconditions);
  }
  if (e.outstanding.length) for (const o of e.outstanding) answer.say(`· 还需要：${o}`, 'tool:transfer_eligibility');
  answer.say(`个人账户余额：${e.balance.text}`, 'tool:transfer_eligibility');
  answer.fact(answers.entries.years_cumulate, '缴费年限：');
  for (const note of e.provincialNotes) answer.say(`${note.province}的规定：${note.text}`, 'tool:transfer_eligibility');
  for (const a of e.assumptions) answer.say(`（${a}）`, 'tool:transfer_eligibility');
  answer.say('怎么办：可以在国家医保服务平台App的“地方专区”线上申请，也可以到转出地或转入地任一医保经办机构窗口办理。');
  answer.cite(answers.entries.apply_online).cite(answers.entries.apply_offline).cite(answers.entries.years_cumulate);
  for (const basis of e.basis) if (basis.entryId && ctx.answer.entry(basis.entryId)) answer.cite(basis.entryId);
  addProvincialNote(ctx, 'intra_province_balance');
  correctMisbeliefs(ctx);
  // A question about something the verdict does not cover (the balance's payout, a local rule …);
  // the verdict already said what happens to the balance, so a national balance rule is not repeated
  // (it would contradict a provincial rule such as Guangdong's).
  focusFacts(ctx, { limit: 1, skipTopics: ['transfer', 'balance', 'legal_basis', 'history', 'scope', 'online', 'materials', 'timeline'] });
  localNotes(ctx, ['transfer', 'balance', 'payout', 'timeline']);
  whereToAsk(ctx);
  answer.suggest(...answers.chips.afterTransfer);
}
