/** A dictionary hit inside a text. */
export interface DictionaryHit {
  start: number;
  end: number;
  key: string;
}

/**
 * Finds dictionary words inside a text. Words are bucketed by first character, each bucket
 * holding the word lengths that occur, so a scan costs a few Set lookups per character.
 */
export class MentionMatcher {
  private readonly buckets = new Map<string, { lengths: number[]; words: Set<string> }>();

  constructor(words: Iterable<string>) {
    for (const word of words) {
      const first = word[0];
      if (first === undefined) continue;
      let bucket = this.buckets.get(first);
      if (!bucket) this.buckets.set(first, (bucket = { lengths: [], words: new Set() }));
      bucket.words.add(word);
      if (!bucket.lengths.includes(word.length)) bucket.lengths.push(word.length);
    }
    for (const bucket of this.buckets.values()) bucket.lengths.sort((a, b) => b - a);
  }

  /** Every occurrence of every word, overlapping ones included, in text order. */
  allHits(text: string): DictionaryHit[] {
    const hits: DictionaryHit[] = [];
    for (let i = 0; i < text.length; i++) {
      const bucket = this.buckets.get(text[i]!);
      if (!bucket) continue;
      for (const length of bucket.lengths) {
        if (i + length > text.length) continue;
        const key = text.slice(i, i + length);
        if (bucket.words.has(key)) hits.push({ start: i, end: i + length, key });
      }
    }
    return hits;
  }
}
