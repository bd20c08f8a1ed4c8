import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const OVERLOADED_MESSAGE = '服务繁忙，请稍后再试。';

export interface UnderPressureOptions {
  maxEventLoopDelayMs?: number;
  maxHeapUsedBytes?: number;
  maxRssBytes?: number;
  /** Event-loop utilisation limit (0 to 1); off unless set. */
  maxEventLoopUtilization?: number;
  /** How often the process is sampled. */
  sampleIntervalMs?: number;
  /** Seconds a client is asked to wait (`retry-after`). */
  retryAfterSeconds?: number;
}

/** Liveness keeps answering under pressure, so an overloaded process is drained, not killed. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/metrics']);

/**
 * Load shedding: while the event loop lags more than a second or memory passes its bounds, new
 * requests get 503 with a Chinese message and `retry-after` instead of queueing (limits as in
 * fastify/demo). /readyz is shed too, so a load balancer stops sending traffic. No status route.
 * No event-loop-utilisation limit: a CPU-bound service at full use still answers in time, and
 * shedding it would turn a busy minute into errors.
 */
async function underPressurePluginImpl(app: FastifyInstance, options: UnderPressureOptions): Promise<void> {
  const retryAfter = options.retryAfterSeconds ?? 5;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs ?? 1000,
    maxHeapUsedBytes: options.maxHeapUsedBytes ?? 1024 * 1024 * 1024,
    maxRssBytes: options.maxRssBytes ?? 1536 * 1024 * 1024,
    // Utilisation near 1 is normal for a busy but healthy process (and for in-process tests);
    // shed on event-loop delay and memory instead, unless a deployment sets this explicitly.
    maxEventLoopUtilization: options.maxEventLoopUtilization ?? 0,
    exposeStatusRoute: false,
    ...(options.sampleIntervalMs ? { sampleInterval: options.sampleIntervalMs } : {}),
    pressureHandler: (request, reply) => {
      // Not sending lets the request through; sending ends it here (the plugin's contract).
      if (ALWAYS_ANSWERED.has(request.routeOptions.url ?? '')) return;
      void reply.status(503).header('retry-after', String(retryAfter)).send({ error: { code: 'OVERLOADED', message: OVERLOADED_MESSAGE } });
    },
  });
}

export const underPressurePlugin = fp(underPressurePluginImpl, { name: 'yb-under-pressure' });
