import { getLexicon, type Lexicon } from './lexicon.js';
import { getJieba, isStopWord, normalizeText } from './tokenizer.js';

/**
 * Text → vector. Implementations: the offline feature-hashing embedder below (the default; no
 * embedding model can be downloaded here) and the OpenAI-compatible client in src/llm.
 */
export interface Embedder {
  /** Identifies the vector space; vectors from different ids must never be compared. */
  readonly id: string;
  readonly dim: number;
  embed(texts: string[]): Promise<Float32Array[]>;
  /** A query's vector when it should be treated differently from index texts (e.g. not cached). */
  embedQuery?(text: string): Promise<Float32Array>;
  /** Synchronous embedding for the query hot path, when the embedder can do it locally. */
  embedOne?(text: string): Float32Array;
}

/** Feature weights: lexicon concepts carry the meaning users word in many ways. */
export const FEATURE_WEIGHTS = { concept: 2, word: 1, bigram: 0.5 } as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

const CJK_OR_WORD = /[\p{L}\p{N}]/u;

/** Whether a code point is a letter or number, remembered per Basic Multilingual Plane code unit. */
const wordCharCache = new Uint8Array(0x10000);
function isWordChar(code: number): boolean {
  if (code > 0xffff) return CJK_OR_WORD.test(String.fromCodePoint(code));
  let known = wordCharCache[code]!;
  if (known === 0) wordCharCache[code] = known = CJK_OR_WORD.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/** FNV-1a continued over the UTF-16 code units of one code point. */
function fnvCodePoint(h: number, code: number): number {
  if (code > 0xffff) {
    const offset = code - 0x10000;
    h = Math.imul(h ^ (0xd800 + (offset >> 10)), FNV_PRIME);
    return Math.imul(h ^ (0xdc00 + (offset & 0x3ff)), FNV_PRIME);
  }
  return Math.imul(h ^ code, FNV_PRIME);
}

/** FNV-1a state after the bigram feature prefix "b:". */
const BIGRAM_SEED = fnvCodePoint(fnvCodePoint(FNV_OFFSET, 0x62), 0x3a);

/**
 * Offline embedder: signed feature hashing of lexicon concept ids (weight 2), jieba words
 * (weight 1) and character bigrams (weight 0.5) into `dim` dimensions, with sublinear term
 * frequency (1 + ln tf) and L2 normalisation. Lexical at heart; the concept features are what
 * lets "去外地看病" meet an entry about 异地就医.
 */
export class OfflineEmbedder implements Embedder {
  readonly id: string;

  constructor(
    readonly dim = 512,
    private readonly lexicon: Lexicon = getLexicon(),
  ) {
    if (!Number.isInteger(dim) || dim < 8) throw new RangeError('dim must be an integer ≥ 8');
    this.id = `offline-hash-v1-${dim}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  /**
   * The query hot path: the same vector as embedding `features()`, without building a string per
   * character bigram. Bigram features are hashed as their code units stream past and counted by
   * hash (a test checks equality with the reference path over the whole knowledge base).
   */
  embedOne(text: string): Float32Array {
    const normalized = normalizeText(text);
    const v = new Float32Array(this.dim);
    const add = (hash: number, weight: number) => {
      v[(hash & 0x7fffffff) % this.dim]! += hash & 0x80000000 ? -weight : weight;
    };
    for (const index of this.lexicon.matchIndexes(normalized)) add(fnv1a(`c:${this.lexicon.concepts[index]!.id}`), FEATURE_WEIGHTS.concept);

    const words = new Map<string, number>();
    for (const word of getJieba().cut(normalized, true)) {
      if (CJK_OR_WORD.test(word) && !isStopWord(word)) words.set(word, (words.get(word) ?? 0) + 1);
    }
    for (const [word, tf] of words) add(fnv1a(`w:${word}`), FEATURE_WEIGHTS.word * (1 + Math.log(tf)));

    const bigrams = new Map<number, number>();
    let previous = -1;
    for (let i = 0; i < normalized.length; i++) {
      const code = normalized.codePointAt(i)!;
      if (code > 0xffff) i++;
      if (!isWordChar(code)) {
        previous = -1;
        continue;
      }
      if (previous >= 0) {
        const hash = fnvCodePoint(fnvCodePoint(BIGRAM_SEED, previous), code) >>> 0;
        bigrams.set(hash, (bigrams.get(hash) ?? 0) + 1);
      }
      previous = code;
    }
    for (const [hash, tf] of bigrams) add(hash, FEATURE_WEIGHTS.bigram * (1 + Math.log(tf)));
    return l2Normalize(v);
  }

  /** The reference path: features() hashed into a vector (index texts and tests). */
  embedReference(text: string): Float32Array {
    return this.embedFeatures(this.features(normalizeText(text)));
  }

  /** Weighted features of normalised text, before hashing (exposed for tests and diagnostics). */
  features(normalized: string): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const weights = new Map<string, number>();

    for (const index of this.lexicon.matchIndexes(normalized)) weights.set(`c:${this.lexicon.concepts[index]!.id}`, FEATURE_WEIGHTS.concept);

    for (const word of getJieba().cut(normalized, true)) {
      if (CJK_OR_WORD.test(word) && !isStopWord(word)) add(`w:${word}`);
    }
    let previous = '';
    for (const ch of normalized) {
      if (!CJK_OR_WORD.test(ch)) {
        previous = '';
        continue;
      }
      if (previous) add(`b:${previous}${ch}`);
      previous = ch;
    }
    for (const [feature, tf] of counts) {
      const base = feature.startsWith('w:') ? FEATURE_WEIGHTS.word : FEATURE_WEIGHTS.bigram;
      weights.set(feature, base * (1 + Math.log(tf)));
    }
    return weights;
  }

  private embedFeatures(features: Map<string, number>): Float32Array {
    const v = new Float32Array(this.dim);
    for (const [feature, weight] of features) {
      const h = fnv1a(feature);
      const sign = h & 0x80000000 ? -1 : 1;
      v[(h & 0x7fffffff) % this.dim]! += sign * weight;
    }
    return l2Normalize(v);
  }
}

/** Scales v to unit length in place (a zero vector stays zero) and returns it. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
  }
  return v;
}
