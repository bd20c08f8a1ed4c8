import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { citationLabelsSchema } from '../chat-response-schema.js';
import { DomainError } from '../../errors.js';
import { citationLabels } from '../../knowledge/citation.js';
import { formatSource } from '../../knowledge/schema.js';
import { chinaToday } from '../../dialogue/chat-engine.js';
import type { Services } from '../../services.js';
import { getErrors, regionNotFound } from '../openapi-responses.js';

const searchQuery = z.object({
  q: z.string().trim().min(1, '请输入要检索的内容').max(200),
  k: z.coerce.number().int().min(1).max(20).default(5),
  /** A place name (省/市/区县) whose local entries should be preferred. */
  region: z.string().trim().min(1).max(50).optional(),
});

const searchResponse = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        topic: z.string(),
        score: z.number().describe('融合得分，只有先后顺序有意义'),
        snippet: z.string().describe('条目第一段，引用时展示'),
        source: z.string().describe('文件名称、文号、条款、发布机关、日期'),
        scope: z.object({ level: z.enum(['national', 'province', 'city']), regions: z.array(z.string()).describe('6 位地区代码') }),
      }).extend(citationLabelsSchema.shape),
    ),
  })
  .meta({
    description: '按相关度排列的条目：全国和本地条目在前，其他地方的地方规定在后',
    examples: [
      {
        results: [
          {
            id: 'timeline-origin-10-working-days',
            title: '转出地在受理后10个工作日内办结转出',
            topic: 'timeline',
            score: 0.089,
            snippet: '转出地经办机构在受理转移申请后10个工作日内办结转出手续。',
            source: '《基本医疗保险关系转移接续暂行办法》医保办发〔2021〕43号（国家医保局办公室 财政部办公厅，2021-11-01）',
            scope: { level: 'national', regions: [] },
            verification: 'verbatim-reprint',
            verificationLabel: '原文转载',
            applies: { level: 'national', places: [], effective: null, expires: null, ended: false, label: '全国' },
            confidence: 'official',
          },
        ],
      },
    ],
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
        response: { 200: searchResponse, 404: regionNotFound, ...getErrors },
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
