import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import type { Services } from '../../services.js';
import { chatRequestSchema, parseChatRequest, sessionIdPattern } from '../chat-request.js';
import { chatResponseSchema, errorResponseSchema } from '../chat-response-schema.js';

const feedbackSchema = z
  .object({
    sessionId: z.string().regex(sessionIdPattern),
    turn: z.number().int().min(1).max(100_000),
    rating: z.enum(['up', 'down']),
    comment: z.string().max(500).optional(),
  })
  .meta({ examples: [{ sessionId: 'demo-1', turn: 2, rating: 'down', comment: '没说清楚要带什么材料' }] });

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
        response: { 200: chatResponseSchema, 400: errorResponseSchema },
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
    { schema: { tags: ['chat'], summary: '对某一轮回答点赞或点踩', body: feedbackSchema } },
    async (request, reply) => {
      await services.chat.feedback(request.body);
      services.metrics.feedback.inc({ rating: request.body.rating });
      // The session has the rating; the review record gets it too (a failing review store only logs).
      await services.review?.feedback(request.body);
      return reply.status(204).send();
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    chatIntent?: string;
    chatAnsweredBy?: string;
  }
}
