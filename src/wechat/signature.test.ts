import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isFreshTimestamp, signaturesMatch, verifyMsgSignature, verifySignature, wechatSignature } from './signature.js';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('wechat signature', () => {
  it('is sha1 of token, timestamp and nonce sorted as strings', () => {
    // '1409304348' < 'test_token' < 'xxxxxx' in code-unit order.
    expect(wechatSignature(['test_token', '1409304348', 'xxxxxx'])).toBe(sha1('1409304348test_tokenxxxxxx'));
  });

  it('accepts the right signature in either hex case and rejects any other', () => {
    const signature = wechatSignature(['tok', '1700000000', '42']);
    expect(verifySignature({ token: 'tok', timestamp: '1700000000', nonce: '42', signature })).toBe(true);
    expect(verifySignature({ token: 'tok', timestamp: '1700000000', nonce: '42', signature: signature.toUpperCase() })).toBe(true);
    expect(verifySignature({ token: 'tok', timestamp: '1700000001', nonce: '42', signature })).toBe(false);
    expect(verifySignature({ token: 'tok', timestamp: '1700000000', nonce: '42', signature: signature.slice(1) })).toBe(false);
    expect(signaturesMatch('', signature)).toBe(false);
  });

  it('adds the encrypted payload to msg_signature', () => {
    const msgSignature = wechatSignature(['tok', '1700000000', '42', 'ENCRYPTED==']);
    expect(verifyMsgSignature({ token: 'tok', timestamp: '1700000000', nonce: '42', encrypt: 'ENCRYPTED==', msgSignature })).toBe(true);
    expect(verifyMsgSignature({ token: 'tok', timestamp: '1700000000', nonce: '42', encrypt: 'OTHER==', msgSignature })).toBe(false);
  });

  it('rejects timestamps more than 300 s old or ahead, and non-numbers', () => {
    const now = 1_700_000_000_000;
    expect(isFreshTimestamp('1700000000', now)).toBe(true);
    expect(isFreshTimestamp('1699999700', now)).toBe(true);
    expect(isFreshTimestamp('1699999699', now)).toBe(false);
    expect(isFreshTimestamp('1700000300', now)).toBe(true);
    expect(isFreshTimestamp('1700000301', now)).toBe(false);
    expect(isFreshTimestamp('17e8', now)).toBe(false);
    expect(isFreshTimestamp('', now)).toBe(false);
  });
});
