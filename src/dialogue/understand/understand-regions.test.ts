import { describe, expect, it } from 'vitest';
import { loadRegionResolver } from '../../tools/region/load-regions.js';
import { createUnderstander } from './understand.js';

// The same rules against the full division table (every province, city, county and district).
const understandMessage = createUnderstander(loadRegionResolver());
const TODAY = '2026-05-06';
const placesOf = (message: string) =>
  understandMessage(message, { today: TODAY }).places.map((p) => `${p.role}:${p.region?.code ?? p.candidates?.map((c) => c.code).join('/')}`);

describe('understanding with the real region resolver', () => {
  it.each([
    ['我的医保余额能从烟台转到苏州吗?', ['from:370600', 'to:320500']],
    ['医保能从青岛转到南京吗', ['from:370200', 'to:320100']],
    ['昆山转上海', ['from:320583', 'to:310000']],
    ['离开武汉回烟台了', ['from:420100', 'to:370600']],
    ['我去杭州上班了，北京的医保怎么办', ['to:330100', 'from:110000']],
  ])('%s', (message, expected) => {
    expect(placesOf(message)).toEqual(expected);
  });

  it('keeps place names made of numerals intact', () => {
    const result = understandMessage('从十堰转到三门峡，断了两年', { today: TODAY });
    expect(result.slots.from?.name).toBe('十堰市');
    expect(result.slots.to?.name).toBe('三门峡市');
    expect(result.slots.gapMonths).toBe(24);
  });

  it('resolves a county written after its province', () => {
    expect(understandMessage('江苏昆山的医保能转到广州吗', { today: TODAY }).slots.from?.code).toBe('320583');
  });

  it('leaves a lone place unknown and keeps the intent of the conversation', () => {
    const result = understandMessage('深圳', { today: TODAY, currentIntent: 'transfer' });
    expect(result.intent).toBe('transfer');
    expect(result.places.map((p) => [p.role, p.region?.code])).toEqual([['unknown', '440300']]);
  });
});
