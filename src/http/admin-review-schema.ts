import { z } from 'zod';
import { intents } from '../dialogue/types.js';
import { reviewReasons } from '../review/review-record.js';

/** Schemas of the operator review routes, for validation and the OpenAPI docs. */

const reasonDescription = '列出原因：thumbs_down 点踩；out_of_scope 超出范围；low_confidence 理解置信度低；re_asked 重问或纠正；model_fallback 模型回答未采用';

export const reviewQuerySchema = z.object({
  since: z.string().max(40).optional().describe('起始：YYYY-MM-DD（北京时间当天 0 点）或带时区的时间，如 2026-12-05T08:00:00+08:00；缺省为保留期内全部'),
  until: z.string().max(40).optional().describe('截止（含）：YYYY-MM-DD（北京时间当天结束）或带时区的时间；缺省为现在'),
  reason: z.enum(reviewReasons).optional().describe(reasonDescription),
  intent: z.enum(intents).optional().describe('只看回答为该意图的轮次'),
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('最多返回多少条（最新的在前）'),
  format: z.enum(['json', 'csv']).default('json').describe('csv：下载供电子表格使用的 CSV（UTF-8，带 BOM）'),
});

const entryLinkSchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  file: z.string().optional().describe('条目在仓库中的文件路径'),
  url: z.string().optional().describe('编辑该文件的链接（设置了 KB_EDIT_BASE_URL 时）'),
});

const contextTurnSchema = z.object({ turn: z.number().int(), at: z.string(), question: z.string(), reply: z.string(), intent: z.string() });

const reasonCountsSchema = z.object(Object.fromEntries(reviewReasons.map((r) => [r, z.number().int()])) as Record<(typeof reviewReasons)[number], z.ZodNumber>);

export const reviewItemSchema = z.object({
  sessionId: z.string(),
  turn: z.number().int(),
  at: z.string().describe('本轮时间（ISO 8601）'),
  question: z.string().describe('用户的问题（个人信息已脱敏）'),
  reply: z.string(),
  intent: z.string().describe('本轮按哪个意图回答'),
  reason: z.enum(reviewReasons).describe('本行所属原因：筛选了 reason 时为该原因，否则为 reasons 的第一个'),
  reasons: z.array(z.enum(reviewReasons)),
  rating: z.enum(['up', 'down']).optional(),
  comment: z.string().optional().describe('用户点踩时的评论（已脱敏）'),
  citations: z.array(z.string()).describe('本轮引用的知识条目 id'),
  entries: z.array(entryLinkSchema).describe('引用的条目及其文件，便于修改'),
  confidence: z.number().describe('理解置信度（0–1）'),
  understoodIntent: z.string().describe('仅凭这句话理解出的意图（未结合对话上下文）'),
  answeredBy: z.enum(['rules', 'model']),
  corrected: z.array(z.string()).describe('用户在这句话里纠正的信息'),
  reAsked: z.boolean().describe('用户重问了上一轮的问题'),
  fallback: z.string().optional().describe('模型回答未采用的原因（timeout、unbacked_figure…）'),
  slots: z.record(z.string(), z.unknown()).describe('本轮后的已知信息（办理进度）'),
  needs: z.array(z.string()),
  context: z.array(contextTurnSchema).describe('同一会话中前后几轮'),
});

export const reviewResponseSchema = z
  .object({
    items: z.array(reviewItemSchema),
    counts: reasonCountsSchema.describe('时间与意图范围内各原因的轮次数（一轮可有多个原因）'),
    truncated: z.boolean().describe('符合条件的轮次多于 limit'),
  })
  .meta({
    examples: [
      {
        items: [
          {
            sessionId: 'demo-1',
            turn: 2,
            at: '2026-12-05T06:12:40.118Z',
            question: '那转入地要多久？',
            reply: '转入地在收到信息表后5个工作日内办结。',
            intent: 'timeline',
            reason: 'thumbs_down',
            reasons: ['thumbs_down'],
            rating: 'down',
            comment: '没说从哪天算',
            citations: ['timeline-destination-5-working-days'],
            entries: [{ id: 'timeline-destination-5-working-days', title: '转入地5个工作日', file: 'knowledge/entries/timeline/timeline-destination-5-working-days.md' }],
            confidence: 0.7,
            understoodIntent: 'timeline',
            answeredBy: 'rules',
            corrected: [],
            reAsked: false,
            slots: { fromCity: '青岛', toCity: '南京' },
            needs: [],
            context: [{ turn: 1, at: '2026-12-05T06:12:20.004Z', question: '医保从青岛转到南京要多久？', reply: '…', intent: 'timeline' }],
          },
        ],
        counts: { thumbs_down: 1, out_of_scope: 0, low_confidence: 0, re_asked: 0, model_fallback: 0 },
        truncated: false,
      },
    ],
  });

export const entryParamsSchema = z.object({ id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(120) });

export const entryDetailSchema = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.string(),
  file: z.string(),
  url: z.string().optional(),
  verification: z.string().describe('核实方式'),
  verificationLabel: z.string().describe('核实方式（中文）：原文、原文转载、官方摘句、报道转述、征求意见稿、未查到规定'),
  scope: z.object({ level: z.string(), regions: z.array(z.string()) }),
  effective: z.string().nullable(),
  expires: z.string().optional(),
  reviewed: z.string(),
  source: z.string().describe('出处（文件、文号、条款、发布机关、日期）'),
  body: z.string().describe('条目正文（Markdown）'),
});
