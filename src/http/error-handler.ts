import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type ErrorCode } from '../errors.js';

const byFastifyCode: Record<string, { code: ErrorCode; status: number; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', status: 400, message: '请求体不是有效的 JSON，请检查格式。' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', status: 400, message: '请求体为空，请以 JSON 格式发送内容。' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413, message: '请求内容过大，请精简后再发送。' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, message: '不支持的内容类型，请使用 application/json。' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', status: 400, message: '请求长度与声明不符。' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, message: '不支持的内容类型。' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', status: 400, message: '请求地址格式有误。' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'BAD_REQUEST', status: 400, message: '请求无法处理。' },
};

const byStatus: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: 'BAD_REQUEST', message: '请求有误，请检查后重试。' },
  401: { code: 'UNAUTHORIZED', message: '未通过身份验证。' },
  403: { code: 'FORBIDDEN', message: '没有访问权限。' },
  404: { code: 'NOT_FOUND', message: '没有找到请求的内容。' },
  405: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法。' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大，请精简后再发送。' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型，请使用 application/json。' },
  429: { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试。' },
  503: { code: 'OVERLOADED', message: '服务繁忙，请稍后再试。' },
};

const fieldNames: Record<string, string> = {
  message: '消息内容（message）',
  sessionId: '会话编号（sessionId）',
};

/** Turns a zod/ajv validation failure into one Chinese sentence naming the field. */
export function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0] as { instancePath?: string; message?: string; params?: Record<string, unknown> } | undefined;
  const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const context = error.validationContext === 'querystring' ? '查询参数' : error.validationContext === 'params' ? '路径参数' : '请求参数';
  if (!path) return `${context}有误，请检查必填字段和类型。`;
  const label = fieldNames[path] ?? path;
  return `${context} ${label} 不符合要求，请检查类型和取值。`;
}

/**
 * The one error handler: DomainErrors become their own status and body; Fastify's client errors
 * get a Chinese message; anything unexpected is logged and answered with a generic 500 that never
 * leaks internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (DomainError.isInstance(error)) {
      if (error.status >= 500) request.log.error({ err: error }, 'domain error');
      return reply.status(error.status).send(error.toBody());
    }
    if (error.validation) {
      return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: describeValidation(error) } });
    }
    const known = error.code ? byFastifyCode[error.code] : undefined;
    if (known) return reply.status(known.status).send({ error: { code: known.code, message: known.message } });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const generic = byStatus[status] ?? byStatus[400]!;
      return reply.status(status).send({ error: { code: generic.code, message: generic.message } });
    }
    if (status === 503) return reply.status(503).send({ error: byStatus[503] });
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务内部出现问题，请稍后再试。' } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `没有这个接口：${request.method} ${request.url.split('?')[0]}` } });
  });
}
