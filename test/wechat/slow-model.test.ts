import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { startStubServer, type StubServer } from '../llm/stub-server.js';
import { textMessage, WechatClient } from './client.js';
import { TEST_TOKEN } from './wechat-app.js';
import type { FastifyInstance } from 'fastify';

/**
 * A WeChat user must never get silence. With a model endpoint that needs 20 s (longer than the
 * model timeout allows and far beyond WeChat's 5-second window), the callback answers within
 * budget with the rules' answer, which is computed before the model is asked.
 */
describe('WeChat callback with a model that answers after 20 s', () => {
  let stub: StubServer;
  let services: Services;
  let app: FastifyInstance;
  let client: WechatClient;

  beforeAll(async () => {
    stub = await startStubServer({ delayMs: 20_000 });
    const config = loadConfig({
      OPENAI_BASE_URL: `${stub.url}/v1`,
      OPENAI_API_KEY: 'sk-local',
      OPENAI_MODEL: 'stub-model',
      LLM_TIMEOUT_MS: '30000',
      WECHAT_TOKEN: TEST_TOKEN,
    });
    services = await createServices(config, { info: () => {}, warn: () => {}, error: () => {} });
    app = await buildApp({ config, services });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    client = new WechatClient({ baseUrl: `http://127.0.0.1:${port}`, token: TEST_TOKEN });
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await stub?.close();
  });

  it.each([
    ['转移申请2026年4月28日受理的，转出地最晚哪天办完？', /2026年5月14日/],
    ['从烟台换到苏州工作了，医保怎么转过去', /转|医保/],
  ])('answers %s with the rules’ answer inside 4.5 s, not an empty success', async (question, expected) => {
    const started = performance.now();
    const reply = await client.send(textMessage(question, { FromUserName: `oSlowModel_${Math.random().toString(36).slice(2, 12)}` }));
    const elapsed = performance.now() - started;
    expect(reply.status).toBe(200);
    expect(reply.body).not.toBe('success');
    expect(reply.fields!.Content).toMatch(expected);
    expect(elapsed).toBeLessThan(4500);
    // The model was asked, and its late answer was not waited for.
    expect(stub.requests.length).toBeGreaterThan(0);
    const metrics = await (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/model_fallbacks_total\{reason="over_budget"\} [1-9]/);
  }, 15_000);
});
