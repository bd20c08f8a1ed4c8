import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { DomainError } from '../../errors.js';

export const RATE_LIMITED_MESSAGE = '请求过于频繁，请稍后再试。';

export interface RateLimitOptions {
  /** Requests per client IP per window. */
  max: number;
  /** Window length in milliseconds (one minute by default). */
  timeWindowMs?: number;
  /** Counters shared by all instances when given; per-process memory otherwise. */
  redis?: Redis;
}

/**
 * Per-client-IP rate limiting on every route except those that opt out (`config.rateLimit:
 * false`: health, readiness, metrics, the WeChat callback). With Redis the count is shared by
 * all instances; a Redis failure lets the request through (`skipOnError`) rather than blocking
 * users, and fails fast because the client has no offline queue and a command timeout.
 * Behind a load balancer set Fastify's `trustProxy` so that `request.ip` is the client's.
 */
async function rateLimitPluginImpl(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.timeWindowMs ?? 60_000,
    skipOnError: true,
    nameSpace: 'yb:rl:',
    ...(options.redis ? { redis: options.redis } : {}),
    errorResponseBuilder: () => new DomainError('RATE_LIMITED', 429, RATE_LIMITED_MESSAGE),
  });
}

export const rateLimitPlugin = fp(rateLimitPluginImpl, { name: 'yb-rate-limit' });
