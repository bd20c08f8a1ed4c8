import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { RewriteInput } from '../dialogue/chat-engine.js';
import type { ModelPrompts } from './prompts.js';

/**
 * The conversation sent to the model for one turn. One system message holds the prompts and this
 * turn's material (several OpenAI-compatible chat templates, e.g. Qwen's, honour only one system
 * message): the entries it may cite with their ids, then the rules' answer as the draft to reword
 * with its citations and tool results. Then the recent history and the user's message.
 */
export function buildRewriteMessages(input: RewriteInput, prompts: ModelPrompts): BaseMessage[] {
  const system = [prompts.system, prompts.toolUse, material(input)].join('\n\n');
  const messages: BaseMessage[] = [new SystemMessage(system)];
  for (const turn of input.history) {
    messages.push(new HumanMessage(turn.user));
    messages.push(new AIMessage(turn.reply));
  }
  messages.push(new HumanMessage(input.message));
  return messages;
}

/** This turn's situation, entries, draft, draft citations and tool results, each in its own tag. */
export function material(input: RewriteInput): string {
  const entries = input.context.map((c) => `[${c.id}] ${c.title}（${c.source}）\n${c.snippet}`).join('\n\n');
  const citations = input.rules.citations.map((c) => c.id).join(', ');
  const toolResults = input.rules.toolCalls
    .map((call) => `${call.name} 输入 ${JSON.stringify(call.input)}\n输出 ${JSON.stringify(call.output)}`)
    .join('\n');
  return [
    `<situation>${JSON.stringify(input.situation)}</situation>`,
    `<entries>\n${entries || '（无）'}\n</entries>`,
    `<draft>\n${input.rules.reply}\n</draft>`,
    `<draft_citations>${citations}</draft_citations>`,
    `<tool_results>\n${toolResults || '（无）'}\n</tool_results>`,
  ].join('\n\n');
}
