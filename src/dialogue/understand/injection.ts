import type { InjectionRules } from './dialogue-rules.js';
import { wordsRegex } from './patterns.js';

export interface CompiledInjectionRules {
  words: RegExp;
  patterns: RegExp[];
}

/** Precompiles knowledge/dialogue/injection.yaml (once, at load). */
export function compileInjectionRules(rules: InjectionRules): CompiledInjectionRules {
  return { words: wordsRegex(rules.words.map((w) => w.toLowerCase())), patterns: rules.patterns.map((p) => new RegExp(p)) };
}

/**
 * True when the (normalised, lower-cased) message asks the assistant to invent figures, drop its
 * sources or take another role. The reply still follows the rules; the dialogue uses the flag to
 * say so.
 */
export function detectInjection(text: string, rules: CompiledInjectionRules): boolean {
  return rules.words.test(text) || rules.patterns.some((p) => p.test(text));
}
