import { createHmac } from 'node:crypto';

/**
 * A chat session id for a WeChat user: 'wx_' + 32 hex characters of HMAC-SHA256(secret, OpenID).
 * Stable per user, matches ^[A-Za-z0-9_-]{1,64}$, and keeps the OpenID itself out of session ids,
 * logs and metrics; keyed with a server secret so that a known OpenID cannot be hashed to find its
 * session.
 */
export function wechatSessionId(openId: string, secret: string): string {
  return `wx_${createHmac('sha256', secret).update(openId, 'utf8').digest('hex').slice(0, 32)}`;
}
