import type { Redis } from 'ioredis';
import { MemorySessionStore, type SessionStore } from '../dialogue/session.js';
import { closeRedisClient, createRedisClient, waitForRedis, type SessionLog } from './redis-client.js';
import { RedisSessionStore } from './redis-store.js';
import { PeerDirectory } from './peer-directory.js';
import { ResilientSessionStore, type StoreOperation } from './resilient-store.js';

/** Turns kept per stored session (the total is in `turnCount`). */
export const MAX_STORED_TURNS = 20;

export interface SessionStoreSettings {
  REDIS_URL?: string | undefined;
  SESSION_MAX: number;
  SESSION_TTL_SECONDS: number;
}

export interface CreatedSessionStore {
  store: SessionStore;
  /** The shared connection (also used by the rate limiter), when Redis is configured. */
  redis?: Redis;
  /** The other instances, for reading their copies of a session while Redis is down. */
  peers?: PeerDirectory;
}

/**
 * Memory sessions by default; with REDIS_URL, Redis sessions behind the resilient wrapper (memory
 * copy, fallback, write-back). Waits briefly for the first connection so that a healthy start does
 * not begin in fallback; a Redis that is down at start-up does not stop the service.
 */
export async function createSessionStore(
  settings: SessionStoreSettings,
  log: SessionLog,
  hooks: { onFallback?: (operation: StoreOperation) => void } = {},
): Promise<CreatedSessionStore> {
  const memory = new MemorySessionStore({ maxSessions: settings.SESSION_MAX, ttlSeconds: settings.SESSION_TTL_SECONDS, maxTurns: MAX_STORED_TURNS });
  if (!settings.REDIS_URL) return { store: memory };
  const redis = createRedisClient(settings.REDIS_URL, log);
  if (!(await waitForRedis(redis, 2000))) log.warn({}, 'Redis not reachable at start-up; sessions start in memory and move to Redis when it answers');
  const peers = new PeerDirectory({ client: redis, log });
  const resilient = new ResilientSessionStore({
    primary: new RedisSessionStore({ client: redis, ttlSeconds: settings.SESSION_TTL_SECONDS, maxTurns: MAX_STORED_TURNS }),
    fallback: memory,
    log,
    maxPending: settings.SESSION_MAX,
    peerCopies: (id) => peers.copiesOf(id),
    ...(hooks.onFallback ? { onFallback: hooks.onFallback } : {}),
  });
  // Sessions saved to memory during an outage go back to Redis as soon as it is reachable again.
  redis.on('ready', () => void resilient.flushPending());
  const store: SessionStore = {
    kind: resilient.kind,
    get: (id) => resilient.get(id),
    save: (session) => resilient.save(session),
    size: () => resilient.size(),
    localCopy: (id) => resilient.localCopy(id),
    // The connection's own state tells the truth even when no turn has touched Redis lately.
    health: () => {
      const h = resilient.health();
      return { ...h, sharedAvailable: h.sharedAvailable && redis.status === 'ready' };
    },
    close: async () => {
      await peers.stop();
      await resilient.close();
      await closeRedisClient(redis);
    },
  };
  return { store, redis, peers };
}
