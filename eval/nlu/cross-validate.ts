import { predictIntent, trainIntentModel } from '../../src/dialogue/nlu/classifier.js';
import { labels, type CorpusExample, type Label } from '../../src/dialogue/nlu/corpus.js';
import type { Features } from '../../src/dialogue/nlu/features.js';

export interface FoldResult {
  accuracy: number;
  /** [actual, predicted, text] for every miss. */
  misses: Array<[Label, Label, string]>;
  confusion: Map<string, number>;
  perLabel: Map<Label, { tp: number; fp: number; fn: number }>;
}

/**
 * Stratified k-fold cross-validation of the intent classifier: each example is predicted by a
 * model that never saw it. Folds are assigned round-robin within each label (deterministic).
 */
export function crossValidate(corpus: readonly CorpusExample[], features: (text: string) => Features, k = 5): FoldResult {
  const prepared = corpus.map((e) => ({ e, x: features(e.text) }));
  const fold = new Map<number, number>();
  const seen = new Map<Label, number>();
  prepared.forEach((p, i) => {
    const n = seen.get(p.e.label) ?? 0;
    seen.set(p.e.label, n + 1);
    fold.set(i, n % k);
  });
  const misses: FoldResult['misses'] = [];
  const confusion = new Map<string, number>();
  const perLabel = new Map<Label, { tp: number; fp: number; fn: number }>(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  let correct = 0;
  for (let f = 0; f < k; f++) {
    const train = prepared.filter((_, i) => fold.get(i) !== f).map((p) => ({ x: p.x, y: p.e.label }));
    const model = trainIntentModel(labels, train, { epochs: 30, learningRate: 0.3 });
    prepared.forEach((p, i) => {
      if (fold.get(i) !== f) return;
      const predicted = predictIntent(model, p.x).label;
      // A message with two questions is right when it names either of them.
      const right = predicted === p.e.label || predicted === p.e.also;
      if (right) {
        correct += 1;
        perLabel.get(p.e.label)!.tp += 1;
      } else {
        misses.push([p.e.label, predicted, p.e.text]);
        perLabel.get(p.e.label)!.fn += 1;
        perLabel.get(predicted)!.fp += 1;
        const key = `${p.e.label} → ${predicted}`;
        confusion.set(key, (confusion.get(key) ?? 0) + 1);
      }
    });
  }
  return { accuracy: correct / prepared.length, misses, confusion, perLabel };
}
