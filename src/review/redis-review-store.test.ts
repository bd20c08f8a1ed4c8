import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js';
import type { TurnEvent } from '../dialogue/chat-engine.js';
import { closeRedisClient, createRedisClient, waitForRedis } from '../sessions/redis-client.js';
import { REVIEW_KEY_PREFIX, RedisReviewStore } from './redis-review-store.js';
import { testRecord } from './test-records.js';
import { ReviewRecorder } from './review-recorder.js';
import { DAY_MS } from './review-store.js';

const quiet = { info: () => {}, warn: () => {} };
const NOW = Date.now();


let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = createRedisClient(redis.url, quiet);
  expect(await waitForRedis(client, 5000)).toBe(true);
});
afterAll(async () => {
  await closeRedisClient(client);
  await redis?.stop();
});

describe('the review store on Redis', () => {
  it('keeps each turn as one key expiring with its retention, and indexes only flagged turns', async () => {
    const store = new RedisReviewStore({ client, retentionDays: 30 });
    await store.save(testRecord('r1', 1, NOW - 2000));
    await store.save(testRecord('r1', 2, NOW - 1000, ['out_of_scope']));
    const ttl = await client.pttl(`${REVIEW_KEY_PREFIX}turn:r1:1`);
    expect(ttl).toBeGreaterThan(29 * DAY_MS);
    expect(ttl).toBeLessThanOrEqual(30 * DAY_MS);
    expect(await client.zrange(`${REVIEW_KEY_PREFIX}flagged`, 0, '-1')).toEqual(['r1:2']);
    expect((await store.flagged({ sinceMs: NOW - 5000, untilMs: NOW }, 10)).map((r) => r.turn)).toEqual([2]);
    expect((await store.turns('r1', 0, 3)).map((r) => r.turn)).toEqual([1, 2]);
  });

  it('moves a turn in and out of the index as its reasons change, and trims the index to retention', async () => {
    const store = new RedisReviewStore({ client, retentionDays: 7, prefix: 'yb:review-t2:' });
    await store.save(testRecord('r2', 1, NOW - 1000));
    await store.save({ ...testRecord('r2', 1, NOW - 1000, ['thumbs_down']), rating: 'down', comment: '没说清楚' });
    expect((await store.get('r2', 1))?.comment).toBe('没说清楚');
    expect((await store.flagged({ sinceMs: 0, untilMs: NOW }, 10)).map((r) => r.turn)).toEqual([1]);
    await store.save({ ...testRecord('r2', 1, NOW - 1000), rating: 'up' });
    expect(await store.flagged({ sinceMs: 0, untilMs: NOW }, 10)).toEqual([]);

    await client.zadd('yb:review-t2:flagged', NOW - 8 * DAY_MS, 'aged:1');
    await store.save(testRecord('r2', 2, NOW, ['low_confidence']));
    expect(await client.zrange('yb:review-t2:flagged', 0, '-1')).toEqual(['r2:2']);
  });

  it('lets a turn go unrecorded when Redis is down, logging once per outage, without holding anything up', async () => {
    const own = await startRedisServer();
    const ownClient = createRedisClient(own.url, quiet);
    expect(await waitForRedis(ownClient, 5000)).toBe(true);
    const warnings: string[] = [];
    let lost = 0;
    const recorder = new ReviewRecorder({
      store: new RedisReviewStore({ client: ownClient, retentionDays: 30 }),
      lowConfidence: 0.3,
      log: { warn: (_obj, msg) => warnings.push(msg), info: () => {} },
      onLost: () => (lost += 1),
    });
    const event = (turn: number): TurnEvent => ({
      intent: 'out_of_scope',
      answeredBy: 'rules',
      latencyMs: 1,
      record: {
        sessionId: 'down-1',
        turn,
        at: new Date().toISOString(),
        question: '讲个笑话',
        reply: '抱歉，这个问题不在我的回答范围内。',
        understood: { intent: 'out_of_scope', confidence: 0.67 },
        corrections: [],
        changedSlots: [],
        answeredYesNo: false,
        citations: ['scope-what-we-cover'],
        slots: {},
        needs: [],
      },
    });
    try {
      await own.kill();
      recorder.record(event(1));
      recorder.record(event(2));
      await recorder.flush();
      expect(lost).toBe(2);
      expect(warnings).toEqual(['review store: a turn was not recorded']);

      await own.restart();
      expect(await waitForRedis(ownClient, 5000)).toBe(true);
      recorder.record(event(3));
      await recorder.flush();
      expect((await recorder.store.get('down-1', 3))?.reasons).toEqual(['out_of_scope']);
    } finally {
      await closeRedisClient(ownClient);
      await own.stop();
    }
  });
});
