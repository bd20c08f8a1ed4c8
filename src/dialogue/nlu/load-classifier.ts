import { getLexicon } from '../../retrieval/lexicon.js';
import type { RegionLookup } from '../../tools/region/types.js';
import { loadDialogueRules, type DialogueRules } from '../understand/dialogue-rules.js';
import { compileIntentRules } from '../understand/intents.js';
import { compileNormalizeRules } from '../understand/normalize.js';
import { loadCorpus } from './corpus.js';
import { classifierFromModel, messageFeatures, trainIntentModelOn, TRAIN_OPTIONS, type ClassifierDeps, type IntentClassifier } from './intent-classifier.js';
import { modelFingerprint, readModel, writeModel } from './model-store.js';

const loaded = new WeakMap<RegionLookup, ClassifierLoad>();

/** The stored model's folder inside the built index's folder (INDEX_DIR). */
export const INTENT_MODEL_DIR = 'intent-model';

function depsFor(regions: RegionLookup, rules: DialogueRules): ClassifierDeps {
  return { normalize: compileNormalizeRules(rules.normalize), regions, lexicon: getLexicon(), cues: compileIntentRules(rules.intents) };
}

export interface ClassifierLoad {
  classifier: IntentClassifier;
  /** Where the model came from: the stored one, or trained now (and why). */
  source: 'stored' | 'trained';
  reason?: string;
  ms: number;
}

/**
 * The intent classifier: the model `kb:build` stored in `dir` when it was trained from the same
 * corpus and rules and still reads messages alike, else trained on the labelled corpus
 * (knowledge/dialogue/nlu) now. Once per process and region table; training is deterministic, so
 * every instance built from the same files classifies alike.
 */
export function loadIntentClassifierFrom(regions: RegionLookup, dir?: string, rules: DialogueRules = loadDialogueRules()): ClassifierLoad {
  const known = loaded.get(regions);
  if (known) return { ...known, ms: 0 };
  const started = performance.now();
  const deps = depsFor(regions, rules);
  const features = (text: string) => messageFeatures(text, deps);
  let reason: string | undefined;
  if (dir) {
    const read = readModel(dir, modelFingerprint(TRAIN_OPTIONS), features);
    if ('model' in read) return remember(regions, { classifier: classifierFromModel(read.model, deps, read.examples), source: 'stored', ms: performance.now() - started });
    reason = read.reason;
  }
  const corpus = loadCorpus();
  const classifier = classifierFromModel(trainIntentModelOn(corpus, deps), deps, corpus.length);
  return remember(regions, { classifier, source: 'trained', ...(reason ? { reason } : {}), ms: performance.now() - started });
}

function remember(regions: RegionLookup, load: ClassifierLoad): ClassifierLoad {
  loaded.set(regions, load);
  return load;
}

/** The intent classifier, trained on the corpus (see loadIntentClassifierFrom). */
export function loadIntentClassifier(regions: RegionLookup, rules: DialogueRules = loadDialogueRules()): IntentClassifier {
  return loadIntentClassifierFrom(regions, undefined, rules).classifier;
}

/** Trains the intent model and writes it to `dir` for start-up to read (`npm run kb:build`). */
export function buildIntentModel(regions: RegionLookup, dir: string, rules: DialogueRules = loadDialogueRules()): { examples: number } {
  const deps = depsFor(regions, rules);
  const corpus = loadCorpus();
  const model = trainIntentModelOn(corpus, deps);
  writeModel(dir, modelFingerprint(TRAIN_OPTIONS), model, corpus, (text) => messageFeatures(text, deps));
  return { examples: corpus.length };
}
