import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../paths.js';
import { contentSecurityPolicy } from '../widget/widget-plugin.js';

/** The review page's static files: plain HTML, CSS and an ES module, no build step. */
export const adminPublicDir = join(projectRoot, 'src', 'admin', 'public');

/**
 * Serves the operator review page at `/admin/` (`/admin` redirects there). It holds no data:
 * it asks for the token and reads everything from the token-protected `/v1/admin/*` API.
 * Registered only when ADMIN_TOKEN is set, so otherwise `/admin` is the app's 404.
 */
export async function adminPagePlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: adminPublicDir,
    prefix: '/admin/',
    index: ['index.html'],
    wildcard: false,
    redirect: true,
    decorateReply: false,
    schemaHide: true,
    cacheControl: true,
    maxAge: 0,
    setHeaders(reply) {
      reply.header('content-security-policy', contentSecurityPolicy);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-robots-tag', 'noindex, nofollow');
    },
  });
}
