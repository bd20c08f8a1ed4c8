import type { ArrearsResult } from '../../tools/arrears.js';
import type { PayoutExample, PayoutResult, PayoutSituation } from '../../tools/payout.js';
import type { RetireeCreditResult } from '../../tools/retiree-credit.js';
import { coverageFor } from '../../knowledge/provincial-coverage.js';
import { entryId, entryIds, type JourneyContext } from '../journeys/context.js';
import type { RenderResult } from '../journeys/renderers.js';
import type { ToolOutcome } from '../journeys/tool-registry.js';
import { confirmLocally, correctClaim, explainError, focusEntries, focusOf, placeName, preamble, provincialNote, statedAssumptions, statesAClaim, residentOnly, text, textIf, unofficialLead } from './common.js';

/** What a question about a gap in payment asks, in the order the answer takes them. */
type ArrearsTopic = 'lateFee' | 'amount' | 'waitingCover' | 'gapCover' | 'yearsCount' | 'repair' | 'whoSets' | 'when' | 'canBackPay';

// The words that say what is asked. A message may ask several things ("能补吗？什么时候能报？").
const TOPIC_CUES: [ArrearsTopic, RegExp][] = [
  ['lateFee', /滞纳金|罚款|罚金|罚息|利息|加收|额外(收|交|缴)|多收/],
  ['amount', /多少钱|补多少|交多少|缴多少|要多少|多少元|多少块|几块钱|金额|费用|算一?下|算算|帮我算|一共|总共|合计|掏多少|花多少/],
  ['waitingCover', /等待期(里|内|中|期间|那段|这段)|(等待|等的)(这|那)(段|几个月)|等待期.{0,6}(看病|住院|生病|花的钱)/],
  ['gapCover', /^(?=.*(看病|报销|能报|住院|医药费|花的钱))(?=.*(断(缴|保)(期间|的时候|那段|的那段|的几个月|的那几个月|的这几个月)|(那|这)(段时间|几个月|\d+个月)|没(交|缴)的(那|这)?(几个月|段时间)))/],
  ['yearsCount', /年限.{0,6}(还算|算不算|作废|清零|白交|没了|有效|接着算|累计|合并)|(以前|之前|原来)(交|缴)的.{0,8}(白交|作废|清零|还算|算不算|算数)/],
  ['repair', /修复|缩短|减少.{0,4}等待|免掉|全免|免除|不用等|免等|多(补|交|缴).{0,3}(一|几|两|\d)?个?年|补.{0,4}(以前|之前|往年|前几年|断的|没交的)的?年/],
  ['whoSets', /(谁|哪里|哪个部门|哪儿)(来|去)?(定|规定|决定|说了算)|由谁/],
  ['when', /什么时候|啥时候|何时|多久|多长时间|几个月|等待期|能用|能报|才能|报销|生效|恢复|享受|第几个月|哪个月|马上/],
  ['canBackPay', /补|续|接着交|接着缴|有用吗|有影响|怎么办|咋办/],
];
/** Questions whose answer turns on the facts given (a late fee is the employer's whatever follows). */
const FACT_TOPICS: readonly ArrearsTopic[] = ['amount', 'when', 'canBackPay', 'repair'];
// The person asks whether they themselves owe it ("我个人要交滞纳金吗", "滞纳金要我自己出吗"), not who does.
const SELF = /我|个人|自己|本人/;
const OWES = /(要|需要|得|用|会|另|是不是)[^,。]{0,6}滞纳金|滞纳金.{0,4}(我|个人|自己|本人)/;
const asksOwnLateFee = (message: string) => SELF.test(message) && OWES.test(message) && !/谁/.test(message);

const sourceOf = (tool: string) => `tool:${tool}`;
/** The message as the reader normalised it (digits for numerals, 断交→断缴, one kind of punctuation). */
const said = (ctx: JourneyContext) => ctx.reading.normalized;
const ARREARS = sourceOf('arrears');

/** Cites each entry a journey role names (when it exists), in the reply or with the details. */
function citeRole(ctx: JourneyContext, role: string, inDetails = false): void {
  for (const id of entryIds(ctx, role)) {
    if (!ctx.entries.has(id)) continue;
    if (inDetails) ctx.plan.citeInDetails(id);
    else ctx.plan.cite(id);
  }
}

/** The role's entry summary as the answer's first sentence, cited. */
function answerWithEntry(ctx: JourneyContext, role: string): boolean {
  const id = entryId(ctx, role);
  if (!id || !ctx.entries.has(id)) return false;
  ctx.plan.answer(ctx.plan.entry(id).summary, `kb:${id}`).cite(id);
  return true;
}

/** The role's entry summary as a point, cited when it is shown. */
function pointWithEntry(ctx: JourneyContext, role: string): void {
  const id = entryId(ctx, role);
  if (id && ctx.entries.has(id)) ctx.plan.pointFrom(id);
}

/** The role's entry summary with the details, cited there. */
function detailWithEntry(ctx: JourneyContext, role: string): void {
  const id = entryId(ctx, role);
  if (id && ctx.entries.has(id)) ctx.plan.detailFrom(id);
}

/** Whether a rule of the province where the person pays now was read here on gaps and waiting periods. */
function provinceVerified(ctx: JourneyContext): boolean {
  const place = ctx.person.facts.to ?? ctx.person.facts.from;
  if (!ctx.coverage || !place) return false;
  return coverageFor(ctx.coverage, place.provinceCode, 'gaps_waiting', place.poolingArea?.code)?.status === 'verified';
}

/** Money as the tool writes it: the right-hand side of its formula ("4 × 5000 × 7.5% = 1500" → "1500"). */
const resultOf = (formula: string) => formula.split('=').at(-1)!.trim();

/**
 * What the message asks, and otherwise what the person asked before the bot's question (kept in
 * the journey's values while a fact is asked for, so "职工医保" after "要补多少钱？" still gets the amount).
 */
function arrearsTopics(ctx: JourneyContext): ArrearsTopic[] {
  const found = TOPIC_CUES.filter(([, cue]) => cue.test(said(ctx))).map(([topic]) => topic);
  const v = ctx.reading.values;
  // Giving a rate, or a base once the rate is known or was asked for, is asking for the amount.
  const givesRate = [v.ratePercent, v.employerRate, v.individualRate].some((x) => x !== undefined);
  const rateKnown = ctx.values.ratePercent !== undefined || ctx.values.employerRate !== undefined;
  const givesBase = v.base !== undefined && (rateKnown || ctx.conversation.asked?.slot === 'base');
  if (!found.includes('amount') && (givesRate || givesBase)) found.unshift('amount');
  if (found.length > 0) return found;
  // A bare fact continues a question whose answer turns on the facts; "那要是…呢" continues any.
  const kept = ctx.values.topic as ArrearsTopic | undefined;
  if (kept && (FACT_TOPICS.includes(kept) || WHAT_IF.test(said(ctx)))) return [kept];
  return [];
}
const WHAT_IF = /^(那|那么|如果|要是|假如|换成)|呢\??$/;

/**
 * Keeps what was asked for the turns that follow: a bare fact or a correction ("职工医保",
 * "说错了，是断了3个月") continues the question under way.
 */
function rememberTopic(ctx: JourneyContext, topic: ArrearsTopic | undefined, complete: boolean): RenderResult {
  if (topic) ctx.values.topic = topic;
  return complete ? { complete: true } : undefined;
}


/** The late fee: the employer's (社会保险法 art. 86); whether an individual pays anything is local. */
function answerLateFee(ctx: JourneyContext, a: ArrearsResult | undefined): void {
  // The late fee only concerns 职工医保 contributions: with the scheme not said, the tool is asked for that.
  const fee = a?.lateFee ?? (() => {
    const probe = ctx.tools.run('arrears', { insuranceType: 'employee' }, ctx.plan.toolCalls);
    return probe.ok ? probe.output.lateFee : undefined;
  })();
  if (asksOwnLateFee(said(ctx)) && fee) {
    ctx.plan.answer(text(ctx, 'lateFeeOwn'), `kb:${entryId(ctx, 'lateFee')}`);
    citeRole(ctx, 'lateFee');
    ctx.plan.point(fee.note, ARREARS);
    detailWithEntry(ctx, 'lateFee');
  } else {
    answerWithEntry(ctx, 'lateFee');
    if (fee) ctx.plan.point(fee.note, ARREARS);
  }
}

/** The amount to back-pay: from the person's base and rate(s), or how it is worked out and what to give. */
function answerAmount(ctx: JourneyContext, a: ArrearsResult | undefined, input: Record<string, unknown> | undefined): boolean {
  const { plan, values } = ctx;
  if (a?.insuranceType === 'resident') {
    plan.answer(a.amountNote, ARREARS);
    citeRole(ctx, 'repair');
    return true;
  }
  if (a?.amount) {
    const { formula, ratePercent } = a.amount;
    // The shares the person gave, when the total used is their sum ("单位8% 个人2%").
    const shares = values.ratePercent === undefined && values.employerRate !== undefined && values.individualRate !== undefined;
    if (shares) {
      plan.answer(text(ctx, 'amountShares', { employer: values.employerRate!, individual: values.individualRate!, total: ratePercent, formula }), ARREARS);
      // Each party's part, from the same tool at each party's rate.
      const part = (rate: number) => {
        const run = ctx.tools.run('arrears', { ...input, rate }, plan.toolCalls);
        return run.ok && run.output.amount ? resultOf(run.output.amount.formula) : undefined;
      };
      const employer = part(values.employerRate!);
      const individual = part(values.individualRate!);
      // Each party's part is background: the person asked for the total.
      if (employer && individual) plan.detail(text(ctx, 'shareSplit', { employer, individual }), ARREARS);
    } else plan.answer(text(ctx, 'amount', { formula }), ARREARS);
    // A rate written as a fraction (0.075) is read as a percent: say so.
    if (typeof input?.rate === 'number' && input.rate < 1) plan.point(`（${a.amount.rateReading}）`, ARREARS);
    citeRole(ctx, 'amountFormula');
    return true;
  }
  // Not computable yet: how it is worked out, then the first fact missing.
  plan.answer(text(ctx, 'amountHow'), `kb:${entryId(ctx, 'amountFormula')}`);
  citeRole(ctx, 'amountFormula');
  if (!a) return false;
  const rate = values.ratePercent ?? (values.employerRate !== undefined && values.individualRate !== undefined ? 1 : undefined);
  if (values.base === undefined && rate === undefined) plan.ask('base', text(ctx, 'askBaseRate'));
  else if (values.base === undefined) plan.ask('base', text(ctx, 'askBase'));
  else if (rate === undefined) plan.ask('ratePercent', text(ctx, 'askRate'));
  else plan.ask('gapMonths', text(ctx, 'askMonths'));
  return false;
}

/**
 * 居民医保 after a gap: the waiting period (computed where the place's counting is known, else
 * the fixed part and how the rest is counted), what repair does, the floor after a long gap.
 */
function answerResident(ctx: JourneyContext, a: ArrearsResult, topics: ArrearsTopic[], input: Record<string, unknown>): boolean {
  const { plan, values } = ctx;
  const topic = topics[0];
  const waitingLine = a.waiting
    ? text(ctx, 'waiting', { place: a.waiting.countedAs.replace(/市$/, ''), formula: a.waiting.formula })
    : a.benefitsResume.text !== a.ruleText
      ? a.benefitsResume.text
      : undefined;
  const floor = a.notes.find((n) => n.includes('不少于') && n.includes('修复'));
  // Repair: what paying for every missed year does (the same tool, every gap year repaid).
  let repairLine: string | undefined;
  if (a.waiting && a.waiting.variableMonths > 0 && values.yearsRepaid === undefined) {
    const repaired = ctx.tools.run('arrears', { ...input, yearsRepaid: a.waiting.gapYears }, plan.toolCalls);
    if (repaired.ok && repaired.output.waiting) repairLine = text(ctx, 'repair', { years: a.waiting.gapYears, formula: repaired.output.waiting.formula });
  }
  const gapKnown = input.gapYears !== undefined;

  if (a.benefitsResume.from === 'birth') plan.answer(a.ruleText, ARREARS);
  else if (a.benefitsResume.from === 'no_waiting') plan.answer(a.benefitsResume.text, ARREARS);
  else if (topic === 'repair') {
    if (floor) plan.answer(floor, ARREARS);
    else if (repairLine) plan.answer(repairLine, ARREARS);
    else answerWithEntry(ctx, 'repair');
    if (floor) citeRole(ctx, 'waitingFloor');
    if (!plan.hasCited(entryId(ctx, 'repair') ?? '')) pointWithEntry(ctx, 'repair');
    if (waitingLine) plan.point(waitingLine, ARREARS);
  } else if (topic === 'whoSets') {
    answerWithEntry(ctx, 'provincesSet');
    if (waitingLine) plan.point(waitingLine, ARREARS);
  } else if (waitingLine) {
    plan.answer(waitingLine, ARREARS);
    if (floor) {
      plan.point(floor, ARREARS);
      citeRole(ctx, 'waitingFloor');
    }
    // How to shorten it, for whoever wants to: with the details.
    if (repairLine) plan.detail(repairLine, ARREARS);
    else if (a.waiting === null && gapKnown) detailWithEntry(ctx, 'repair');
  } else {
    // The gap is not known yet: the fixed period holds for anyone enrolling late; what a gap adds
    // is asked for next (and stated with the details).
    answerWithEntry(ctx, 'waitingFixed');
    detailWithEntry(ctx, 'waitingVariable');
  }
  citeRole(ctx, `rule_${a.rule}`);
  // A total counted the way a place publishes it cites that place's source.
  if (a.waiting) for (const b of a.basis) if (b.scope !== 'national' && b.entryId && ctx.entries.has(b.entryId)) plan.cite(b.entryId);
  // What is left for the details: the rule in full, how it is counted, what repair costs.
  plan.detail(a.ruleText, ARREARS);
  for (const note of a.notes) plan.detail(note, ARREARS);
  if (!gapKnown && a.benefitsResume.from !== 'birth') {
    plan.ask('gapMonths', text(ctx, 'askGapYears'));
    return false;
  }
  return true;
}

/**
 * 职工医保 after a gap: whether it can be back-paid and from when benefits resume, by the rule the
 * tool applied (around a transfer or not, up to 3 months or more); when it is not said whether
 * the gap was around a transfer, both answers and the question.
 */
function answerEmployee(ctx: JourneyContext, a: ArrearsResult, input: Record<string, unknown>): boolean {
  const { plan } = ctx;
  if (a.rule === 'employee-context-unknown' && input.gapMonths !== undefined) {
    // Both readings, each from the tool: around a transfer, and not.
    const moved = ctx.tools.run('arrears', { ...input, aroundTransfer: true }, plan.toolCalls);
    if (moved.ok) {
      plan.answer(text(ctx, 'ifMoved', { rule: moved.output.ruleText }), ARREARS);
      citeRole(ctx, `rule_${moved.output.rule}`);
      plan.point(text(ctx, 'ifNotMoved'), `kb:${entryId(ctx, 'notMoved')}`);
      citeRole(ctx, 'notMoved');
    } else plan.answer(a.ruleText, ARREARS);
    plan.ask('aroundTransfer', text(ctx, 'askAroundTransfer'));
    plan.suggest('是，换城市前后断缴的', '不是，没换地方');
    return false;
  }
  citeRole(ctx, `rule_${a.rule}`);
  if (a.rule === 'employee-transfer-gap-unknown') {
    // How many months decides it: the runner asks.
    plan.answer(a.benefitsResume.text, ARREARS);
    return false;
  }
  plan.answer(a.ruleText, ARREARS);
  if (a.rule === 'employee-context-unknown') {
    plan.ask('aroundTransfer', text(ctx, 'askAroundTransfer'));
    plan.suggest('是，换城市前后断缴的', '不是，没换地方');
    return false;
  }
  return true;
}

/**
 * Journey 3: a gap in payment. The first sentence answers what was asked — how much (from the
 * person's own base and rates, shares added up and said so), when benefits resume, whether it
 * can be back-paid, who pays the late fee — then at most three points the person needs now, and
 * where to confirm (back-pay rules are local). It asks only for a fact that changes this answer.
 */
/** A narrower question the journey answers from one entry ("工资里不是该单位代扣吗"), answered whole. */
function answerFocusEntry(ctx: JourneyContext): boolean {
  const focus = focusOf(ctx);
  if (!focus?.entry) return false;
  const lead = ctx.journey.texts[focus.name] ? text(ctx, focus.name) : '';
  ctx.plan.answer(`${lead}${ctx.plan.entry(focus.entry).summary}`, `kb:${focus.entry}`).cite(focus.entry);
  return true;
}

export function renderArrears(ctx: JourneyContext, outcome?: ToolOutcome<ArrearsResult>): RenderResult {
  const { plan } = ctx;
  preamble(ctx);
  statedAssumptions(ctx);
  if (answerFocusEntry(ctx)) return { complete: true };
  const topics = arrearsTopics(ctx);
  const topic = topics[0];
  const a = outcome?.ok ? outcome.output : undefined;
  const input = outcome?.ok ? (outcome.input as Record<string, unknown>) : undefined;

  // Answers that hold whatever the scheme: asked for, nothing more is needed.
  if (topic === 'lateFee') {
    answerLateFee(ctx, a);
    return rememberTopic(ctx, topic, true);
  }
  if (topic === 'yearsCount') {
    answerWithEntry(ctx, 'yearsCount');
    if (a?.insuranceType === 'resident') for (const note of a.notes.filter((n) => n.includes('连续参保年数'))) plan.point(note, ARREARS);
    return rememberTopic(ctx, topic, true);
  }
  if (topic === 'waitingCover' && a?.insuranceType !== 'employee') {
    answerWithEntry(ctx, 'noBenefitsWhileWaiting');
    return rememberTopic(ctx, topic, true);
  }
  // The months of the gap themselves: covered only when back-paid after a short gap around a
  // transfer (a 职工医保 answer says which applies).
  if (topic === 'gapCover' && a?.insuranceType !== 'employee') {
    plan.answer(text(ctx, 'gapCover'), `kb:${entryId(ctx, 'rule_employee-transfer-short-gap')}`);
    citeRole(ctx, 'rule_employee-transfer-short-gap');
    if (a) confirmLocally(ctx, a.insuranceType === 'resident' ? text(ctx, 'confirmResident') : text(ctx, 'confirm'));
    return rememberTopic(ctx, topic, true);
  }

  if (!outcome || !a || !input) {
    if (outcome && !outcome.ok) {
      plan.answer(explainError(ctx, outcome.error), ARREARS);
      return rememberTopic(ctx, topic, true);
    }
    // The scheme is not known yet (the runner asks for it): what holds for either. The amount's
    // formula; else entries that clearly answer this wording (both rankings agree) — on gaps in
    // general, or the person's own place's rules (a rule and its exception), never a national rule
    // of one scheme; else, for someone paying on their own (灵活就业), that it is a local matter.
    if (topic === 'amount') {
      answerAmount(ctx, undefined, undefined);
      return rememberTopic(ctx, topic, false);
    }
    const clear = focusEntries(ctx, { topics: ['arrears', 'waiting', 'residents'], limit: 4 });
    // A local rule of 居民医保 alone waits for the scheme, as a national one does.
    const local = clear.filter((e) => e.scope.level !== 'national' && !residentOnly(e)).slice(0, 2);
    const general = clear.find((e) => e.topic === 'arrears' && e.scope.level === 'national');
    if (local.length === 0 && ctx.person.facts.fromScheme === 'flexible') answerWithEntry(ctx, 'notMoved');
    for (const e of local) {
      if (!plan.hasAnswer) plan.answer(`${unofficialLead(e)}${e.summary}`, `kb:${e.id}`).cite(e.id);
      else plan.pointFrom(e.id, unofficialLead(e));
    }
    // Else the province's own rule on gaps, where one was read (the place where the person pays
    // now), or a national answer on gaps in general.
    if (local.length === 0 && provinceVerified(ctx)) provincialNote(ctx, 'gaps_waiting');
    else if (local.length === 0 && general && !plan.hasAnswer) plan.answer(general.summary, `kb:${general.id}`).cite(general.id);
    if (!plan.hasAnswer && statesAClaim(ctx.message)) correctClaim(ctx);
    return rememberTopic(ctx, topic, false);
  }

  let complete: boolean;
  if (topic === 'amount') complete = answerAmount(ctx, a, input);
  else if (a.insuranceType === 'resident') complete = answerResident(ctx, a, topics, input);
  else complete = answerEmployee(ctx, a, input);

  // What else was asked in the same message, as a point.
  if (topic === 'amount' && topics.includes('when') && a.insuranceType === 'employee' && a.rule !== 'employee-context-unknown') {
    plan.point(a.ruleText, ARREARS);
    citeRole(ctx, `rule_${a.rule}`);
  }
  if (topics.includes('yearsCount')) pointWithEntry(ctx, 'yearsCount');

  // The details: the late fee, the rule, what the tool noted.
  if (a.insuranceType === 'employee') {
    plan.detail(a.ruleText, ARREARS);
    plan.detail(`滞纳金：${a.lateFee.text}`, ARREARS);
    citeRole(ctx, 'lateFee', true);
    for (const note of a.notes) if (!note.includes('理解')) plan.detail(note, ARREARS);
  }
  correctClaim(ctx, statesAClaim(ctx.message) ? 'point' : 'detail');
  // The province's own rule, unless the answer already follows a place's published counting;
  // then where to confirm (back-pay rules are local), unless the answer already says it.
  if (!a.waiting) provincialNote(ctx, 'gaps_waiting');
  const lead = a.insuranceType === 'resident' ? text(ctx, 'confirmResident') : text(ctx, 'confirm');
  if (!plan.replyLines().some((l) => /12393|为准|确认/.test(l.text))) confirmLocally(ctx, lead);
  return rememberTopic(ctx, topic, complete);
}

/** Words of a question about letting family members use the account (家庭共济). */
const FAMILY = /家庭共济|共济|绑定|给(我|家人|家里|亲人)|(爸|妈|父母|老人|孩子|小孩|儿子|女儿|子女|老婆|老公|媳妇|丈夫|妻子|爱人|配偶|家人|家里人|亲属|亲戚|兄|弟|姐|妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|孙子|孙女|外孙)/;
const USES = /用|刷|花|买药|看病|拿药|交医保|缴医保|交居民医保|共济|绑定/;
const TAKES_OUT = /取|提现|套现|退|领|打到|转到银行|继承|去世|过世|走了/;
// Near relatives beyond spouse, parents and children (国办发〔2024〕38号).
const NEAR_RELATIVES = /兄|哥|弟|姐|妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|孙子|孙女|外孙|祖父|祖母/;
const ASKS_WHERE = /(去|到|在)?(哪|哪里|哪儿|什么地方|哪个部门)(办|申请|领|取|弄)|找谁|怎么办理|去哪/;

/** A place's practice, labelled as reported when no source of it was read in the original. */
function practice(ctx: JourneyContext, ex: PayoutExample): string {
  const reported = ex.basis.every((b) => b.verification === 'report') && !ex.text.startsWith('据');
  return text(ctx, reported ? 'localReported' : 'localPractice', { place: ex.place, text: ex.text });
}

/** Cites the entries the journey file names for a payout situation (its verdict's basis). */
function citeSituation(ctx: JourneyContext, situation: PayoutSituation): void {
  citeRole(ctx, `situation_${situation}`);
}

/**
 * Journey 4: can the balance be taken out — by the person's situation, in the journey file's
 * words; family sharing when that is what is asked; where to apply. A place's own practice only
 * when that place is where the money is (the origin), never for someone moving into it.
 */
export function renderPayout(ctx: JourneyContext, outcome?: ToolOutcome<PayoutResult>): RenderResult {
  const { plan, person } = ctx;
  const message = said(ctx);
  preamble(ctx);
  // Letting family use it: the same for every situation, so nothing more is asked.
  if (FAMILY.test(message) && USES.test(message) && !TAKES_OUT.test(message)) {
    const near = NEAR_RELATIVES.test(message);
    const role = near ? 'nearRelatives' : 'familySharing';
    const id = entryId(ctx, role)!;
    plan.answer(`${text(ctx, `yes_${role}`)}${plan.entry(id).summary}`, `kb:${id}`).cite(id);
    detailWithEntry(ctx, near ? 'familySharing' : 'nearRelatives');
    confirmLocally(ctx, text(ctx, 'confirmSharing'));
    return { complete: true };
  }
  // 居民医保 has no personal account: where the money would be (the origin) is 居民, there is no
  // balance to take out, whatever the situation.
  const originScheme = person.facts.fromScheme ?? person.facts.toScheme;
  if (originScheme === 'resident') {
    plan.answer(text(ctx, 'residentNoAccount'), `kb:${entryId(ctx, 'residentNoAccount')}`);
    citeRole(ctx, 'residentNoAccount');
    return { complete: true };
  }
  if (ctx.missing || !outcome) {
    if (!(statesAClaim(message) && correctClaim(ctx))) answerWithEntry(ctx, 'noCash');
    return undefined;
  }
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), sourceOf('payout'));
    return { complete: true };
  }
  const p = outcome.output;
  const source = sourceOf('payout');
  const origin = person.facts.from;
  const names = { place: origin ? placeName(origin) : '' };
  if (ASKS_WHERE.test(message) && textIf(ctx, `where_${p.situation}`)) plan.answer(text(ctx, `where_${p.situation}`, names), source);
  else plan.answer(textIf(ctx, `verdict_${p.situation}`, names) ?? p.text, source);
  citeSituation(ctx, p.situation);
  // The origin's own practice: a point for the place the money leaves; with no place, other
  // places' practice is a detail at most.
  const [own, ...more] = p.place ? p.localExamples : [];
  if (own) {
    plan.point(practice(ctx, own), source);
    for (const b of own.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.cite(b.entryId);
  }
  for (const ex of [...more, ...(p.place ? [] : p.localExamples.slice(0, 2))]) {
    plan.detail(practice(ctx, ex), source);
    for (const b of ex.basis) if (b.entryId && ctx.entries.has(b.entryId)) plan.citeInDetails(b.entryId);
  }
  plan.detail(p.text, source);
  correctClaim(ctx, statesAClaim(message) ? 'point' : 'detail');
  // Where to ask, unless the answer already says it.
  if ((p.verdict !== 'no' || own) && !plan.replyLines().some((l) => l.text.includes('医保经办机构'))) plan.confirm(p.advice, source);
  // The province's rule on payouts, only for the province the money leaves, and only when the
  // answer turns on local rules (a balance that moves with the relationship does not).
  if (origin && p.verdict !== 'no') provincialNote(ctx, 'payout');
  return { complete: true };
}

/** A question about one place's own figure ("深圳每月划多少钱"). */
const ASKS_FIGURE = /多少|几百|几十|金额|数额|标准/;
/** A question about whether it follows one's own pension, age or years paid. */
const ASKS_OWN = /(我|自己|本人|个人)的?(养老金|退休金|退休工资)|养老金(高|多|低|少)|按.{0,4}(养老金|退休金).{0,6}(比例|算|给)|(岁|年纪|年龄|高龄)|多(交|缴)几年/;

/**
 * Journey 5: the monthly credit into a retiree's account. The national rule in one sentence (a
 * fixed amount from the pooled fund, about 2 % of the area's average pension in the reform year);
 * a city's figure only from a cited local source, else that it is set locally and where to ask;
 * an estimate only from the tool's formula with the person's own average-pension figure.
 */
export function renderRetireeCredit(ctx: JourneyContext, outcome?: ToolOutcome<RetireeCreditResult>): RenderResult {
  const { plan } = ctx;
  const message = said(ctx);
  const source = sourceOf('retiree_credit');
  preamble(ctx);
  if (!outcome) return undefined;
  if (!outcome.ok) {
    plan.answer(explainError(ctx, outcome.error), source);
    return { complete: true };
  }
  const r = outcome.output;
  const [ruleFirst = r.rule, ...ruleRest] = r.rule.match(/[^。]+。/g) ?? [];
  const place = r.place ? placeName(r.place) : undefined;
  // "那广州呢" after "深圳每月划多少" asks the same of another place.
  const followUp = ctx.values.topic === 'cityFigure' && [...message].length <= 12 && !ASKS_OWN.test(message);
  const asksFigure = ASKS_FIGURE.test(message) || followUp;
  if (asksFigure) ctx.values.topic = 'cityFigure';
  else delete ctx.values.topic;
  if (r.localFigure) {
    plan.answer(r.localFigure.text, source);
    plan.point(ruleFirst, source);
  } else if (r.estimate) {
    plan.answer(text(ctx, 'estimate', { formula: r.estimate.formula }), source);
    plan.point(r.estimate.label, source);
  } else if (place && asksFigure) {
    plan.answer(text(ctx, 'noCityFigure', { place }), source);
    plan.point(ruleFirst, source);
    citeRole(ctx, 'cityUnverified');
  } else plan.answer(ruleFirst, source);
  citeRole(ctx, 'nationalRule');
  // Not one's own pension, age or years paid: the rule's second sentence, or the correction asked about.
  if (ASKS_OWN.test(message) || statesAClaim(message)) {
    if (!correctClaim(ctx)) for (const s of ruleRest) plan.point(s, source);
    else for (const s of ruleRest) plan.detail(s, source);
  } else for (const s of ruleRest) plan.detail(s, source);
  if (/2%以内|不再调整|征求意见/.test(message)) plan.point(r.draftNote, source);
  else plan.detail(r.draftNote, source);
  plan.detail(r.wordingNote, source);
  if (!r.localFigure) {
    if (!plan.hasCited(entryId(ctx, 'cityUnverified') ?? '')) citeRole(ctx, 'cityUnverified', true);
    // An estimate already says where the real figure comes from.
    if (!r.estimate) confirmLocally(ctx, text(ctx, 'confirm'));
  }
  provincialNote(ctx, 'retiree_credit');
  return { complete: true };
}
