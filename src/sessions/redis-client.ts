import { Redis } from 'ioredis';

/** The few logger methods the session layer needs (a pino or Fastify logger fits). */
export interface SessionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RedisClientOptions {
  /** Milliseconds one command may take before it fails (and the store falls back to memory). */
  commandTimeoutMs?: number;
  /** Milliseconds a (re)connection attempt may take. */
  connectTimeoutMs?: number;
  /** Upper bound of the pause between reconnection attempts. */
  maxReconnectDelayMs?: number;
}

/**
 * An ioredis client that fails fast instead of hanging: no offline queue (ioredis would otherwise
 * hold every command while disconnected, and with it the HTTP request), a short connect timeout,
 * at most one retry and a per-command timeout. It keeps reconnecting forever, so a Redis that
 * comes back is used again without a restart. Connection errors are logged once per outage and
 * never crash the process.
 */
export function createRedisClient(url: string, log: SessionLog, options: RedisClientOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    // Generous enough that a saturated event loop (timers fire before pending replies are read)
    // does not turn a healthy Redis into a false outage; a dead Redis fails at once anyway.
    commandTimeout: options.commandTimeoutMs ?? 1000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * times, maxDelay),
    // A ready check would queue INFO behind a disabled offline queue; connection state is enough.
    enableReadyCheck: false,
    lazyConnect: false,
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({}, 'Redis connection restored');
  });
  return client;
}

/** Resolves when the client is connected or after `timeoutMs`, whichever comes first. */
export async function waitForRedis(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/** Closes the connection politely, or drops it when Redis does not answer in time. */
export async function closeRedisClient(client: Redis, timeoutMs = 500): Promise<void> {
  if (client.status === 'end') return;
  const quit = client.quit().then(
    () => true,
    () => false,
  );
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  if (!(await Promise.race([quit, timedOut]))) client.disconnect();
}
