import { correctMisbeliefs, focusFacts, localNotes, preamble, whereToAsk } from './common.js';
import type { Topic } from '../../knowledge/schema.js';
import type { ComposeContext } from './context.js';

/**
 * Materials, where to apply, hotlines and legal basis: answered from the knowledge base. The
 * core entries for each intent come from the answers table; the best-matching retrieved entry
 * for the user's wording and place is added when it is not already among them.
 */
export function composeInfo(ctx: ComposeContext): void {
  const { answer, answers, intent } = ctx;
  preamble(ctx);
  const core = answers.intents[intent] ?? [];
  const topic = intent === 'materials' ? 'materials' : intent === 'online' ? 'online' : intent === 'hotline' ? 'hotline' : 'legal_basis';
  correctMisbeliefs(ctx);
  // The core entries of the intent, then those that answer this wording best (代办, 单位代办,
  // 异地就医备案 …) when they are not among them.
  for (const id of core) if (!answer.hasCited(id)) answer.fact(id);
  focusFacts(ctx, { limit: 2, topics: topic === 'legal_basis' ? [topic, 'history'] : [topic], skipTopics: ['scope'] });
  localNotes(ctx, [topic]);
  if (intent !== 'hotline') whereToAsk(ctx);
  answer.suggest(...answers.chips.afterInfo);
}

/** Greetings and thanks: what the assistant can do, with the six journeys as quick replies. */
export function composeGreeting(ctx: ComposeContext): void {
  const { answer, answers } = ctx;
  if (/谢|再见|拜拜/.test(ctx.message)) answer.say('不客气！还有医保转移、补缴或余额方面的问题，随时问我。');
  else
    answer.say('您好，我是医保转移助手。我可以告诉您：医保关系和个人账户余额能不能从原来的城市转到新的城市、怎么办、要多久（可按受理日期算出最晚办结日）；断缴后怎么补缴、什么时候恢复待遇；个人账户的钱能不能取出来；需要带什么材料、去哪里办。每个回答都会注明政策出处。');
  answer.suggest(...answers.chips.journeys);
}

/** Outside the scope: a short, polite statement of what the assistant covers. */
export function composeOutOfScope(ctx: ComposeContext): void {
  const { answer, answers } = ctx;
  preamble(ctx);
  answer.say('抱歉，这个问题不在我的回答范围内。');
  answer.fact(answers.entries.scope, '我能回答的是：');
  answer.suggest(...answers.chips.journeys);
}

/**
 * A question whose best-matching entry lies outside what the intent's composer covers (a filing's
 * validity asked in the middle of a timeline, the years needed before retirement …): state the
 * entries that answer it.
 */
export function composeFromKnowledge(ctx: ComposeContext, topic: Topic): void {
  const { answer, answers } = ctx;
  preamble(ctx);
  correctMisbeliefs(ctx);
  if (focusFacts(ctx, { limit: 2, topics: [topic], skipTopics: ['scope'] }) === 0) focusFacts(ctx, { limit: 2, skipTopics: ['scope'] });
  localNotes(ctx, [topic]);
  whereToAsk(ctx);
  answer.suggest(...answers.chips.afterInfo);
}
