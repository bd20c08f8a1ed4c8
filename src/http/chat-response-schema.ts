import { z } from 'zod';
import { intents } from '../dialogue/types.js';
import { verificationLabels, verifications } from '../knowledge/schema.js';

/** How a cited fact was verified and where and when it applies (the two labels on a citation card). */
export const citationLabelsSchema = z.object({
  verification: z.enum(verifications).describe('核实方式：original 原文 / verbatim-reprint 原文转载 / quoted-phrases 官方摘句 / report 报道转述 / draft 征求意见稿 / not-found 未查到规定'),
  verificationLabel: z.enum(Object.values(verificationLabels) as [string, ...string[]]).describe('核实方式的中文标签，直接展示给用户'),
  applies: z
    .object({
      level: z.enum(['national', 'province', 'city']),
      places: z.array(z.string()).describe('适用的省或市名称；全国为空'),
      effective: z.string().nullable().describe('施行日期（YYYY-MM-DD），未核实为 null'),
      expires: z.string().nullable().describe('有定期的规定的到期日（YYYY-MM-DD）'),
      ended: z.boolean().describe('到期日已过'),
      label: z.string().describe('适用范围和施行期，例如“上海市 · 施行期2025年9月10日至2030年9月9日”'),
    })
    .describe('适用范围（全国 / 省 / 市）和施行期'),
  confidence: z.enum(['official', 'secondary']).describe('旧版粗分类，由 verification 推出：读到原文（含转载、摘句）为 official，其余为 secondary'),
});

/** A cited knowledge entry with its labels. */
const citationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    source: z.string().describe('文件名称、文号、条款、发布机关、日期'),
    snippet: z.string().describe('支持该说法的条目原文'),
    scope: z.enum(['national', 'province', 'city']),
  })
  .extend(citationLabelsSchema.shape);

/**
 * The response of POST /v1/chat, for the OpenAPI docs (responses are our own typed objects and
 * are serialised as they are; this schema documents them).
 */

export const chatResponseSchema = z
  .object({
    sessionId: z.string(),
    turn: z.number().int().describe('本轮序号（从 1 开始），用于 /v1/feedback'),
    reply: z.string().describe('中文回答，可含换行和简单列表'),
    intent: z.enum(intents),
    slots: z.record(z.string(), z.unknown()).describe('已知信息：地名为用户写法的简称（如“青岛”“江苏”），不是代码'),
    needs: z.array(z.string()).describe('本轮回答向用户追问的信息'),
    citations: z.array(citationSchema),
    figures: z.array(z.object({ text: z.string(), source: z.string().describe('tool:<工具名>、kb:<条目 id> 或 user') })),
    toolCalls: z.array(z.object({ name: z.string(), input: z.unknown(), output: z.unknown() })),
    suggestions: z.array(z.string()),
    answeredBy: z.enum(['rules', 'model']).describe('本轮回答由哪条路径措辞：规则（rules）或模型（model，已通过数字与引用校验）'),
    details: z.string().optional().describe('简短回答省略的内容：依据、沿革、各地做法（有时才有）'),
    detailsCitations: z
      .array(citationSchema).optional().describe('只有详细说明用到的引用条目'),
    replace: z.boolean().optional().describe('仅流式 done 事件：模型回答未通过校验，客户端应改用 done.reply'),
  })
  .meta({
    description: '回答：中文回复、引用的条目、每个数字的来源、调用的工具和快捷回复',
    examples: [
      {
        sessionId: 'demo-1',
        turn: 1,
        reply: '烟台市（山东省）→ 苏州市（江苏省）：跨省流动…',
        intent: 'transfer',
        slots: { fromCity: '烟台', fromProvince: '山东', toCity: '苏州', toProvince: '江苏' },
        needs: ['insuranceType'],
        citations: [],
        figures: [],
        toolCalls: [],
        suggestions: ['职工医保', '居民医保', '我已退休'],
        answeredBy: 'rules',
      },
    ],
  });
