import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage, toWechatXml } from './client.js';
import { startWechatApp, type RunningWechatApp } from './wechat-app.js';

let running: RunningWechatApp;
beforeAll(async () => {
  running = await startWechatApp();
});
afterAll(async () => {
  await running?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('wechat URL verification (GET /wechat)', () => {
  it('echoes echostr as plain text when the signature is valid', async () => {
    const res = await running.client.verifyUrl('5837397520665436492');
    expect(res).toEqual({ status: 200, body: '5837397520665436492' });
  });

  it('refuses a wrong signature with 403 and a Chinese JSON error', async () => {
    const res = await running.client.verifyUrl('123', { badSignature: true });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/签名/) } });
  });

  it('refuses a missing signature with 401', async () => {
    const res = await running.client.verifyUrl('123', { unsigned: true });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.message).toMatch(/缺少/);
  });

  it('refuses a correctly signed but stale or future timestamp with 403', async () => {
    for (const timestamp of [String(nowSeconds() - 301), String(nowSeconds() + 400)]) {
      const res = await running.client.verifyUrl('123', { timestamp });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/时间戳/);
    }
  });
});

describe('wechat message callback rejects bad requests (POST /wechat)', () => {
  it('refuses a missing signature with 401 and a wrong one with 403, without running the chat', async () => {
    running.resetChatRuns();
    expect((await running.client.send(textMessage('医保怎么转？'), { unsigned: true })).status).toBe(401);
    expect((await running.client.send(textMessage('医保怎么转？'), { badSignature: true })).status).toBe(403);
    expect((await running.client.send(textMessage('医保怎么转？'), { timestamp: String(nowSeconds() - 1000) })).status).toBe(403);
    expect(running.chatRuns()).toBe(0);
  });

  it('answers malformed XML, DOCTYPE/ENTITY and missing fields with 400', async () => {
    running.resetChatRuns();
    const doctype = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>';
    const missing = toWechatXml({ ToUserName: 'gh_test_account', MsgType: 'text', Content: '你好', MsgId: '1' });
    for (const body of ['<xml><ToUserName>gh</xml>', 'not xml at all', doctype, missing, '']) {
      const res = await running.client.sendRaw(body);
      expect(res.status, body).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('BAD_REQUEST');
    }
    expect(running.chatRuns()).toBe(0);
  });

  it('refuses JSON with 415 and an oversized body with 413, never 5xx', async () => {
    const json = await running.client.sendRaw('{"message":"hi"}', { contentType: 'application/json' });
    expect(json.status).toBe(415);
    const huge = await running.client.sendRaw(`<xml><Content>${'医'.repeat(30_000)}</Content></xml>`);
    expect(huge.status).toBe(413);
  });
});
