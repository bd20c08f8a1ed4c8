import { createHash, timingSafeEqual } from 'node:crypto';

/** WeChat retries within about 15 s; five minutes tolerates clock drift without allowing old replays. */
export const MAX_TIMESTAMP_SKEW_SECONDS = 300;

/**
 * WeChat's signature: sha1 of the parts sorted as strings and joined. Plain mode signs
 * [token, timestamp, nonce]; safe mode's msg_signature adds the <Encrypt> payload.
 * @example wechatSignature(['token', '1700000000', 'nonce']) // 40 hex characters
 */
export function wechatSignature(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Constant-time comparison of a received signature with the expected one (case-insensitive hex). */
export function signaturesMatch(received: string, expected: string): boolean {
  const a = Buffer.from(received.toLowerCase(), 'utf8');
  const b = Buffer.from(expected.toLowerCase(), 'utf8');
  // The expected length is public (always 40), so an early length check leaks nothing secret.
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** True when `signature` signs token, timestamp and nonce (plain mode, and GET verification). */
export function verifySignature(input: { token: string; timestamp: string; nonce: string; signature: string }): boolean {
  return signaturesMatch(input.signature, wechatSignature([input.token, input.timestamp, input.nonce]));
}

/** True when `msgSignature` signs token, timestamp, nonce and the encrypted payload (safe mode). */
export function verifyMsgSignature(input: {
  token: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
  msgSignature: string;
}): boolean {
  return signaturesMatch(input.msgSignature, wechatSignature([input.token, input.timestamp, input.nonce, input.encrypt]));
}

/**
 * True when a Unix timestamp in seconds is within `maxSkewSeconds` of now, in either direction.
 * Rejecting stale timestamps keeps a captured request from being replayed later.
 */
export function isFreshTimestamp(timestamp: string, nowMs: number, maxSkewSeconds = MAX_TIMESTAMP_SKEW_SECONDS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) - Math.floor(nowMs / 1000)) <= maxSkewSeconds;
}
