import type { Journey } from './schema.js';

/**
 * A narrower question's word as written in a journey file: a plain word ("加急") or words that must
 * all appear, in that order, with anything between them ("余额+到账" reads "余额大概哪天能到账").
 */
export function saysWord(message: string, word: string): boolean {
  let from = 0;
  for (const part of word.split('+')) {
    const at = message.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}

/** The narrower question of a journey that the message asks by its words, first listed wins. */
export function focusIn(journey: Journey, message: string): Journey['focus'][number] | undefined {
  return journey.focus.find((f) => f.words.some((w) => saysWord(message, w)));
}
