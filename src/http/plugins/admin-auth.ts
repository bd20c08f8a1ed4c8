import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../errors.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether an Authorization header carries the bearer token. Both sides are hashed first so that
 * the comparison is constant-time and takes the same time whatever the length of the guess.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const ok = timingSafeEqual(digest(presented), digest(token));
  return ok && presented.length > 0;
}

/** Every route of the scope requires `Authorization: Bearer <ADMIN_TOKEN>`; 401 with a Chinese message otherwise. */
export function requireAdminToken(scope: FastifyInstance, token: string): void {
  scope.addHook('onRequest', async (request, reply) => {
    if (bearerMatches(request.headers.authorization, token)) return;
    reply.header('www-authenticate', 'Bearer realm="admin"');
    throw new DomainError('UNAUTHORIZED', 401, '需要管理令牌：请在请求头 Authorization 中提供 “Bearer <令牌>”。');
  });
}
