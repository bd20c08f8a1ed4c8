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
 * Fastify runs onResponse when the response has finished, hijacked (streamed) replies included,
 * so the SSE route is logged once its stream ends (a test checks both kinds).
 */
async function requestLogging(app: FastifyInstance): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    logRequest(request, reply, reply.elapsedTime);
  });
}

export const requestLoggingPlugin = fp(requestLogging, { name: 'request-logging' });
