import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from './client.js';
import { REPLY_BUDGET_MS } from '../../src/wechat/plugin.js';
import { startWechatApp, type RunningWechatApp } from './wechat-app.js';

let running: RunningWechatApp;
beforeAll(async () => {
  running = await startWechatApp();
});
afterAll(async () => {
  await running?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('wechat retries (same MsgId delivered up to three times)', () => {
  it('runs the chat once for three concurrent deliveries and gives all three the same reply', async () => {
    running.resetChatRuns();
    const message = textMessage('我从青岛调到南京工作，医保怎么转？', { FromUserName: 'oRetryConcurrent_000000000001' });
    const replies = await Promise.all([running.client.send(message), running.client.send(message), running.client.send(message)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(replies.map((r) => r.body)).size).toBe(1);
    expect(replies[0]!.fields!.Content).toMatch(/转/);
    expect(running.chatRuns()).toBe(1);
    const counter = (await running.app.services.metrics.wechatMessages.get()).values;
    const count = (outcome: string) => counter.find((v) => v.labels.type === 'text' && v.labels.outcome === outcome)?.value ?? 0;
    expect(count('answered')).toBeGreaterThanOrEqual(1);
    expect(count('deduplicated')).toBeGreaterThanOrEqual(2);
  });

  it('runs the chat once for three sequential deliveries and repeats the identical reply', async () => {
    running.resetChatRuns();
    const message = textMessage('医保转移要多久', { FromUserName: 'oRetrySequential_00000000001' });
    const bodies: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      bodies.push((await running.client.send(message)).body);
      await sleep(i === 0 ? 1100 : 50); // WeChat's retries come seconds apart; CreateTime must not move.
    }
    expect(new Set(bodies).size).toBe(1);
    expect(running.chatRuns()).toBe(1);
  });

  it('dedupes events by sender and CreateTime', async () => {
    const event = { ToUserName: 'gh_test_account', FromUserName: 'oRetryEvent_0000000000000001', CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'event', Event: 'subscribe' };
    const [a, b] = await Promise.all([running.client.send(event), running.client.send(event)]);
    expect(a!.body).toBe(b!.body);
  });

  it('replies success within the budget when the chat is slow, and gives the finished answer to the retry', async () => {
    running.resetChatRuns();
    running.setChatDelay(REPLY_BUDGET_MS + 600);
    try {
      const message = textMessage('断缴了还能转吗', { FromUserName: 'oRetrySlow_00000000000000001' });
      const started = performance.now();
      const first = await running.client.send(message);
      const elapsed = performance.now() - started;
      expect(first.status).toBe(200);
      expect(first.body).toBe('success');
      expect(elapsed).toBeGreaterThanOrEqual(REPLY_BUDGET_MS - 100);
      expect(elapsed).toBeLessThan(4800);
      await sleep(900);
      const retry = await running.client.send(message);
      expect(retry.fields!.Content).toMatch(/断缴|补缴|转/);
      expect(running.chatRuns()).toBe(1);
    } finally {
      running.setChatDelay(0);
    }
  });
});
