import type { CorrectionRules } from './dialogue-rules.js';
import { alternation } from './patterns.js';

export interface CompiledCorrectionRules {
  atStart: RegExp;
  anywhere: RegExp;
}

/** Precompiles knowledge/dialogue/corrections.yaml (once, at load). */
export function compileCorrectionRules(rules: CorrectionRules): CompiledCorrectionRules {
  const filler = rules.leadingFiller.length ? `(?:${alternation(rules.leadingFiller)}|[\\s,.。!~])*` : '';
  return {
    atStart: new RegExp(`^${filler}${alternation(rules.atStart)}`),
    anywhere: rules.anywhere.length ? new RegExp(alternation(rules.anywhere)) : /(?!)/,
  };
}

/**
 * True when the wording marks the message as a correction of something said before ("不对，…",
 * "说错了", "改成…", "应该是…", "我是说…"). Whether it corrects anything depends on the message
 * also stating a value; the caller checks that.
 */
export function hasCorrectionCue(text: string, rules: CompiledCorrectionRules): boolean {
  return rules.atStart.test(text) || rules.anywhere.test(text);
}
