import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { overloaded } from '../openapi-responses.js';

const alive = z.object({ status: z.literal('ok') }).meta({ description: '进程存活', examples: [{ status: 'ok' }] });

const ready = z
  .object({
    ready: z.literal(true),
    status: z.enum(['ok', 'degraded']).describe('degraded：共享存储（Redis）不可用，会话暂存内存，恢复后写回'),
    entries: z.number().int().describe('知识条目数'),
    tools: z.number().int(),
    sessions: z.string().describe('会话存储：memory 或 redis'),
    embedder: z.string().describe('向量来源'),
    model: z.boolean().describe('是否配置了模型路径'),
    startupMs: z.number().int().describe('加载知识库和索引用时'),
    sessionStore: z
      .object({ sharedAvailable: z.boolean(), pendingWriteBack: z.number().int() })
      .optional()
      .describe('配置了 Redis 时：Redis 是否可用，以及等待写回的会话数'),
    calendar: z
      .object({ lastNoticeYear: z.number().int(), lastDay: z.string(), daysRemaining: z.number().int() })
      .describe('工作日历：最后一个有放假通知的年份、可推算到的最后一天、剩余天数'),
  })
  .meta({
    description: '已就绪',
    examples: [
      {
        ready: true,
        status: 'ok',
        entries: 190,
        tools: 7,
        sessions: 'memory',
        embedder: 'offline-hash-v1-512',
        model: false,
        startupMs: 640,
        calendar: { lastNoticeYear: 2026, lastDay: '2027-12-31', daysRemaining: 390 },
      },
    ],
  });

const notReady = z
  .union([z.object({ status: z.literal('loading') }), overloaded])
  .meta({ description: '尚未就绪，或服务过载（负载均衡应暂停转发）', examples: [{ status: 'loading' }, { error: { code: 'OVERLOADED', message: '服务繁忙，请稍后再试。' } }] });

/** Liveness and readiness. Ready means the knowledge base and the search indexes are loaded. */
export async function healthRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  app.get(
    '/healthz',
    { config: { rateLimit: false }, schema: { tags: ['ops'], summary: '存活检查', response: { 200: alive } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    { config: { rateLimit: false }, schema: { tags: ['ops'], summary: '就绪检查：知识库和索引加载完成后返回 200；Redis 不可用时仍返回 200，status 为 degraded（会话暂存内存，恢复后写回）', response: { 200: ready, 503: notReady } } },
    async (_request, reply) => {
    const status = services.status();
      if (!status.ready) return reply.status(503).send({ status: 'loading' });
      return status;
    },
  );
}
