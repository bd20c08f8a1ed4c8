import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { knowledgeDir } from '../../paths.js';
import { predictIntent, type IntentModel } from './classifier.js';
import { labels, type CorpusExample, type Label } from './corpus.js';
import { FEATURE_BITS, type Features } from './features.js';

/**
 * The trained intent model on disk (`npm run kb:build` writes it beside the search index), so
 * start-up reads it instead of training on the corpus again (about 2 s). Read only when the
 * content hash of what it was trained from still matches and a sample of the corpus still gets
 * the same predictions as when it was written (a change to how messages are read, in code, shows
 * there); otherwise start-up trains and says why.
 *
 * Files: model.json (hash, labels, probes) and weights.f32 (weights, then biases).
 */

/** Bump when the files' layout or the training changes. */
const FORMAT = 1;
/** How many corpus examples are re-read at start-up to check the model against the code. */
const PROBES = 64;

interface ModelManifest {
  format: number;
  hash: string;
  labels: string[];
  featureBits: number;
  /** How many corpus examples it was trained on. */
  examples: number;
  /** Examples and the probability the model gave their label, rounded. */
  probes: Array<{ text: string; label: string; p: number }>;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

/**
 * Hash of what the model is trained from and how messages are read: the corpus and every dialogue
 * rule file (knowledge/dialogue), the region table (places are masked), the lexicon and the jieba
 * dictionary, and the training options.
 */
export function modelFingerprint(options: object): string {
  const hash = createHash('sha256');
  const part = (text: string | Buffer) => hash.update(text).update('\u0000');
  part(JSON.stringify({ FORMAT, FEATURE_BITS, labels, options }));
  const files = [...filesUnder(join(knowledgeDir, 'dialogue')), ...filesUnder(join(knowledgeDir, 'regions')), join(knowledgeDir, 'lexicon.yaml'), join(knowledgeDir, 'jieba-dict.txt')];
  for (const file of files) {
    part(relative(knowledgeDir, file));
    part(readFileSync(file));
  }
  return hash.digest('hex');
}

const round = (p: number) => Math.round(p * 1e4) / 1e4;

function probesOf(model: IntentModel<Label>, corpus: readonly CorpusExample[], features: (text: string) => Features): ModelManifest['probes'] {
  const step = Math.max(1, Math.floor(corpus.length / PROBES));
  const probes: ModelManifest['probes'] = [];
  for (let i = 0; i < corpus.length && probes.length < PROBES; i += step) {
    const text = corpus[i]!.text;
    const prediction = predictIntent(model, features(text));
    probes.push({ text, label: prediction.label, p: round(prediction.confidence) });
  }
  return probes;
}

/** Writes the model into `dir` (replacing what was there; a reader never sees half a model). */
export function writeModel(dir: string, hash: string, model: IntentModel<Label>, corpus: readonly CorpusExample[], features: (text: string) => Features): void {
  const manifest: ModelManifest = { format: FORMAT, hash, labels: [...model.labels], featureBits: FEATURE_BITS, examples: corpus.length, probes: probesOf(model, corpus, features) };
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const weights = Buffer.concat([Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength), Buffer.from(model.bias.buffer, model.bias.byteOffset, model.bias.byteLength)]);
  writeFileSync(join(staging, 'weights.f32'), weights);
  writeFileSync(join(staging, 'model.json'), JSON.stringify(manifest));
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

export type ModelRead = { model: IntentModel<Label>; examples: number } | { reason: string };

/** Reads the model in `dir` if it was trained from the same inputs and still reads messages alike. */
export function readModel(dir: string, hash: string, features: (text: string) => Features): ModelRead {
  const manifestFile = join(dir, 'model.json');
  if (!existsSync(manifestFile)) return { reason: '没有已训练的意图模型' };
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ModelManifest;
  } catch {
    return { reason: '意图模型清单无法读取' };
  }
  if (manifest.format !== FORMAT || manifest.featureBits !== FEATURE_BITS || typeof manifest.examples !== 'number') return { reason: '意图模型的文件格式已变' };
  if (manifest.hash !== hash) return { reason: '语料、对话规则或词典已改动' };
  if (manifest.labels.join() !== labels.join()) return { reason: '意图类别已变' };
  const k = labels.length;
  const size = (1 << FEATURE_BITS) * k;
  const bytes = readFileSync(join(dir, 'weights.f32'));
  if (bytes.byteLength !== (size + k) * 4) return { reason: '意图模型权重文件大小不符' };
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const model: IntentModel<Label> = { labels, weights: all.subarray(0, size), bias: all.subarray(size) };
  for (const probe of manifest.probes) {
    const prediction = predictIntent(model, features(probe.text));
    if (prediction.label !== probe.label || Math.abs(round(prediction.confidence) - probe.p) > 1e-3) return { reason: '读消息的方式已变（抽查样例的预测不同）' };
  }
  return { model, examples: manifest.examples };
}
