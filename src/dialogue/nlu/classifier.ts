import { FEATURE_BITS, type Features } from './features.js';

/**
 * A multinomial logistic regression over hashed features, trained at start-up from the labelled
 * corpus (about a second for a few thousand examples). Chosen over nearest neighbours because it
 * weighs every feature across all examples — a word that tells classes apart counts, one that
 * every class shares does not — and gives a probability the dialogue can use as confidence (a
 * low one is reviewed by operators). Deterministic: a seeded shuffle, no randomness otherwise.
 */
export interface IntentModel<L extends string> {
  labels: readonly L[];
  weights: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** mulberry32: a small seeded PRNG for the shuffle. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIM = 1 << FEATURE_BITS;
/** A class whose gradient is below this for an example is not updated (most classes, after a few epochs). */
const MIN_GRADIENT = 1e-3;

function scores<L extends string>(model: IntentModel<L>, x: Features, out: Float64Array): void {
  const k = model.labels.length;
  for (let c = 0; c < k; c++) out[c] = model.bias[c]!;
  for (let j = 0; j < x.ids.length; j++) {
    const base = x.ids[j]! * k;
    const v = x.values[j]!;
    for (let c = 0; c < k; c++) out[c]! += model.weights[base + c]! * v;
  }
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < k; c++) out[c]! /= sum;
}

/** Trains on (features, label) pairs with AdaGrad; classes weighted by their inverse frequency. */
export function trainIntentModel<L extends string>(labels: readonly L[], data: ReadonlyArray<{ x: Features; y: L }>, options: TrainOptions = {}): IntentModel<L> {
  const k = labels.length;
  const model: IntentModel<L> = { labels, weights: new Float32Array(DIM * k), bias: new Float32Array(k) };
  const g2 = new Float32Array(DIM * k);
  const b2 = new Float32Array(k);
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = new Float64Array(k);
  for (const d of data) counts[index.get(d.y)!]! += 1;
  const classWeight = Array.from(counts, (n) => (n > 0 ? data.length / (k * n) : 0));
  const lr = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-6;
  const random = prng(options.seed ?? 7);
  const order = data.map((_, i) => i);
  const p = new Float64Array(k);
  for (let epoch = 0; epoch < (options.epochs ?? 25); epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      const { x, y } = data[i]!;
      const target = index.get(y)!;
      scores(model, x, p);
      const w = classWeight[target]!;
      for (let c = 0; c < k; c++) {
        const grad = (p[c]! - (c === target ? 1 : 0)) * w;
        if (Math.abs(grad) < MIN_GRADIENT) continue;
        b2[c]! += grad * grad;
        model.bias[c]! -= (lr * grad) / Math.sqrt(b2[c]! + 1e-8);
        for (let f = 0; f < x.ids.length; f++) {
          const at = x.ids[f]! * k + c;
          const g = grad * x.values[f]! + l2 * model.weights[at]!;
          g2[at]! += g * g;
          model.weights[at]! -= (lr * g) / Math.sqrt(g2[at]! + 1e-8);
        }
      }
    }
  }
  return model;
}

export interface Prediction<L extends string> {
  label: L;
  confidence: number;
  /** Every label's probability, highest first. */
  ranked: Array<{ label: L; p: number }>;
}

/** The most probable label and the full ranking. */
export function predictIntent<L extends string>(model: IntentModel<L>, x: Features): Prediction<L> {
  const p = new Float64Array(model.labels.length);
  scores(model, x, p);
  const ranked = model.labels.map((label, i) => ({ label, p: p[i]! })).sort((a, b) => b.p - a.p);
  return { label: ranked[0]!.label, confidence: ranked[0]!.p, ranked };
}
