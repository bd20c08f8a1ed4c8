import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import { projectRoot } from '../paths.js';

/** The widget's static files: plain HTML, CSS and ES modules, served as they are (no build step). */
export const widgetPublicDir = join(projectRoot, 'src', 'widget', 'public');

// The pages load nothing from elsewhere and run no inline script or style, so a strict policy
// costs nothing and blunts any injection that might slip past textContent rendering.
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * How a static page of the service is served (the chat page, the review page): routes only for
 * the files present at start-up (no wildcard), so unknown paths still reach the app's own 404
 * handler, and the strict security headers on every file.
 */
export function staticPageOptions(root: string, prefix: string): FastifyStaticOptions {
  return {
    root,
    prefix,
    index: ['index.html'],
    wildcard: false,
    // Another plugin (the API docs UI) may register @fastify/static as well.
    decorateReply: false,
    schemaHide: true,
    // Assets change with each release and are small; revalidate rather than cache for long.
    cacheControl: true,
    maxAge: 0,
    setHeaders(reply) {
      reply.header('content-security-policy', contentSecurityPolicy);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    },
  };
}

/** Serves the chat widget: `GET /` is index.html, the other assets sit beside it. */
export async function widgetPlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, staticPageOptions(widgetPublicDir, '/'));
}
