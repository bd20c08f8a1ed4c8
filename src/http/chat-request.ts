import { z } from 'zod';
import { DomainError } from '../errors.js';

export const MAX_MESSAGE_LENGTH = 1000;
export const sessionIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** The request of POST /v1/chat and /v1/chat/stream, for the OpenAPI docs. */
export const chatRequestSchema = z
  .object({
    sessionId: z.string().regex(sessionIdPattern).optional().describe('会话编号，1–64 个字母、数字、下划线或连字符；不填则开始新会话'),
    message: z.string().min(1).max(MAX_MESSAGE_LENGTH).describe('用户消息，1–1000 字'),
  })
  .meta({ examples: [{ sessionId: 'demo-1', message: '我的医保余额能从青岛转到南京吗？' }] });

export interface ChatRequest {
  sessionId?: string;
  message: string;
}

/**
 * Validates a chat request body and names exactly what is wrong, in Chinese. Runs in the handler
 * rather than as a route schema so that each bad input gets its own error code.
 */
export function parseChatRequest(body: unknown): ChatRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new DomainError('BAD_REQUEST', 400, '请求体必须是 JSON 对象，例如 {"message": "医保能转到外地吗？"}。');
  const { sessionId, message } = body as Record<string, unknown>;
  if (message === undefined || message === null)
    throw new DomainError('VALIDATION_FAILED', 400, '缺少消息内容（message）。');
  if (typeof message !== 'string') throw new DomainError('VALIDATION_FAILED', 400, '消息内容（message）必须是文字。');
  if (message.trim() === '') throw new DomainError('EMPTY_MESSAGE', 400, '消息内容不能为空，请输入您的问题。');
  if ([...message].length > MAX_MESSAGE_LENGTH)
    throw new DomainError('MESSAGE_TOO_LONG', 400, `消息太长了（最多${MAX_MESSAGE_LENGTH}字），请精简后再发送。`);
  if (sessionId !== undefined && sessionId !== null) {
    if (typeof sessionId !== 'string' || !sessionIdPattern.test(sessionId))
      throw new DomainError('INVALID_SESSION_ID', 400, '会话编号（sessionId）格式不正确：应为1–64个字母、数字、下划线或连字符。');
    return { sessionId, message };
  }
  return { message };
}
