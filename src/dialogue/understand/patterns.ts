/** Small helpers to turn word lists from the rule files into precompiled regular expressions. */

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A non-capturing alternation of literal words, longest first so that "说错了" wins over "错了".
 * @example alternation(['到', '转到']) // '(?:转到|到)'
 */
export function alternation(words: readonly string[]): string {
  const unique = [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return `(?:${unique.map(escapeRegExp).join('|')})`;
}

/** A RegExp matching any of `words` (never matches when the list is empty). */
export function wordsRegex(words: readonly string[], flags = ''): RegExp {
  return words.length ? new RegExp(alternation(words), flags) : /(?!)/;
}

/** Tests whether any of a word list occurs; plain substring search, much faster than a big alternation. */
export interface WordMatcher {
  test(text: string): boolean;
  /** The longest word `text` ends with. */
  suffixOf(text: string): string | undefined;
  /** The longest word `text` starts with. */
  prefixOf(text: string): string | undefined;
}

export function wordMatcher(words: readonly string[]): WordMatcher {
  const sorted = [...new Set(words)].sort((a, b) => b.length - a.length);
  return {
    test: (text) => sorted.some((w) => text.includes(w)),
    suffixOf: (text) => sorted.find((w) => text.endsWith(w)),
    prefixOf: (text) => sorted.find((w) => text.startsWith(w)),
  };
}

/**
 * Many word lists matched in one pass: each list gets an id, and `scan` returns the ids of the
 * lists that have a word in the text. One walk over the text instead of a substring search per word.
 */
export class WordListIndex {
  private readonly byFirstChar = new Map<string, Array<{ word: string; lists: number[] }>>();
  private count = 0;

  /** Registers a word list and returns its id. */
  add(words: readonly string[]): number {
    const id = this.count++;
    for (const word of new Set(words)) {
      const first = word[0]!;
      const bucket = this.byFirstChar.get(first) ?? [];
      const entry = bucket.find((e) => e.word === word);
      if (entry) entry.lists.push(id);
      else bucket.push({ word, lists: [id] });
      this.byFirstChar.set(first, bucket);
    }
    return id;
  }

  /** Ids of the lists with at least one word in `text`. */
  scan(text: string): Set<number> {
    const hit = new Set<number>();
    for (let i = 0; i < text.length; i++) {
      const bucket = this.byFirstChar.get(text[i]!);
      if (!bucket) continue;
      for (const { word, lists } of bucket) if (text.startsWith(word, i)) for (const id of lists) hit.add(id);
    }
    return hit;
  }
}
