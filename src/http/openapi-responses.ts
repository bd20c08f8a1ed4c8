import { z } from 'zod';

/**
 * Response schemas for /docs: every status a route can answer, each with its description and an
 * example, so an integrator sees the error bodies as well as the successes. The bodies are the
 * error handler's `{"error":{"code","message", …}}`; a test walks /docs/json and checks that each
 * route answers only documented statuses, with bodies that match.
 */

interface ErrorExample {
  code: string;
  message: string;
  [extra: string]: unknown;
}

/** An error response: its description and examples of the body. */
export function errorResponse(description: string, ...examples: ErrorExample[]) {
  return z
    .object({
      error: z
        .object({
          code: z.string().describe('稳定的错误代码（英文大写），供程序判断'),
          message: z.string().describe('中文说明，可直接展示给用户'),
        })
        .catchall(z.unknown())
        .describe('错误；地区错误另有 suggestions（404）或 candidates（409）'),
    })
    .meta({ description, examples: examples.map((error) => ({ error })) });
}

export const badRequest = errorResponse(
  '请求有误：JSON 格式、必填字段、类型或取值不符合要求',
  { code: 'VALIDATION_FAILED', message: '请求参数 days 不符合要求，请检查类型和取值。' },
  { code: 'INVALID_JSON', message: '请求体不是有效的 JSON，请检查格式。' },
);

export const payloadTooLarge = errorResponse('请求体超过 64 KB', { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大，请精简后再发送。' });

export const unsupportedMediaType = errorResponse('请求体不是 application/json', { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型，请使用 application/json。' });

export const rateLimited = errorResponse('同一客户端请求过于频繁（每分钟上限见 RATE_LIMIT_MAX）；响应头 retry-after 给出等待秒数', {
  code: 'RATE_LIMITED',
  message: '请求过于频繁，请稍后再试。',
});

export const overloaded = errorResponse('服务过载或正在关闭，暂不接收新请求；响应头 retry-after 给出建议等待秒数', {
  code: 'OVERLOADED',
  message: '服务繁忙，请稍后再试。',
});

export const regionNotFound = errorResponse('地名无法识别；suggestions 列出相近的地名', {
  code: 'REGION_NOT_FOUND',
  message: '没有找到地区“火星”，请换个说法或说出所在的市',
  suggestions: ['新星市', '七星区'],
});

export const regionAmbiguous = errorResponse('地名对应多个地区；candidates 列出可选的地区', {
  code: 'REGION_AMBIGUOUS',
  message: '“朝阳”对应多个地区，请说明是哪一个',
  candidates: [
    { name: '朝阳市', city: '朝阳市', province: '辽宁省', code: '211300' },
    { name: '朝阳区', city: '北京市', province: '北京市', code: '110105' },
  ],
});

export const dateOutOfRange = errorResponse('日期超出工作日历覆盖的年份：不作推算', {
  code: 'DATE_OUT_OF_RANGE',
  message: '日期 2031-04-28 超出工作日历覆盖的年份（2024–2026 年）。这些年份以外的节假日和调休安排尚未核实，因此不作推算；请以当年国务院办公厅发布的节假日安排为准，或向经办机构确认。',
  date: '2031-04-28',
  coveredFrom: 2024,
  coveredTo: 2026,
});

/** What every rate-limited JSON POST route can answer besides its own statuses. */
export const jsonPostErrors = { 400: badRequest, 413: payloadTooLarge, 415: unsupportedMediaType, 429: rateLimited, 503: overloaded } as const;

/** What every rate-limited GET route can answer besides its own statuses. */
export const getErrors = { 400: badRequest, 429: rateLimited, 503: overloaded } as const;

/** A response without a body: the description only (zod has no schema for "no content"). */
export const noContent = (description: string) => z.null().meta({ description, [NO_CONTENT]: true });

const NO_CONTENT = 'x-no-content';

type MediaType = { schema?: Record<string, unknown>; example?: unknown; examples?: Record<string, { value: unknown }> };
type OpenApiDocument = { paths?: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: Record<string, MediaType> }> }>> };

/**
 * Last touches on the generated document (@fastify/swagger's transformObject): responses marked
 * by noContent lose their body, and examples that stayed inside a non-JSON schema (OpenAPI 3.0
 * schemas have no `examples`) move to the media type, where viewers show them.
 */
export function finishOpenApiDocument<T>(document: T): T {
  for (const operations of Object.values((document as OpenApiDocument).paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        if (Object.values(response.content ?? {}).some((media) => media.schema?.[NO_CONTENT])) {
          delete response.content;
          continue;
        }
        for (const media of Object.values(response.content ?? {})) {
          const inSchema = media.schema?.examples;
          if (media.example !== undefined || media.examples || !Array.isArray(inSchema)) continue;
          media.examples = Object.fromEntries(inSchema.map((value, i) => [`example${i + 1}`, { value }]));
          delete media.schema!.examples;
        }
      }
    }
  }
  return document;
}
