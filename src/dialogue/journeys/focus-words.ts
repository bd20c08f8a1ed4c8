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

/**
 * The journey whose narrower-question words the message uses: the only one, or, when several
 * journeys list the same words ("要先停保吗" is asked of a move, of the papers and of where to
 * apply), the one the classifier ranks highest among them.
 */
export function focusedJourney(journeys: Iterable<Journey>, message: string, ranked: ReadonlyArray<{ label: string; p: number }>): Journey | undefined {
  const focused = [...journeys].filter((j) => focusIn(j, message) !== undefined);
  if (focused.length <= 1) return focused[0];
  const p = (j: Journey) => Math.max(0, ...ranked.filter((r) => (j.labels as readonly string[]).includes(r.label)).map((r) => r.p));
  return focused.sort((a, b) => p(b) - p(a))[0];
}
