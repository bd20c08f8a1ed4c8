/**
 * The k best of n scored items without sorting all n: a bounded min-heap keyed by score (ties:
 * lower id first, so results are deterministic). A query over 20,000 entries touches thousands
 * of them; sorting every one of them to keep 40 was the largest cost left in a search.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private count = 0;

  constructor(readonly k: number) {
    this.ids = new Int32Array(Math.max(1, k));
    this.scores = new Float64Array(Math.max(1, k));
  }

  /** Offers one item; kept when it beats the worst of the current k. */
  push(id: number, score: number): void {
    if (this.k <= 0) return;
    if (this.count < this.k) {
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(id, score, this.ids[parent]!, this.scores[parent]!)) break;
        this.ids[i] = this.ids[parent]!;
        this.scores[i] = this.scores[parent]!;
        i = parent;
      }
      this.ids[i] = id;
      this.scores[i] = score;
      return;
    }
    if (!this.worse(this.ids[0]!, this.scores[0]!, id, score)) return;
    this.siftDown(id, score);
  }

  /** The kept items, best first. Empties the heap. */
  drain(): { id: number; score: number }[] {
    const out: { id: number; score: number }[] = new Array<{ id: number; score: number }>(this.count);
    while (this.count > 0) {
      const id = this.ids[0]!;
      const score = this.scores[0]!;
      this.count--;
      if (this.count > 0) this.siftDown(this.ids[this.count]!, this.scores[this.count]!);
      out[this.count] = { id, score };
    }
    return out;
  }

  /** True when item a ranks below item b (lower score, or equal score and higher id). */
  private worse(aId: number, aScore: number, bId: number, bScore: number): boolean {
    return aScore < bScore || (aScore === bScore && aId > bId);
  }

  /** Replaces the root with (id, score) and restores the heap order. */
  private siftDown(id: number, score: number): void {
    const n = this.count;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.worse(this.ids[right]!, this.scores[right]!, this.ids[left]!, this.scores[left]!)) child = right;
      if (!this.worse(this.ids[child]!, this.scores[child]!, id, score)) break;
      this.ids[i] = this.ids[child]!;
      this.scores[i] = this.scores[child]!;
      i = child;
    }
    this.ids[i] = id;
    this.scores[i] = score;
  }
}
