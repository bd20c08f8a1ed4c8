import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import type { Services } from '../../services.js';
import { chatRequestSchema, parseChatRequest, sessionIdPattern } from '../chat-request.js';
import { chatResponseSchema } from '../chat-response-schema.js';
import { errorResponse, jsonPostErrors, noContent } from '../openapi-responses.js';

const feedbackSchema = z
  .object({
    sessionId: z.string().regex(sessionIdPattern),
    turn: z.number().int().min(1).max(100_000),
    rating: z.enum(['up', 'down']),
    comment: z.string().max(500).optional(),
  })
  .meta({ examples: [{ sessionId: 'demo-1', turn: 2, rating: 'down', comment: '没说清楚要带什么材料' }] });

const sseDescription = [
  '成功：text/event-stream。事件依次为：',
  '- `delta`：data 为 {"text": "…"}，回答的一段文字，按顺序拼接即为回答；',
  '- `done`：data 为完整回答对象（与 POST /v1/chat 的 200 响应相同）；若 "replace": true，表示已流式发送的模型回答未通过数字与引用校验，客户端应改为显示 done.reply；',
  '- `error`：data 为 {"error": {"code", "message"}}，流式开始后本轮失败时发送（开始前的错误以普通 JSON 错误响应返回）。',
  '每个事件后流结束于 done 或 error。',
].join('\n');

/** The SSE stream as text, with the events' shapes in the description and a whole stream as the example. */
const sseStreamSchema = z.string().meta({
  description: 'Server-Sent Events 文本流（event: delta | done | error）',
  examples: [
    [
      'event: delta',
      'data: {"text":"烟台市（山东省）→ 苏州市（江苏省）：跨省流动。"}',
      '',
      'event: delta',
      'data: {"text":"请问您参加的是职工医保还是居民医保？"}',
      '',
      'event: done',
      'data: {"sessionId":"demo-1","turn":1,"reply":"烟台市（山东省）→ 苏州市（江苏省）：跨省流动。请问您参加的是职工医保还是居民医保？","intent":"transfer","slots":{"fromCity":"烟台","toCity":"苏州"},"needs":["insuranceType"],"citations":[],"figures":[],"toolCalls":[],"suggestions":["职工医保","居民医保"],"answeredBy":"rules"}',
      '',
    ].join('\n'),
  ],
});

/** A validator that accepts the body as it is (see parseChatRequest). */
const documentedOnly = () => (data: unknown) => ({ value: data });

/** POST /v1/chat, POST /v1/chat/stream (SSE) and POST /v1/feedback. */
export async function chatRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/v1/chat',
    {
      // The body schema documents the route; parseChatRequest validates it, with one Chinese
      // message per kind of bad input, so the schema is not run a second time.
      validatorCompiler: documentedOnly,
      schema: {
        tags: ['chat'],
        summary: '对话：发送一条消息，得到带出处和数字来源的回答',
        body: chatRequestSchema,
        response: { 200: chatResponseSchema, ...jsonPostErrors },
      },
    },
    async (request) => {
      const chatRequest = parseChatRequest(request.body);
      const response = await services.chat.handle(chatRequest);
      request.chatIntent = response.intent;
      request.chatAnsweredBy = response.answeredBy;
      // PublicSlots is an interface (no index signature); the schema documents it as a record.
      return response as unknown as z.output<typeof chatResponseSchema>;
    },
  );

  typed.post(
    '/v1/chat/stream',
    {
      // The body schema documents the route; parseChatRequest validates it, with one Chinese
      // message per kind of bad input, so the schema is not run a second time.
      validatorCompiler: documentedOnly,
      schema: {
        tags: ['chat'],
        summary: '对话（流式）：text/event-stream，先发若干 delta 事件 {"text"}，最后发 done 事件（完整回答对象）；delta 只含已通过数字核查的文字',
        body: chatRequestSchema,
        response: { 200: { description: sseDescription, content: { 'text/event-stream': { schema: sseStreamSchema } } }, ...jsonPostErrors },
      },
    },
    async (request, reply) => {
      const chatRequest = parseChatRequest(request.body);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => {
        if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      try {
        // The widget waits for the model only so long; then the rules' answer (already computed) is sent.
        const response = await services.chat.handle(chatRequest, {
          onDelta: (text) => send('delta', { text }),
          modelBudgetMs: services.config.MODEL_REPLY_BUDGET_MS,
        });
        request.chatIntent = response.intent;
        request.chatAnsweredBy = response.answeredBy;
        send('done', response);
      } catch (err) {
        request.log.error({ err }, 'stream turn failed');
        const body = DomainError.isInstance(err) ? err.toBody() : { error: { code: 'INTERNAL', message: '服务内部出现问题，请稍后再试。' } };
        send('error', body);
      } finally {
        raw.end();
      }
    },
  );

  typed.post(
    '/v1/feedback',
    {
      schema: {
        tags: ['chat'],
        summary: '对某一轮回答点赞或点踩',
        body: feedbackSchema,
        response: {
          204: noContent('已记录；无响应体'),
          404: errorResponse('会话不存在或已过期，或会话中没有这一轮', { code: 'NOT_FOUND', message: '没有找到这个会话，可能已过期。' }),
          ...jsonPostErrors,
        },
      },
    },
    async (request, reply) => {
      await services.chat.feedback(request.body);
      services.metrics.feedback.inc({ rating: request.body.rating });
      // The session has the rating; the review record gets it too (a failing review store only logs).
      await services.review?.feedback(request.body);
      return reply.status(204).send(null);
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    chatIntent?: string;
    chatAnsweredBy?: string;
  }
}
