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

/**
 * Trains the intent classifier on the labelled corpus (knowledge/dialogue/nlu). A message with a
 * second question (`also`) trains its primary label only.
 */
export function trainIntentClassifier(corpus: readonly CorpusExample[], deps: ClassifierDeps, options: TrainOptions = {}): IntentClassifier {
  const data = corpus.map((e) => ({ x: messageFeatures(e.text, deps), y: e.label }));
  const model: IntentModel<Label> = trainIntentModel(labels, data, { epochs: 30, learningRate: 0.3, ...options });
  return {
    examples: data.length,
    classify: (raw) => predictIntent(model, messageFeatures(raw, deps)),
  };
}
