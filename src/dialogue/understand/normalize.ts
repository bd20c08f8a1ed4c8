import type { NormalizeRules } from './dialogue-rules.js';
import { compileNumeralRules, convertChineseNumerals, expandDigitAmounts, type CompiledNumeralRules } from './numbers.js';
import { escapeRegExp } from './patterns.js';

/** A user message after normalisation. */
export interface NormalizedMessage {
  /**
   * Half-width, punctuation unified, spaces collapsed, ASCII lower-cased, typos rewritten
   * (断交 → 断缴) — but numerals as written, so place names such as 四川 or 六安 stay intact.
   * Place names are looked up in this text.
   */
  plain: string;
  /** `plain` with quantities as digits ("三个月" → "3个月", "一千五" → "1500", "1.5万" → "15000"). */
  text: string;
}

export interface CompiledNormalizeRules {
  replacements: ReadonlyMap<string, string>;
  replacementPattern: RegExp | null;
  numerals: CompiledNumeralRules;
}

/** Precompiles knowledge/dialogue/normalize.yaml (once, at load). */
export function compileNormalizeRules(rules: NormalizeRules): CompiledNormalizeRules {
  const keys = Object.keys(rules.replacements).sort((a, b) => b.length - a.length);
  return {
    replacements: new Map(Object.entries(rules.replacements)),
    replacementPattern: keys.length ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : null,
    numerals: compileNumeralRules({ units: rules.numeralUnits, keepWords: rules.keepWords }),
  };
}

// Chinese punctuation → ASCII. 。 is kept: turning it into "." would glue "5000。3个月" into a decimal.
const PUNCTUATION: Readonly<Record<string, string>> = {
  '，': ',',
  '、': ',',
  '？': '?',
  '！': '!',
  '：': ':',
  '；': ';',
  '（': '(',
  '）': ')',
  '【': '[',
  '】': ']',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
  '～': '~',
  '〜': '~',
  '．': '.',
  '｡': '。',
};

/**
 * Full-width ASCII (digits, letters, punctuation U+FF01–FF5E) and the ideographic space → half-width.
 * Every character maps to exactly one UTF-16 unit, so offsets are preserved.
 * @example toHalfWidth('４月２８日') // '4月28日'
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

const CJK_OR_PUNCT = '\\u3000-\\u303f\\u4e00-\\u9fff,.?!:;()\\[\\]"\'~→%';
const SPACE_NEAR_CJK = new RegExp(`(?<=[${CJK_OR_PUNCT}])\\s+|\\s+(?=[${CJK_OR_PUNCT}])`, 'g');

/** Width, punctuation, arrows, spaces and case; no word-level rewriting. */
export function normalizeCharacters(raw: string): string {
  return toHalfWidth(raw.normalize('NFC'))
    .replace(/[，、？！：；（）【】“”‘’～〜．｡]/g, (c) => PUNCTUATION[c] ?? c)
    .replace(/\s*(?:->|=>|—>|-->|➡️?|⇒|➔)\s*/g, '→')
    .replace(/\s+/g, ' ')
    .replace(SPACE_NEAR_CJK, '')
    .trim()
    .toLowerCase();
}

/**
 * Normalises a user message for the rules: see `NormalizedMessage`.
 * @example normalizeMessage('断交三个月，基数５，０００', rules).text // '断缴3个月,基数5000'
 */
export function normalizeMessage(raw: string, rules: CompiledNormalizeRules): NormalizedMessage {
  let plain = normalizeCharacters(raw);
  if (rules.replacementPattern) {
    rules.replacementPattern.lastIndex = 0;
    plain = plain.replace(rules.replacementPattern, (word) => rules.replacements.get(word) ?? word);
  }
  const text = expandDigitAmounts(convertChineseNumerals(plain, rules.numerals));
  return { plain, text };
}
