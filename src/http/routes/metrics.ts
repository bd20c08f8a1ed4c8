import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics.js';

/**
 * GET /metrics (Prometheus text) and the per-request counters. The route label is the route
 * pattern, never the raw URL, so query strings and unknown paths cannot blow up label sets.
 */
export async function metricsRoutes(app: FastifyInstance, opts: { metrics: Metrics }): Promise<void> {
  const { metrics } = opts;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { rateLimit: false }, schema: { tags: ['ops'], summary: 'Prometheus 指标（文本格式）' } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
