import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

function logRequest(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  const status = reply.statusCode;
  const line = {
    method: request.method,
    route: request.routeOptions.url ?? 'unmatched',
    // The path only: query strings can carry what users typed (search terms, WeChat ids).
    path: request.url.split('?')[0],
    status,
    ms: Math.round(ms * 10) / 10,
    ...(request.chatIntent ? { intent: request.chatIntent } : {}),
    ...(request.chatAnsweredBy ? { answeredBy: request.chatAnsweredBy } : {}),
  };
  if (status >= 500) request.log.error(line, 'request failed');
  else request.log.info(line, 'request');
}

/**
 * One log line per request (replacing Fastify's two): request id (bound by Fastify), method,
 * route pattern, path, status, latency in ms and, for chat turns, intent and answering path.
 * Streamed replies (hijacked) are logged when their response ends.
 */
async function requestLogging(app: FastifyInstance): Promise<void> {
  const logged = new WeakSet<FastifyRequest>();
  app.addHook('onResponse', async (request, reply) => {
    logged.add(request);
    logRequest(request, reply, reply.elapsedTime);
  });
  app.addHook('onRequest', async (request, reply) => {
    // Fastify runs no onResponse hook for a hijacked reply (the SSE stream): log it when the
    // response finishes, unless onResponse already did.
    reply.raw.once('finish', () => {
      setImmediate(() => {
        if (!logged.has(request)) logRequest(request, reply, reply.elapsedTime);
      });
    });
  });
}

export const requestLoggingPlugin = fp(requestLogging, { name: 'request-logging' });
