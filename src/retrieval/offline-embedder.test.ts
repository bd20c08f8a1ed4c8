import { describe, expect, it } from 'vitest';
import { loadEntries } from '../knowledge/load.js';
import { entryEmbeddingText } from './hybrid.js';
import { fnv1a, OfflineEmbedder } from './offline-embedder.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('offline embedder', () => {
  const embedder = new OfflineEmbedder();

  it('produces unit vectors of the configured dimension', async () => {
    const [v] = await embedder.embed(['医保关系转移接续']);
    expect(v).toHaveLength(512);
    expect(cosine(v!, v!)).toBeCloseTo(1, 5);
  });

  it('is deterministic', () => {
    expect(Array.from(embedder.embedOne('断交三个月怎么补缴'))).toEqual(Array.from(embedder.embedOne('断交三个月怎么补缴')));
  });

  it('brings a colloquial question closer to the entry on the same concept than to an unrelated one', () => {
    const query = embedder.embedOne('去外地看病怎么报销');
    const outOfArea = embedder.embedOne('异地就医直接结算需要先办理备案');
    const hotline = embedder.embedOne('医保问题打12393全国医疗保障服务热线');
    expect(cosine(query, outOfArea)).toBeGreaterThan(cosine(query, hotline) + 0.1);
  });

  it('weights lexicon concepts above plain words', () => {
    const features = embedder.features('断交');
    expect(features.get('c:arrears-gap')).toBe(2);
    expect(features.get('w:断交')).toBe(1);
    expect(features.get('b:断交')).toBe(0.5);
  });

  it('gives exactly the reference vector on its fast path, for every entry text and odd input', () => {
    const texts = [
      ...loadEntries().map(entryEmbeddingText),
      '断交断交断交三个月', '１２３９３ 医保 APP', '𠮷野家 医保 𠮷𠮷', '', '？？？', 'a1 b2 c3 医保医保',
    ];
    for (const text of texts) expect(Array.from(embedder.embedOne(text)), text).toEqual(Array.from(embedder.embedReference(text)));
  });

  it('hashes with 32-bit FNV-1a', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});
