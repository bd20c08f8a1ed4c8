import { z } from 'zod';
import { intents } from '../src/dialogue/types.js';

/** Tool names a turn may require in `toolCalls[].name`. */
export const toolNames = [
  'working_days',
  'transfer_timeline',
  'resolve_region',
  'transfer_eligibility',
  'arrears',
  'payout',
  'retiree_credit',
] as const;

/** What a case exercises; the report counts cases per category. */
export const categories = [
  'transfer',
  'retiree',
  'guangdong',
  'provincial',
  'timeline',
  'working_days',
  'arrears',
  'payout',
  'retiree_credit',
  'materials',
  'online',
  'hotline',
  'legal_basis',
  'seed_error',
  'dialogue',
  'greeting',
  'out_of_scope',
  'injection',
  'personal_data',
  'bad_input',
] as const;
export type Category = (typeof categories)[number];

const regexSource = z
  .string()
  .min(1, '正则表达式不能为空')
  .superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `正则表达式无效：${(err as Error).message}` });
    }
  });

const entryId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, '知识条目 id 只能用小写字母、数字和连字符');

const slotValue = z.union([z.string().min(1), z.number(), z.boolean()]);

/**
 * One user turn and what the reply must show. A turn with a non-200 `status` is a bad-input turn:
 * it may send a raw `body`, a JSON `payload` or a `sessionId` override, and only the status and
 * the error body are checked.
 */
export const turnSchema = z
  .object({
    /** The message, sent as `{"sessionId", "message"}`. */
    user: z.string().optional(),
    /** Repeat `user` this many times (for over-long messages). */
    repeat: z.number().int().min(2).max(10_000).optional(),
    /** Raw request body sent as-is with `Content-Type: application/json` (malformed JSON). */
    body: z.string().optional(),
    /** A JSON request body sent instead of `{sessionId, message}` (wrong types, missing fields). */
    payload: z.unknown().optional(),
    /** Session id sent instead of the case's own (for bad session ids). */
    sessionId: z.string().optional(),
    /** Expected HTTP status; 200 when absent. */
    status: z.number().int().min(100).max(599).default(200),
    intent: z.union([z.enum(intents), z.array(z.enum(intents)).min(1)]).optional(),
    /** Regexes that must all match the reply (raw, figures normalised, or dates normalised). */
    facts: z.array(regexSource).default([]),
    /** Regexes none of which may match the reply in any of its forms. */
    forbidden: z.array(regexSource).default([]),
    /** Entry ids of which at least one must be cited. */
    citations: z.array(entryId).min(1).optional(),
    /** Further entry ids that are relevant to the turn (count as precise, not required). */
    alsoRelevant: z.array(entryId).default([]),
    /** Expected slot values after this turn, e.g. {fromCity: 烟台, insuranceType: employee}. */
    slots: z.record(z.string(), slotValue).optional(),
    /** Tool names that must appear in `toolCalls`. */
    tools: z.array(z.enum(toolNames)).default([]),
    /** Facts the bot must ask for in this reply; `a|b` accepts either. */
    needs: z.array(z.string().min(1)).default([]),
    /** The right answer declines (out of scope, no source, no invented number). */
    negative: z.boolean().default(false),
    /** Why the turn exists, for a reader of a failure. */
    note: z.string().optional(),
    /**
     * Left by `npm run review:export` on a turn whose expectations an operator has yet to write;
     * a case file with one is refused, so an unfinished draft never passes as a test.
     */
    todo: z.string().optional(),
  })
  .strict()
  .superRefine((turn, ctx) => {
    if (turn.todo !== undefined)
      ctx.addIssue({ code: 'custom', message: '这一轮是复核导出的草稿，期望尚未填写：写好期望后删除 todo 一行', path: ['todo'] });
    const inputs = [turn.user !== undefined, turn.body !== undefined, turn.payload !== undefined].filter(Boolean);
    if (inputs.length !== 1)
      ctx.addIssue({ code: 'custom', message: '每一轮须且只能给出 user、body、payload 之一', path: ['user'] });
    if (turn.repeat !== undefined && turn.user === undefined)
      ctx.addIssue({ code: 'custom', message: 'repeat 只能与 user 一起使用', path: ['repeat'] });
    if (turn.status === 200) {
      if (turn.body !== undefined || turn.payload !== undefined)
        ctx.addIssue({ code: 'custom', message: 'body/payload 只用于错误输入，须同时给出非 200 的 status', path: ['status'] });
      return;
    }
    const answerChecks = ['intent', 'citations', 'slots'] as const;
    for (const key of answerChecks)
      if (turn[key] !== undefined)
        ctx.addIssue({ code: 'custom', message: `status 为 ${turn.status} 的轮次不检查 ${key}`, path: [key] });
    if (turn.facts.length || turn.forbidden.length || turn.tools.length || turn.needs.length || turn.negative)
      ctx.addIssue({ code: 'custom', message: `status 为 ${turn.status} 的轮次只检查状态码和错误体`, path: ['status'] });
  });

export type Turn = z.output<typeof turnSchema>;

export const caseSchema = z
  .object({
    /** Unique across all files; becomes part of the session id, so short and URL-safe. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,44}$/, 'id 须为小写字母、数字和连字符，最多45个字符'),
    category: z.enum(categories).optional(),
    title: z.string().min(2),
    turns: z.array(turnSchema).min(1, '至少需要一轮'),
  })
  .strict();

export const caseFileSchema = z
  .object({
    /** Default category of the file's cases. */
    category: z.enum(categories),
    cases: z.array(caseSchema).min(1, '至少需要一个用例'),
  })
  .strict();

export interface EvalCase {
  id: string;
  category: Category;
  title: string;
  /** File the case came from, relative to the project root. */
  file: string;
  turns: Turn[];
}
