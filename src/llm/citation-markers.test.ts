import { describe, expect, it } from 'vitest';
import { CitationStripper, stripCitations } from './citation-markers.js';

describe('citation markers', () => {
  it('takes [id] markers out of the text and returns their ids in order, once each', () => {
    const { text, ids } = stripCitations('转出地10个工作日内办结[timeline-origin-10-working-days]，热线12393[hotline-12393-medical-insurance][timeline-origin-10-working-days]。');
    expect(text).toBe('转出地10个工作日内办结，热线12393。');
    expect(ids).toEqual(['timeline-origin-10-working-days', 'hotline-12393-medical-insurance']);
  });

  it('accepts full-width brackets and lists of ids', () => {
    expect(stripCitations('可以转移【transfer-three-situations】，累计计算[law-art-32, transfer-three-situations]。')).toEqual({
      text: '可以转移，累计计算。',
      ids: ['transfer-three-situations', 'law-art-32'],
    });
  });

  it('leaves bracketed text that is not an id list alone', () => {
    expect(stripCitations('[注意] 以当地为准 [Some-ID] [] [a b c]')).toEqual({ text: '[注意] 以当地为准 [Some-ID] [] ', ids: ['a', 'b', 'c'] });
  });

  it('treats a bracketed figure as a citation id, so the engine can refuse an id it never gave', () => {
    expect(stripCitations('见[2026-05-15]')).toEqual({ text: '见', ids: ['2026-05-15'] });
  });

  it('never releases half a marker while streaming', () => {
    const stripper = new CitationStripper();
    const pieces = ['转出地最晚2026年5月14日办结[timel', 'ine-origin-10-wor', 'king-days]。[注', '意]'];
    const shown = pieces.map((p) => stripper.push(p));
    expect(shown).toEqual(['转出地最晚2026年5月14日办结', '', '。[注', '意]']);
    expect(stripper.flush()).toBe('');
    expect(stripper.ids).toEqual(['timeline-origin-10-working-days']);
  });

  it('gives back an unclosed bracket at the end', () => {
    const stripper = new CitationStripper();
    expect(stripper.push('结论[timeline')).toBe('结论');
    expect(stripper.flush()).toBe('[timeline');
  });
});
