import type { RetireeCreditResult } from '../../tools/retiree-credit.js';
import { correctMisbeliefs, preamble, whereToAsk } from './common.js';
import { nameFor, type ComposeContext } from './context.js';
import { addProvincialNote } from './provincial-note.js';

/** Journey 5: how much goes into a retiree's personal account each month. */
export function composeRetireeCredit(ctx: ComposeContext): void {
  const { answer, state, answers } = ctx;
  preamble(ctx);
  const place = state.to ?? state.from;
  const input = {
    ...(place ? { city: nameFor(place, ctx.regions) } : {}),
    ...(state.averagePension !== undefined ? { averagePension: state.averagePension } : {}),
  };
  const result = ctx.tools.run<RetireeCreditResult>(answer, 'retiree_credit', input);
  if (!result.ok) {
    answer.say(ctx.tools.explain(result.error), 'tool:retiree_credit');
    whereToAsk(ctx);
    return;
  }
  const r = result.output;
  answer.say(r.rule, 'tool:retiree_credit');
  if (r.localFigure) answer.say(r.localFigure.text, 'tool:retiree_credit');
  else answer.fact(answers.entries.retiree_credit_city);
  if (r.estimate) answer.say(`按您给的平均养老金估算国家基准：${r.estimate.formula}（这只是全国基准的估算，不是当地实际划入额）。`, 'tool:retiree_credit');
  for (const basis of r.basis) if (basis.entryId) answer.cite(basis.entryId);
  answer.cite(answers.entries.retiree_credit);
  correctMisbeliefs(ctx);
  addProvincialNote(ctx, 'retiree_credit');
  whereToAsk(ctx, '当地每月实际划入多少，以当地医保部门公布的标准为准');
  answer.suggest('医保能转到外地吗？', '个人账户的钱能取出来吗？', '医保热线是多少？');
}
