import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { hasInternalText } from './guard/internal-text.js';
import { loadToolErrorTexts, toolErrorText } from './tool-error-text.js';

const texts = loadToolErrorTexts();
const validation = (issues: unknown[]) => new DomainError('VALIDATION_FAILED', 400, '输入的数值不完整', { details: { issues } });

describe('telling the user why a tool could not answer', () => {
  it('asks about a value out of range in the user’s own terms', () => {
    expect(toolErrorText(texts, validation([{ field: 'gapMonths', kind: 'too_big', value: 1000 }]))).toBe('断缴月数1000个月超出了可以计算的范围，请确认断缴月数。');
    expect(toolErrorText(texts, validation([{ field: 'base', kind: 'too_small', value: -5 }]))).toBe('缴费基数-5元不在可以计算的范围内，请确认缴费基数。');
  });

  it('asks for a missing value by what it is, not by its field name', () => {
    expect(toolErrorText(texts, validation([{ field: 'insuranceType', kind: 'missing' }]))).toBe('还需要知道参保的险种（职工医保还是居民医保），才能算出来。');
  });

  it('names the place the user gave when it is unknown or ambiguous', () => {
    expect(toolErrorText(texts, new DomainError('REGION_NOT_FOUND', 404, 'x', { details: { name: '桃花源' } }))).toContain('桃花源');
    expect(toolErrorText(texts, new DomainError('REGION_AMBIGUOUS', 409, 'x', { details: { name: '朝阳' } }))).toContain('朝阳');
  });

  it('never passes on a tool’s text that holds field names, codes or English', () => {
    const leaky = new DomainError('DATE_OUT_OF_RANGE', 422, '请提供 acceptedDate');
    expect(toolErrorText(texts, leaky)).toBe(texts.fallback);
    expect(toolErrorText(texts, new DomainError('BAD_REQUEST', 400, 'boom'))).toBe(texts.fallback);
    expect(toolErrorText(texts, validation([{ field: 'unheardOf', kind: 'invalid', value: 'x' }]))).toBe(texts.fallback);
    for (const kind of ['too_big', 'too_small', 'missing', 'invalid'] as const)
      for (const field of Object.keys(texts.fields)) expect(hasInternalText(toolErrorText(texts, validation([{ field, kind, value: 7 }])))).toBe(false);
  });
});
