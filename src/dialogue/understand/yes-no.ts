import type { AnswerRules } from './dialogue-rules.js';
import { alternation } from './patterns.js';

export interface CompiledAnswerRules {
  answer: RegExp;
  yes: ReadonlySet<string>;
  ascii: ReadonlyMap<string, 'yes' | 'no'>;
  neither: RegExp;
  question: RegExp;
  trailing: RegExp;
  maxLength: number;
}

const isAscii = (w: string) => /^[\x20-\x7e]+$/.test(w);

/** Precompiles knowledge/dialogue/answers.yaml (once, at load). */
export function compileAnswerRules(rules: AnswerRules): CompiledAnswerRules {
  const chinese = [...rules.yes, ...rules.no].filter((w) => !isAscii(w));
  const ascii = new Map<string, 'yes' | 'no'>();
  for (const w of rules.yes.filter(isAscii)) ascii.set(w.toLowerCase(), 'yes');
  for (const w of rules.no.filter(isAscii)) ascii.set(w.toLowerCase(), 'no');
  return {
    answer: new RegExp(`^${alternation(chinese)}`),
    yes: new Set(rules.yes),
    ascii,
    neither: new RegExp(`^${alternation(rules.neither)}`),
    question: new RegExp(alternation(rules.questionMarkers)),
    trailing: new RegExp(`(?:${alternation(rules.particles)}|[\\s,.。!~…])+$`),
    maxLength: rules.maxLength,
  };
}

/**
 * A bare yes/no reply to the bot's own question: "是的", "对", "已经", "有", "办了" → yes;
 * "不是", "没有", "还没", "否" → no. Only short messages that are not questions count, so
 * "有滞纳金吗" or a full sentence that happens to start with 是 is not an answer.
 */
export function detectYesNo(text: string, rules: CompiledAnswerRules): 'yes' | 'no' | undefined {
  // "嗯，还没有": a leading filler is dropped when something follows it; "嗯" alone is a yes.
  const lead = text.replace(/^(?:[嗯哦噢额呃啊][\s,.。!~…]*)+(?=\S)/, '');
  const core = lead.replace(rules.trailing, '');
  if (!core || [...core].length > rules.maxLength || rules.question.test(text)) return undefined;
  const whole = rules.ascii.get(core);
  if (whole) return whole;
  if (rules.neither.test(lead)) return undefined;
  const m = rules.answer.exec(lead);
  if (!m) return undefined;
  return rules.yes.has(m[0]) ? 'yes' : 'no';
}
