import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

/** Liveness and readiness. Ready means the knowledge base and the search indexes are loaded. */
export async function healthRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  app.get('/healthz', { config: { rateLimit: false }, schema: { tags: ['ops'], summary: '存活检查' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { rateLimit: false }, schema: { tags: ['ops'], summary: '就绪检查：知识库和索引加载完成后返回 200；Redis 不可用时仍返回 200，status 为 degraded（会话暂存内存，恢复后写回）' } }, async (_request, reply) => {
    const status = services.status();
    if (!status.ready) return reply.status(503).send({ status: 'loading' });
    return status;
  });
}
