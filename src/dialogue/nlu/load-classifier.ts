import { getLexicon } from '../../retrieval/lexicon.js';
import type { RegionLookup } from '../../tools/region/types.js';
import { loadDialogueRules, type DialogueRules } from '../understand/dialogue-rules.js';
import { compileIntentRules } from '../understand/intents.js';
import { compileNormalizeRules } from '../understand/normalize.js';
import { loadCorpus } from './corpus.js';
import { trainIntentClassifier, type IntentClassifier } from './intent-classifier.js';

const trained = new WeakMap<RegionLookup, IntentClassifier>();

/**
 * The intent classifier trained on the labelled corpus (knowledge/dialogue/nlu), once per process
 * and region table: training is deterministic, so every instance built from the same files
 * classifies alike.
 */
export function loadIntentClassifier(regions: RegionLookup, rules: DialogueRules = loadDialogueRules()): IntentClassifier {
  const known = trained.get(regions);
  if (known) return known;
  const classifier = trainIntentClassifier(loadCorpus(), {
    normalize: compileNormalizeRules(rules.normalize),
    regions,
    lexicon: getLexicon(),
    cues: compileIntentRules(rules.intents),
  });
  trained.set(regions, classifier);
  return classifier;
}
