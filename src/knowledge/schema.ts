import { z } from 'zod';

/** ISO calendar date, YYYY-MM-DD. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '不是有效日期');

export const topics = [
  'transfer', // whether/how the relationship moves, three situations, preconditions
  'balance', // what happens to the personal-account balance in a move
  'timeline', // stage time limits
  'arrears', // gaps, back-payment, late fees
  'waiting', // waiting periods before benefits
  'payout', // paying the balance out
  'retiree_credit', // monthly credit into retirees' accounts
  'retiree', // retirees: 异地安置 / 长期居住 filing instead of transfer
  'personal_account', // funding and uses of the account, family sharing
  'materials', // what to bring
  'online', // where / how to apply online and offline, progress queries
  'hotline', // 12393 / 12333
  'legal_basis', // statutes and regulations
  'history', // superseded procedures (why articles say 45 days)
  'correction', // what a web article gets wrong
  'residents', // 居民医保 specifics (enrolment, newborns, incentives)
  'calendar', // working days and holiday schedules
  'scope', // what the assistant covers
] as const;
export type Topic = (typeof topics)[number];

export const confidences = ['official', 'secondary', 'local', 'seed-only'] as const;
export type Confidence = (typeof confidences)[number];

export const sourceSchema = z.object({
  /** Title of the document or page. */
  title: z.string().min(2),
  /** Document number such as 医保办发〔2021〕43号. */
  docNumber: z.string().min(2).optional(),
  /** Article / section, e.g. "第32条" or "二（一）". */
  article: z.string().min(1).optional(),
  issuer: z.string().min(2).optional(),
  /** Date of issue or publication. */
  date: isoDate.optional(),
  url: z.string().url().optional(),
  /** How the text was read (e.g. "转载全文", "新华社报道"); shown to reviewers, not users. */
  via: z.string().optional(),
});
export type Source = z.infer<typeof sourceSchema>;

export const scopeSchema = z
  .object({
    level: z.enum(['national', 'province', 'city']),
    /** 6-digit GB/T 2260 codes of the provinces or cities the entry applies to. */
    regions: z.array(z.string().regex(/^\d{6}$/, '地区代码须为6位数字')).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.level === 'national' && s.regions.length > 0)
      ctx.addIssue({ code: 'custom', message: '全国范围的条目不应带地区代码', path: ['regions'] });
    if (s.level !== 'national' && s.regions.length === 0)
      ctx.addIssue({ code: 'custom', message: '省级或市级条目必须给出地区代码', path: ['regions'] });
  });
export type Scope = z.infer<typeof scopeSchema>;

/** Front matter of one knowledge entry (one fact-bearing unit). */
export const entryMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id 只能用小写字母、数字和连字符'),
    title: z.string().min(4),
    topic: z.enum(topics),
    /** Secondary topics this entry also answers. */
    alsoTopics: z.array(z.enum(topics)).default([]),
    scope: scopeSchema,
    confidence: z.enum(confidences),
    source: z.array(sourceSchema).min(1, '至少需要一个来源'),
    /** Date the rule took effect; null when unknown (say so rather than guess). */
    effective: isoDate.nullable(),
    /** Date the rule stopped applying, if known (e.g. a measure with a fixed term). */
    expires: isoDate.optional(),
    reviewed: isoDate,
    /** For correction entries: the wrong claim, in short, and which seed articles make it. */
    corrects: z
      .object({ claim: z.string().min(2), seeds: z.array(z.string()).default([]) })
      .optional(),
    /** Extra search terms (colloquial forms); not shown to users. */
    keywords: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.topic === 'correction' && !e.corrects)
      ctx.addIssue({ code: 'custom', message: '纠错条目必须有 corrects 字段', path: ['corrects'] });
    if (e.expires && e.effective && e.expires < e.effective)
      ctx.addIssue({ code: 'custom', message: '失效日期早于生效日期', path: ['expires'] });
  });
export type EntryMeta = z.infer<typeof entryMetaSchema>;

export interface KnowledgeEntry extends EntryMeta {
  /** Markdown body in our own words. */
  body: string;
  /** First paragraph of the body, plain text: the snippet shown with a citation. */
  summary: string;
  /** Path relative to the project root, for error messages and reviewers. */
  file: string;
}

/** Short human-readable source line, e.g. "医保办发〔2021〕43号 第3条（国家医保局办公室 财政部办公厅，2021-11-01）". */
export function formatSource(s: Source): string {
  const head = [s.docNumber ?? s.title, s.article].filter(Boolean).join(' ');
  const tail = [s.issuer, s.date].filter(Boolean).join('，');
  const title = s.docNumber ? `《${s.title.replace(/^《|》$/g, '')}》` : '';
  return `${title}${head}${tail ? `（${tail}）` : ''}`;
}
