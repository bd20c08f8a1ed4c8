import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLexicon } from '../../retrieval/lexicon.js';
import { loadRegionResolver } from '../../tools/region/load-regions.js';
import { loadDialogueRules } from '../understand/dialogue-rules.js';
import { compileIntentRules } from '../understand/intents.js';
import { compileNormalizeRules } from '../understand/normalize.js';
import { predictIntent, type IntentModel } from './classifier.js';
import { loadCorpus, type Label } from './corpus.js';
import { messageFeatures, trainIntentModelOn, TRAIN_OPTIONS } from './intent-classifier.js';
import { modelFingerprint, readModel, writeModel } from './model-store.js';

const rules = loadDialogueRules();
const deps = { normalize: compileNormalizeRules(rules.normalize), regions: loadRegionResolver(), lexicon: getLexicon(), cues: compileIntentRules(rules.intents) };
const features = (text: string) => messageFeatures(text, deps);
const corpus = loadCorpus();
let dir: string;
let model: IntentModel<Label>;
const hash = modelFingerprint(TRAIN_OPTIONS);

beforeAll(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'intent-model-')), 'intent-model');
  model = trainIntentModelOn(corpus, deps);
  writeModel(dir, hash, model, corpus, features);
});
afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('the stored intent model', () => {
  it('classifies every corpus example exactly as the model it was written from', () => {
    const read = readModel(dir, hash, features);
    expect('model' in read).toBe(true);
    if (!('model' in read)) return;
    expect(read.examples).toBe(corpus.length);
    for (const e of corpus) {
      const x = features(e.text);
      const stored = predictIntent(read.model, x);
      const fresh = predictIntent(model, x);
      expect(stored.label).toBe(fresh.label);
      expect(stored.confidence).toBeCloseTo(fresh.confidence, 6);
    }
  });

  it('is not read when what it was trained from changed, and says why', () => {
    expect(readModel(dir, 'another-hash', features)).toEqual({ reason: '语料、对话规则或词典已改动' });
    expect(readModel(join(dir, 'missing'), hash, features)).toEqual({ reason: '没有已训练的意图模型' });
  });

  it('is not read when messages are read differently now (a probe predicts otherwise)', () => {
    const manifestFile = join(dir, 'model.json');
    const original = readFileSync(manifestFile, 'utf8');
    try {
      const manifest = JSON.parse(original);
      manifest.probes[0].p = manifest.probes[0].p > 0.5 ? 0.1 : 0.9;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      expect(readModel(dir, hash, features)).toEqual({ reason: '读消息的方式已变（抽查样例的预测不同）' });
    } finally {
      writeFileSync(manifestFile, original);
    }
  });

  it('changes its fingerprint with the training options', () => {
    expect(modelFingerprint({ ...TRAIN_OPTIONS, epochs: 31 })).not.toBe(hash);
    expect(modelFingerprint(TRAIN_OPTIONS)).toBe(hash);
  });
});
