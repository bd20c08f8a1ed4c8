import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { chinaToday } from '../../dialogue/chat-engine.js';
import { DomainError } from '../../errors.js';
import { formatSource, verificationLabels, type KnowledgeEntry } from '../../knowledge/schema.js';
import { evalDrafts } from '../../review/eval-drafts.js';
import { reasonLabels } from '../../review/review-record.js';
import { reviewCsv } from '../../review/review-csv.js';
import { findFlagged, listReview, parseBound, type EntryLink } from '../../review/review-query.js';
import type { ReviewRecorder } from '../../review/review-recorder.js';
import { errorResponse, rateLimited } from '../openapi-responses.js';

const badQuery = errorResponse('查询参数不正确', { code: 'BAD_REQUEST', message: '查询参数不正确：since 须为 YYYY-MM-DD。' });
const unauthorized = errorResponse('缺少或错误的管理令牌（Authorization: Bearer <ADMIN_TOKEN>）', { code: 'UNAUTHORIZED', message: '需要管理令牌。' });
const notFound = errorResponse('没有这个条目', { code: 'NOT_FOUND', message: '知识库中没有条目 x（可能已改名或删除）。' });
import { entryDetailSchema, entryParamsSchema, reviewQuerySchema, reviewResponseSchema } from '../admin-review-schema.js';
import { requireAdminToken } from '../plugins/admin-auth.js';

export interface AdminReviewOptions {
  review: ReviewRecorder;
  token: string;
  entries: ReadonlyMap<string, KnowledgeEntry>;
  /** KB_EDIT_BASE_URL: prefix that turns an entry's file path into an edit link. */
  editBaseUrl?: string;
}

type ReviewQuery = z.output<typeof reviewQuerySchema>;

const badBound = (name: string) =>
  new DomainError('BAD_REQUEST', 400, `查询参数 ${name} 须为 YYYY-MM-DD 或带时区的时间（如 2026-12-05T08:00:00+08:00）。`);

/** The time range of a query: all that is kept when `since` is absent, up to now when `until` is. */
function rangeOf(query: ReviewQuery): { sinceMs: number; untilMs: number } {
  const sinceMs = query.since ? parseBound(query.since, 'since') : 0;
  const untilMs = query.until ? parseBound(query.until, 'until') : Date.now();
  if (Number.isNaN(sinceMs)) throw badBound('since');
  if (Number.isNaN(untilMs)) throw badBound('until');
  if (sinceMs > untilMs) throw new DomainError('BAD_REQUEST', 400, '查询参数 since 晚于 until，请检查日期范围。');
  return { sinceMs, untilMs };
}

/** In words, what a query selected (for the drafts' header). */
function describeSelection(query: ReviewQuery): string {
  const parts = [query.since ? `${query.since} 起` : '保留期内全部', query.until ? `至 ${query.until}` : ''];
  if (query.reason) parts.push(`原因：${reasonLabels[query.reason]}`);
  if (query.intent) parts.push(`意图：${query.intent}`);
  return parts.filter(Boolean).join('，');
}

/**
 * The operator review API, all behind the bearer token: `GET /v1/admin/review` (JSON or CSV),
 * `GET /v1/admin/review/drafts` (eval case drafts as YAML) and `GET /v1/admin/entries/:id` (a
 * cited entry's text, to judge and fix it).
 */
export async function adminReviewRoutes(app: FastifyInstance, opts: AdminReviewOptions): Promise<void> {
  const { review, entries, editBaseUrl } = opts;
  requireAdminToken(app, opts.token);
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const editUrl = (file: string) => (editBaseUrl ? `${editBaseUrl.replace(/\/?$/, '/')}${file}` : undefined);
  const describeEntry = (id: string): Omit<EntryLink, 'id'> | undefined => {
    const entry = entries.get(id);
    if (!entry) return undefined;
    const url = editUrl(entry.file);
    return { title: entry.title, file: entry.file, ...(url ? { url } : {}) };
  };
  const security = [{ adminToken: [] }];

  typed.get(
    '/v1/admin/review',
    {
      schema: {
        tags: ['admin'],
        summary: '运营复核：点踩、超出范围、理解置信度低、重问或纠正、模型回退的轮次，附前后对话和引用条目',
        description: '需要 Authorization: Bearer <ADMIN_TOKEN>。format=csv 时返回 text/csv（UTF-8，带 BOM），列与 JSON 字段对应。',
        security,
        querystring: reviewQuerySchema,
        response: {
          200: {
            description: '需要复核的轮次（最新的在前）',
            content: { 'application/json': { schema: reviewResponseSchema }, 'text/csv': { schema: z.string() } },
          },
          400: badQuery,
          401: unauthorized,
          429: rateLimited,
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      // This instance's queued writes land first, so a turn just answered is already listed.
      await review.flush();
      const result = await listReview(review.store, { ...rangeOf(query), ...pick(query), limit: query.limit }, describeEntry);
      if (query.format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="review-${chinaToday()}.csv"`);
        return reply.send(reviewCsv(result.items));
      }
      return result;
    },
  );

  typed.get(
    '/v1/admin/review/drafts',
    {
      schema: {
        tags: ['admin'],
        summary: '把所选会话导出为评测用例草稿（YAML，期望留给运营人员填写）',
        description: '筛选参数同 /v1/admin/review。每个会话一个用例；出问题的轮次带 todo 行，填写期望并删除 todo 后放入 eval/cases/ 即成为回归用例。',
        security,
        querystring: reviewQuerySchema.omit({ format: true, limit: true }),
        response: {
          200: { description: '用例草稿', content: { 'text/yaml': { schema: z.string() } } },
          400: badQuery,
          401: unauthorized,
          404: notFound,
          429: rateLimited,
        },
      },
    },
    async (request, reply) => {
      const query = { ...request.query, format: 'json' as const, limit: 1000 };
      await review.flush();
      const { records } = await findFlagged(review.store, { ...rangeOf(query), ...pick(query) });
      const drafts = await evalDrafts(review.store, records, { generatedAt: new Date().toISOString(), selection: describeSelection(query) });
      if (drafts.cases === 0) throw new DomainError('NOT_FOUND', 404, '所选范围内没有需要复核的会话。');
      reply.header('content-type', 'text/yaml; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="review-drafts-${chinaToday()}.yaml"`);
      return reply.send(drafts.yaml);
    },
  );

  typed.get(
    '/v1/admin/entries/:id',
    {
      schema: {
        tags: ['admin'],
        summary: '一个知识条目的文件路径、出处和正文（复核时查看被引用的条目）',
        security,
        params: entryParamsSchema,
        response: { 200: entryDetailSchema, 400: badQuery, 401: unauthorized, 404: notFound, 429: rateLimited },
      },
    },
    async (request) => {
      const entry = entries.get(request.params.id);
      if (!entry) throw new DomainError('NOT_FOUND', 404, `知识库中没有条目 ${request.params.id}（可能已改名或删除）。`);
      const url = editUrl(entry.file);
      return {
        id: entry.id,
        title: entry.title,
        topic: entry.topic,
        file: entry.file,
        ...(url ? { url } : {}),
        verification: entry.verification,
        verificationLabel: verificationLabels[entry.verification],
        scope: entry.scope,
        effective: entry.effective,
        ...(entry.expires ? { expires: entry.expires } : {}),
        reviewed: entry.reviewed,
        source: entry.source.map(formatSource).join('；'),
        body: entry.body,
      };
    },
  );
}

function pick(query: ReviewQuery): { reason?: ReviewQuery['reason']; intent?: ReviewQuery['intent'] } {
  return { ...(query.reason ? { reason: query.reason } : {}), ...(query.intent ? { intent: query.intent } : {}) };
}
