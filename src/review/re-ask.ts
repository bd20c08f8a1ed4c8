/**
 * Whether a message asks again what the previous one asked: the sign that the first answer did
 * not help. Compared on character bigrams (Dice coefficient) after dropping punctuation, spaces
 * and polite filler, because Chinese users repeat a question with small changes in wording
 * ("转移要多久" → "转移到底要多久？") rather than word for word.
 */

const FILLER = /[\s\p{P}\p{S}]|请问|你好|到底|究竟|一下|呢|吗|啊|呀|吧/gu;
/** Shorter messages ("是的", "职工") repeat naturally as answers and are not re-asked questions. */
const MIN_LENGTH = 5;
const THRESHOLD = 0.6;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(FILLER, '');
}

function bigrams(text: string): Map<string, number> {
  const chars = [...text];
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const gram = chars[i]! + chars[i + 1]!;
    out.set(gram, (out.get(gram) ?? 0) + 1);
  }
  return out;
}

/** Dice similarity of two texts' character bigrams, 0..1. */
export function bigramSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  let total = 0;
  for (const n of x.values()) total += n;
  for (const n of y.values()) total += n;
  if (total === 0) return a === b ? 1 : 0;
  let shared = 0;
  for (const [gram, n] of x) shared += Math.min(n, y.get(gram) ?? 0);
  return (2 * shared) / total;
}

/**
 * True when `current` repeats `previous` closely enough to be the same question asked again.
 * @example isReAsk('医保转移要多久', '医保转移到底要多久？') // true
 */
export function isReAsk(previous: string, current: string): boolean {
  const a = normalise(previous);
  const b = normalise(current);
  if ([...a].length < MIN_LENGTH || [...b].length < MIN_LENGTH) return false;
  return bigramSimilarity(a, b) >= THRESHOLD;
}
