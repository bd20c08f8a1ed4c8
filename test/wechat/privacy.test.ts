import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from './client.js';
import { wechatSessionId } from '../../src/wechat/session-id.js';
import { TEST_TOKEN, startWechatApp, type RunningWechatApp } from './wechat-app.js';

const lines: string[] = [];
let running: RunningWechatApp;
beforeAll(async () => {
  running = await startWechatApp({ logger: { level: 'trace', stream: { write: (line: string) => void lines.push(line) } } });
});
afterAll(async () => {
  await running?.close();
});

describe('wechat privacy', () => {
  it('keeps the OpenID out of request logs and stores the conversation under a keyed hash', async () => {
    const openid = 'oSecretOpenId_Abc123XYZ000001';
    const res = await running.client.send(textMessage('医保转移要多久', { FromUserName: openid }));
    expect(res.status).toBe(200);
    await running.client.send({ ...textMessage('x', { FromUserName: openid }), MsgType: 'event', Event: 'subscribe' }, { badSignature: true });
    expect(lines.some((l) => l.includes('/wechat'))).toBe(true);
    expect(lines.join('\n')).not.toContain(openid);
    // The conversation is stored under the keyed hash, never under the OpenID.
    const sessionId = wechatSessionId(openid, TEST_TOKEN);
    expect(sessionId).toMatch(/^wx_[0-9a-f]{32}$/);
    expect(await running.app.services.store.get(sessionId)).toBeDefined();
    expect(await running.app.services.store.get(openid)).toBeUndefined();
  });
});
