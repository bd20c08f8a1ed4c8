import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAILS_OFFER } from '../../src/wechat/canned-replies.js';
import { MORE_POINTER } from '../../src/wechat/reply-text.js';
import { postJson } from '../helpers/app.js';
import { wechatPlugin } from '../../src/wechat/plugin.js';
import { WechatClient, nextMsgId, sha1Sorted, textMessage, toWechatXml, wechatEncrypt } from './client.js';
import { TEST_AES_KEY, TEST_APP_ID, TEST_TOKEN, startWechatApp, type RunningWechatApp } from './wechat-app.js';

let running: RunningWechatApp;
beforeAll(async () => {
  running = await startWechatApp({
    // A second callback with a small reply limit, to see long answers paged over real HTTP.
    beforeListen: async (app, services) => {
      await app.register(wechatPlugin, { prefix: '/small', config: { token: TEST_TOKEN }, chat: services.chat, replyMaxBytes: 400 });
    },
  });
});
afterAll(async () => {
  await running?.close();
});

const user = 'oPlainUser_0000000000000000001';
const base = () => ({ ToUserName: 'gh_test_account', FromUserName: user, CreateTime: String(Math.floor(Date.now() / 1000)) });

describe('wechat messages in plain mode', () => {
  it('answers a text question with a text reply addressed back to the user', async () => {
    const res = await running.client.send(textMessage('我从青岛调到南京工作，职工医保怎么转？', { FromUserName: user }));
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/xml/);
    expect(res.body).toMatch(/^<xml><ToUserName><!\[CDATA\[/);
    const reply = res.fields!;
    expect(reply.ToUserName).toBe(user);
    expect(reply.FromUserName).toBe('gh_test_account');
    expect(reply.MsgType).toBe('text');
    expect(Math.abs(Number(reply.CreateTime) - Date.now() / 1000)).toBeLessThan(10);
    expect(reply.Content).toMatch(/转/);
    expect(reply.Content).toMatch(/[\u4e00-\u9fff]{10}/);
    expect(Buffer.byteLength(reply.Content!, 'utf8')).toBeLessThan(2048);
    expect(reply.Content).toMatch(/依据：《/);
  });

  it('keeps the conversation per user: a follow-up uses the earlier turn', async () => {
    const follower = 'oFollowUp_00000000000000000001';
    await running.client.send(textMessage('医保从青岛转到南京', { FromUserName: follower }));
    const res = await running.client.send(textMessage('要多久？', { FromUserName: follower }));
    expect(res.fields!.Content).toMatch(/工作日/);
  });

  it('welcomes a new follower with what the bot answers and example questions', async () => {
    const res = await running.client.send({ ...base(), MsgType: 'event', Event: 'subscribe', EventKey: '' });
    expect(res.fields!.MsgType).toBe('text');
    expect(res.fields!.Content).toMatch(/医保转移助手/);
    expect(res.fields!.Content).toMatch(/可以这样问我/);
  });

  it('answers unsubscribe and other events with an empty success', async () => {
    for (const event of ['unsubscribe', 'VIEW']) {
      const res = await running.client.send({ ...base(), MsgType: 'event', Event: event });
      expect(res.status).toBe(200);
      expect(res.body).toBe('success');
    }
  });

  it('asks a voice sender without recognised text to type the question', async () => {
    running.resetChatRuns();
    const res = await running.client.send({ ...base(), MsgType: 'voice', MediaId: 'media1', Format: 'amr', MsgId: nextMsgId() });
    expect(res.fields!.Content).toMatch(/输入文字/);
    expect(running.chatRuns()).toBe(0);
  });

  it('answers a voice message that carries recognised text like a typed question', async () => {
    running.resetChatRuns();
    const res = await running.client.send({ ...base(), MsgType: 'voice', MediaId: 'media2', Format: 'amr', Recognition: '医保转移要多久', MsgId: nextMsgId() });
    expect(res.fields!.Content).toMatch(/工作日/);
    expect(running.chatRuns()).toBe(1);
  });

  it('asks senders of images, locations and links to type the question', async () => {
    const extras: Record<string, string>[] = [
      { MsgType: 'image', PicUrl: 'http://example.invalid/a.jpg', MediaId: 'm' },
      { MsgType: 'location', Location_X: '23.1', Location_Y: '113.3', Scale: '20', Label: '某地' },
      { MsgType: 'link', Title: '文章', Description: 'd', Url: 'http://example.invalid' },
    ];
    for (const extra of extras) {
      const res = await running.client.send({ ...base(), ...extra, MsgId: nextMsgId() });
      expect(res.fields!.Content, extra.MsgType).toMatch(/只能看懂文字/);
    }
  });

  it('prompts for a question when the text is blank', async () => {
    const res = await running.client.send(textMessage('   ', { FromUserName: user }));
    expect(res.fields!.Content).toMatch(/请输入/);
  });

  it('cuts a long answer at a sentence end within the limit and sends the rest on “继续”', async () => {
    const small = new WechatClient({ baseUrl: running.baseUrl, token: TEST_TOKEN, path: '/small/wechat' });
    const reader = 'oLongReader_000000000000000001';
    const question = '我从青岛调到南京工作，职工医保怎么转？';
    const api = await postJson(`${running.baseUrl}/v1/chat`, { message: question });
    expect(Buffer.byteLength(api.body.reply, 'utf8'), 'the answer is longer than one small message').toBeGreaterThan(400);
    running.resetChatRuns();
    const first = await small.send(textMessage(question, { FromUserName: reader }));
    const content = first.fields!.Content!;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(400);
    expect(content.endsWith(MORE_POINTER)).toBe(true);
    expect(content.slice(0, -MORE_POINTER.length).trimEnd()).toMatch(/[。！？]$/);
    const pages = [content];
    for (let i = 0; i < 10 && pages.at(-1)!.endsWith(MORE_POINTER); i += 1) {
      const next = await small.send(textMessage('继续', { FromUserName: reader }));
      pages.push(next.fields!.Content!);
      expect(Buffer.byteLength(next.fields!.Content!, 'utf8')).toBeLessThanOrEqual(400);
    }
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const last = pages.at(-1)!;
    expect(last).not.toContain(MORE_POINTER);
    // The pages hold the whole answer in order; the offer of the details ends the last one.
    const text = pages.map((p) => p.replace(MORE_POINTER, '')).join('');
    const bare = (s: string) => s.replace(/\s/g, '');
    expect(bare(text).startsWith(bare(api.body.reply))).toBe(true);
    expect(last).toContain(DETAILS_OFFER);
    expect(running.chatRuns()).toBe(1);
  });

  it('without an AES key answers 兼容模式 from its plain fields, and an encrypted-only message with success', async () => {
    const post = async (fields: Record<string, string>) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = '24680';
      const encrypt = wechatEncrypt(TEST_AES_KEY, TEST_APP_ID, toWechatXml(textMessage('医保转移要多久')));
      const query = new URLSearchParams({
        signature: sha1Sorted([TEST_TOKEN, timestamp, nonce]),
        timestamp,
        nonce,
        encrypt_type: 'aes',
        msg_signature: sha1Sorted([TEST_TOKEN, timestamp, nonce, encrypt]),
      });
      const res = await fetch(`${running.baseUrl}/wechat?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: toWechatXml({ ...fields, Encrypt: encrypt }) });
      return { status: res.status, body: await res.text() };
    };
    const compat = await post(textMessage('医保转移要多久', { FromUserName: user }));
    expect(compat.status).toBe(200);
    expect(compat.body).toMatch(/工作日/);
    const encryptedOnly = await post({ ToUserName: 'gh_test_account' });
    expect(encryptedOnly).toEqual({ status: 200, body: 'success' });
  });
});
