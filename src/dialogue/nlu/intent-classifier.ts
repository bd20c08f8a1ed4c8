import type { RegionLookup } from '../../tools/region/types.js';
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

export interface IntentClassifier {
  classify(raw: string): Prediction<Label>;
  /** Classifies text already prepared with `classifierText`. */
  classifyPrepared(text: string): Prediction<Label>;
  readonly examples: number;
}

/**
 * Trains the intent classifier on the labelled corpus (knowledge/dialogue/nlu). A message with a
 * second question (`also`) trains its primary label only.
 */
export function trainIntentClassifier(
  corpus: readonly CorpusExample[],
  deps: { normalize: CompiledNormalizeRules; regions: RegionLookup },
  options: TrainOptions = {},
): IntentClassifier {
  const data = corpus.map((e) => ({ x: featurize(classifierText(e.text, deps.normalize, deps.regions)), y: e.label }));
  const model: IntentModel<Label> = trainIntentModel(labels, data, options);
  return {
    examples: data.length,
    classify: (raw) => predictIntent(model, featurize(classifierText(raw, deps.normalize, deps.regions))),
    classifyPrepared: (text) => predictIntent(model, featurize(text)),
  };
}
