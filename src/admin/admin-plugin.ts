import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../paths.js';
import { staticPageOptions } from '../widget/widget-plugin.js';

/** The review page's static files: plain HTML, CSS and an ES module, no build step. */
export const adminPublicDir = join(projectRoot, 'src', 'admin', 'public');

/**
 * Serves the operator review page at `/admin/` (`/admin` redirects there). It holds no data:
 * it asks for the token and reads everything from the token-protected `/v1/admin/*` API.
 * Registered only when ADMIN_TOKEN is set, so otherwise `/admin` is the app's 404.
 */
export async function adminPagePlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { ...staticPageOptions(adminPublicDir, '/admin/'), redirect: true });
}
