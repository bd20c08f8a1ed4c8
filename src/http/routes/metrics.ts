import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Metrics } from '../../metrics.js';

const metricsText = z.string().meta({
  examples: ['# HELP chat_turns_total Chat turns by intent and answering path\n# TYPE chat_turns_total counter\nchat_turns_total{intent="transfer",answered_by="rules"} 42\n'],
});

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
  app.get(
    '/metrics',
    {
      config: { rateLimit: false },
      schema: { tags: ['ops'], summary: 'Prometheus 指标（文本格式）', response: { 200: { description: 'Prometheus 文本格式的指标', content: { 'text/plain': { schema: metricsText } } } } },
      // The response is already text; the schema above documents it and is not a serializer.
      serializerCompiler: () => (data) => String(data),
    },
    async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
