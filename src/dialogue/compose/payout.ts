import type { PayoutResult } from '../../tools/payout.js';
import { nameFor, type ComposeContext } from './context.js';
import { correctMisbeliefs, focusFacts, preamble, whereToAsk } from './common.js';
import { addProvincialNote } from './provincial-note.js';

/** Journey 4: can the personal-account balance be taken out. */
export function composePayout(ctx: ComposeContext): void {
  const { answer, state, answers } = ctx;
  preamble(ctx);
  const situation = state.payoutSituation ?? (state.retired && state.from && state.to ? 'resettled_retiree' : undefined);
  const place = state.from ?? state.to;
  if (!situation) {
    answer.fact(answers.entries.no_cash);
    focusFacts(ctx, { limit: 1, skipTopics: ['transfer'] });
    addProvincialNote(ctx, 'payout');
    answer.ask('payoutSituation', '能不能一次性取出，要看具体情况。请问是哪种情况？');
    answer.suggest(...answers.chips.payoutSituation);
    return;
  }
  const result = ctx.tools.run<PayoutResult>(answer, 'payout', { situation, ...(place ? { city: nameFor(place, ctx.regions) } : {}) });
  if (!result.ok) {
    answer.say(ctx.tools.explain(result.error), 'tool:payout');
    whereToAsk(ctx);
    return;
  }
  const p = result.output;
  answer.say(p.text, 'tool:payout');
  for (const ex of p.localExamples.slice(0, 2)) answer.say(`· ${ex.place}的做法：${ex.text}`, 'tool:payout');
  if (p.advice) answer.say(p.advice, 'tool:payout');
  for (const basis of p.basis) if (basis.entryId) answer.cite(basis.entryId);
  for (const ex of p.localExamples.slice(0, 2)) for (const basis of ex.basis) if (basis.entryId) answer.cite(basis.entryId);
  if (!p.basis.some((b) => b.entryId)) answer.cite(answers.entries.no_cash);
  correctMisbeliefs(ctx);
  focusFacts(ctx, { limit: 1, topics: ['payout', 'personal_account'], skipTopics: ['transfer', 'scope'] });
  addProvincialNote(ctx, 'payout');
  whereToAsk(ctx);
  answer.suggest(...answers.chips.afterPayout);
}
