import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { citationLabels } from '../../knowledge/citation.js';
import { formatSource } from '../../knowledge/schema.js';
import { chinaToday } from '../../dialogue/chat-engine.js';
import type { Services } from '../../services.js';

const searchQuery = z.object({
  q: z.string().trim().min(1, '请输入要检索的内容').max(200),
  k: z.coerce.number().int().min(1).max(20).default(5),
  /** A place name (省/市/区县) whose local entries should be preferred. */
  region: z.string().trim().min(1).max(50).optional(),
});

/** `GET /v1/knowledge/search`: hybrid, region-aware search over the knowledge base. */
export async function knowledgeRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/knowledge/search',
    {
      schema: {
        tags: ['knowledge'],
        summary: '检索知识库（BM25 + 向量，按地区排序）',
        querystring: searchQuery,
      },
    },
    async (request) => {
      const { q, k, region } = request.query;
      let userRegion: { provinceCode: string; cityCode?: string } | null = null;
      if (region) {
        const resolved = services.regions.resolve(region);
        if (resolved.status === 'unknown')
          throw new DomainError('REGION_NOT_FOUND', 404, `没有找到地区“${region}”。`, { details: { suggestions: resolved.suggestions } });
        const place = resolved.status === 'ok' ? resolved.region : resolved.candidates[0]!;
        userRegion = { provinceCode: place.provinceCode, ...(place.poolingArea ? { cityCode: place.poolingArea.code } : {}) };
      }
      const hits = services.retriever.search(q, { k, region: userRegion });
      const today = chinaToday();
      return {
        results: hits.map((hit) => ({
          id: hit.entry.id,
          title: hit.entry.title,
          topic: hit.entry.topic,
          score: Number(hit.score.toFixed(6)),
          snippet: hit.entry.summary,
          source: hit.entry.source.map(formatSource).join('；'),
          scope: hit.entry.scope,
          ...citationLabels(hit.entry, today),
        })),
      };
    },
  );
}
