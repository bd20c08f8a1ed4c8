import { networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { sessionIdPattern } from '../chat-request.js';

/** The URL other instances reach this one at: INSTANCE_URL, else the listening address. */
export function instanceUrl(app: FastifyInstance, configured: string | undefined): string | undefined {
  if (configured) return configured;
  const address = app.server.address();
  if (!address || typeof address === 'string') return undefined;
  let host = address.address;
  if (host === '0.0.0.0' || host === '::') {
    // Listening on every interface: announce the first outside address.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    host = outside?.address ?? '127.0.0.1';
  }
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * GET /internal/sessions/:id — this instance's in-memory copy of a session, for its peers while
 * Redis is down. Only with the secret the instances share through Redis (a bearer token, compared
 * in constant time); hidden from /docs; anyone else gets 404, as if the route did not exist.
 */
export async function peerSessionRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const peers = services.peers;
  if (!peers) return;
  app.addHook('onListen', async () => {
    const url = instanceUrl(app, services.config.INSTANCE_URL);
    if (url) await peers.start(url);
  });
  app.get<{ Params: { id: string } }>('/internal/sessions/:id', { config: { rateLimit: false }, schema: { hide: true } }, async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const id = request.params.id;
    if (!peers.accepts(token) || !sessionIdPattern.test(id)) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: '没有这个地址。' } });
    const copy = await services.store.localCopy?.(id);
    if (!copy) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: '没有这个会话。' } });
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(copy));
  });
}
