import { describe, expect, it } from 'vitest';
import { DomainError, inherits } from './errors.js';

describe('inherits', () => {
  it('is true for an object made by the class or a subclass, false for anything else', () => {
    const domain = new DomainError('NOT_FOUND', 404, '没有找到。');
    expect(inherits(domain, DomainError)).toBe(true);
    expect(inherits(domain, Error)).toBe(true);
    expect(inherits(new TypeError('x'), Error)).toBe(true);
    expect(inherits(new Error('x'), DomainError)).toBe(false);
    expect(inherits({ name: 'Error', message: 'x' }, Error)).toBe(false);
    for (const value of [null, undefined, 'Error', 42]) expect(inherits(value, Error)).toBe(false);
  });
});
