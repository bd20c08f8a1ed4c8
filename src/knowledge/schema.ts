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

/**
 * How a fact was verified — one of the two labels a user sees on a citation (the other is where and
 * when it applies: scope plus effective / expires). An entry that mixes verbatim phrases with
 * paraphrase carries the label of its weakest part.
 */
export const verifications = [
  'original', // 原文: the issuer's own page (or a capture of it) was read
  'verbatim-reprint', // 原文转载: a verbatim reprint or a verbatim legal compilation was read
  'quoted-phrases', // 官方摘句: only phrases of the official wording, quoted with the document number
  'report', // 报道转述: news, a local guide or other paraphrase; the official wording was not read
  'draft', // 征求意见稿: a consultation draft, not a rule in force
  'not-found', // 未查到规定: the finding is that no rule was found
] as const;
export type Verification = (typeof verifications)[number];

/** What the user sees for each verification label. */
export const verificationLabels: Readonly<Record<Verification, string>> = {
  original: '原文',
  'verbatim-reprint': '原文转载',
  'quoted-phrases': '官方摘句',
  report: '报道转述（未读到原文）',
  draft: '征求意见稿（非正式规定）',
  'not-found': '未查到规定',
};

/** True when the official wording itself was read (in full, in a verbatim reprint, or as quoted phrases). */
export const isVerifiedText = (v: Verification): boolean => v === 'original' || v === 'verbatim-reprint' || v === 'quoted-phrases';

/**
 * The coarse label of HTTP contract v1 (`confidence` on citations and tool sources), kept for
 * existing clients and derived from `verification` so the two never disagree: official when the
 * official wording was read, secondary otherwise.
 */
export const confidences = ['official', 'secondary'] as const;
export type Confidence = (typeof confidences)[number];
export const confidenceOf = (v: Verification): Confidence => (isVerifiedText(v) ? 'official' : 'secondary');

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
    /** How the fact was verified (see `verifications`). */
    verification: z.enum(verifications),
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
    // A province-level entry names provinces; a city-level entry names cities, not whole provinces.
    e.scope.regions.forEach((code, i) => {
      if (e.scope.level === 'province' && !code.endsWith('0000'))
        ctx.addIssue({ code: 'custom', message: `省级条目的地区代码 ${code} 不是省级代码`, path: ['scope', 'regions', i] });
      if (e.scope.level === 'city' && code.endsWith('0000'))
        ctx.addIssue({ code: 'custom', message: `市级条目的地区代码 ${code} 是省级代码`, path: ['scope', 'regions', i] });
    });
  });
export type EntryMeta = z.infer<typeof entryMetaSchema>;

export interface KnowledgeEntry extends EntryMeta {
  /** Markdown body in our own words. */
  body: string;
  /** First paragraph of the body, plain text: the snippet shown with a citation. */
  summary: string;
  /** Path relative to the project root, for error messages and reviewers. */
  file: string;
  /** Names of the scope's regions ("上海市", "威海市"); empty for national entries. */
  places: string[];
}

/** Short human-readable source line, e.g. "医保办发〔2021〕43号 第3条（国家医保局办公室 财政部办公厅，2021-11-01）". */
export function formatSource(s: Source): string {
  const head = [s.docNumber ?? s.title, s.article].filter(Boolean).join(' ');
  const tail = [s.issuer, s.date].filter(Boolean).join('，');
  const title = s.docNumber ? `《${s.title.replace(/^《|》$/g, '')}》` : '';
  return `${title}${head}${tail ? `（${tail}）` : ''}`;
}
