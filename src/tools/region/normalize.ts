/** Words around a place name that do not change which place is meant. */
const LEADING = /^(?:中国|我国)/;
const TRAILING = /(?:这边|那边|这里|那里|一带)$/;
const PUNCTUATION = /[\s\p{P}\p{S}]+/gu;

/**
 * Normalises what a user typed as a place name: full-width forms to half-width (NFKC), spaces
 * and punctuation removed, 中国… and …这边/那边 dropped. "\u3000昆山市！" → "昆山市".
 */
export function normalizePlaceName(input: string): string {
  return input.normalize('NFKC').replace(PUNCTUATION, '').replace(LEADING, '').replace(TRAILING, '');
}
