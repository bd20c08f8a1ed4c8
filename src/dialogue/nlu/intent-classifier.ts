import type { Lexicon } from '../../retrieval/lexicon.js';
import type { RegionLookup } from '../../tools/region/types.js';
import { scoreIntents, type CompiledIntentRules } from '../understand/intents.js';
import { convertChineseNumerals, expandDigitAmounts } from '../understand/numbers.js';
import { normalizeMessage, type CompiledNormalizeRules } from '../understand/normalize.js';
import { predictIntent, trainIntentModel, type IntentModel, type Prediction, type TrainOptions } from './classifier.js';
import { labels, type CorpusExample, type Label } from './corpus.js';
import { featurize, maskForClassifier } from './features.js';

/** The text the classifier reads: normalised, places as 地, numbers as 0. */
export function classifierText(raw: string, normalize: CompiledNormalizeRules, regions: RegionLookup): string {
  const { plain } = normalizeMessage(raw, normalize);
  const spans = regions.findMentions(plain).map((m) => ({ start: m.start, end: m.end }));
  const masked = maskForClassifier(plain, spans);
  return maskForClassifier(expandDigitAmounts(convertChineseNumerals(masked, normalize.numerals)), []);
}

export interface ClassifierDeps {
  normalize: CompiledNormalizeRules;
  regions: RegionLookup;
  lexicon: Lexicon;
  cues: CompiledIntentRules;
}

/** Everything the classifier reads of a message. */
export function messageFeatures(raw: string, deps: ClassifierDeps) {
  const text = classifierText(raw, deps.normalize, deps.regions);
  const { text: normalized } = normalizeMessage(raw, deps.normalize);
  return featurize(text, { concepts: deps.lexicon.match(text).concepts, cues: scoreIntents(normalized, 0, deps.cues) });
}

export interface IntentClassifier {
  classify(raw: string): Prediction<Label>;
  readonly examples: number;
}

/** The training options of the served model (also part of the stored model's fingerprint). */
export const TRAIN_OPTIONS: TrainOptions = { epochs: 30, learningRate: 0.3 };

/**
 * Trains the intent model on the labelled corpus (knowledge/dialogue/nlu). A message with a
 * second question (`also`) trains its primary label only.
 */
export function trainIntentModelOn(corpus: readonly CorpusExample[], deps: ClassifierDeps, options: TrainOptions = {}): IntentModel<Label> {
  const data = corpus.map((e) => ({ x: messageFeatures(e.text, deps), y: e.label }));
  return trainIntentModel(labels, data, { ...TRAIN_OPTIONS, ...options });
}

/** A classifier over a trained model. */
export function classifierFromModel(model: IntentModel<Label>, deps: ClassifierDeps, examples: number): IntentClassifier {
  return { examples, classify: (raw) => predictIntent(model, messageFeatures(raw, deps)) };
}

/** Trains the intent classifier on the labelled corpus. */
export function trainIntentClassifier(corpus: readonly CorpusExample[], deps: ClassifierDeps, options: TrainOptions = {}): IntentClassifier {
  return classifierFromModel(trainIntentModelOn(corpus, deps, options), deps, corpus.length);
}
