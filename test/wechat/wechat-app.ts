import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatResponse } from '../../src/dialogue/response.js';
import { createServices, type Services } from '../../src/services.js';
import { wechatPlugin } from '../../src/wechat/plugin.js';
import { WechatClient } from './client.js';

export const TEST_TOKEN = 'yibao_test_token';
/** 43 base64 characters, as the WeChat admin generates. */
export const TEST_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const TEST_APP_ID = 'wx1234567890abcdef';

let shared: Promise<Services> | undefined;
/** The real services (knowledge base, indexes, chat engine), loaded once per test file. */
export function realServices(): Promise<Services> {
  shared ??= createServices(loadConfig({}), { info: () => {}, warn: () => {}, error: () => {} });
  return shared;
}

export interface RunningWechatApp {
  app: FastifyInstance;
  baseUrl: string;
  client: WechatClient;
  /** How many times the chat engine's handle() ran since start (or the last reset). */
  chatRuns(): number;
  resetChatRuns(): void;
  /** Extra delay before each chat turn, to simulate a slow answer. */
  setChatDelay(ms: number): void;
  close(): Promise<void>;
}

/**
 * Starts the real app (buildApp with the WeChat settings) on a free port. The chat engine's
 * handle() is wrapped only to count its runs and, when asked, to delay them.
 */
export async function startWechatApp(
  options: {
    aesKey?: boolean;
    logger?: FastifyServerOptions['logger'];
    /** Runs after buildApp and before listen, e.g. to mount a second callback with other limits. */
    beforeListen?: (app: FastifyInstance, services: Services) => Promise<void>;
  } = {},
): Promise<RunningWechatApp> {
  const services = await realServices();
  const chat = services.chat;
  const original = Object.getPrototypeOf(chat).handle as typeof chat.handle;
  let runs = 0;
  let delayMs = 0;
  Object.defineProperty(chat, 'handle', {
    configurable: true,
    writable: true,
    value: async function handle(this: typeof chat, ...args: Parameters<typeof chat.handle>): Promise<ChatResponse> {
      runs += 1;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return original.apply(chat, args);
    },
  });
  const wechat = {
    WECHAT_TOKEN: TEST_TOKEN,
    ...(options.aesKey ? { WECHAT_AES_KEY: TEST_AES_KEY, WECHAT_APP_ID: TEST_APP_ID } : {}),
  };
  const app = await buildApp({ config: wechat, services, ...(options.logger ? { logger: options.logger } : {}) });
  if (!app.hasRoute({ method: 'POST', url: '/wechat' })) {
    // Until app.ts registers the callback itself, register it the way app.ts will.
    await app.register(wechatPlugin, {
      config: { token: TEST_TOKEN, ...(options.aesKey ? { aesKey: TEST_AES_KEY, appId: TEST_APP_ID } : {}) },
      chat: services.chat,
      metrics: services.metrics,
    });
  }
  await options.beforeListen?.(app, services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    client: new WechatClient({ baseUrl, token: TEST_TOKEN, ...(options.aesKey ? { aesKey: TEST_AES_KEY, appId: TEST_APP_ID } : {}) }),
    chatRuns: () => runs,
    resetChatRuns: () => {
      runs = 0;
    },
    setChatDelay: (ms) => {
      delayMs = ms;
    },
    close: async () => {
      await app.close();
      delete (chat as unknown as Record<string, unknown>).handle;
    },
  };
}
