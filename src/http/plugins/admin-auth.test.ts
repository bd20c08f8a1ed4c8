import { describe, expect, it } from 'vitest';
import { bearerMatches } from './admin-auth.js';

const token = 'a-long-admin-token-0123456789';

describe('admin bearer token', () => {
  it('accepts exactly the token, in the Bearer scheme', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer  ${token} `, token)).toBe(true);
  });

  it('refuses anything else: no header, another scheme, a prefix, a longer value, an empty token', () => {
    for (const header of [undefined, '', 'Bearer', `Basic ${token}`, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}x`, `Bearer ${token} extra`, token]) {
      expect(bearerMatches(header, token), String(header)).toBe(false);
    }
    expect(bearerMatches('Bearer ', '')).toBe(false);
  });
});
