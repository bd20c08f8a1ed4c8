import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha1Sorted, textMessage, toWechatXml, wechatEncrypt } from './client.js';
import { TEST_AES_KEY, TEST_TOKEN, startWechatApp, type RunningWechatApp } from './wechat-app.js';

let running: RunningWechatApp;
beforeAll(async () => {
  running = await startWechatApp({ aesKey: true });
});
afterAll(async () => {
  await running?.close();
});

describe('wechat safe mode (encrypt_type=aes)', () => {
  it('decrypts the question and answers with an encrypted, msg_signature-signed reply', async () => {
    const user = 'oSafeUser_0000000000000000001';
    const res = await running.client.send(textMessage('转医保需要哪些材料？', { FromUserName: user }), { encrypted: true });
    expect(res.status).toBe(200);
    // The outer reply carries only the envelope; the client checked MsgSignature and the appId.
    expect(res.body).toMatch(/<Encrypt><!\[CDATA\[/);
    expect(res.body).toMatch(/<MsgSignature><!\[CDATA\[[0-9a-f]{40}\]\]><\/MsgSignature>/);
    expect(res.body).toMatch(/<TimeStamp>\d+<\/TimeStamp>/);
    expect(res.body).not.toContain('材料');
    expect(res.fields).toMatchObject({ ToUserName: user, FromUserName: 'gh_test_account', MsgType: 'text' });
    expect(res.fields!.Content).toMatch(/材料/);
  });

  it('still accepts plain messages from an account switched back to 明文', async () => {
    const res = await running.client.send(textMessage('医保转移要多久'));
    expect(res.fields!.Content).toMatch(/工作日/);
  });

  it('refuses a wrong msg_signature with 403', async () => {
    const res = await running.client.send(textMessage('你好'), { encrypted: true, badSignature: true });
    expect(res.status).toBe(403);
  });

  it('refuses a message encrypted for another AppID with 400', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = '12345';
    const encrypt = wechatEncrypt(TEST_AES_KEY, 'wxSomeOtherApp', toWechatXml(textMessage('你好')));
    const query = new URLSearchParams({
      signature: sha1Sorted([TEST_TOKEN, timestamp, nonce]),
      timestamp,
      nonce,
      encrypt_type: 'aes',
      msg_signature: sha1Sorted([TEST_TOKEN, timestamp, nonce, encrypt]),
    });
    const res = await fetch(`${running.baseUrl}/wechat?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: toWechatXml({ ToUserName: 'gh_test_account', Encrypt: encrypt }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/AppID/);
  });

  it('dedupes in safe mode too: one chat run, identical decrypted replies', async () => {
    running.resetChatRuns();
    const message = textMessage('断缴了还能转吗', { FromUserName: 'oRetrySafe_00000000000000001' });
    const replies = await Promise.all([1, 2, 3].map(() => running.client.send(message, { encrypted: true })));
    expect(new Set(replies.map((r) => JSON.stringify(r.fields))).size).toBe(1);
    expect(running.chatRuns()).toBe(1);
  });
});
