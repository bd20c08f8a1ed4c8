import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../src/dialogue/commands.js';
import { DETAILS_OFFER } from '../../src/wechat/canned-replies.js';
import { postJson } from '../helpers/app.js';
import { textMessage } from './client.js';
import { startWechatApp, type RunningWechatApp } from './wechat-app.js';

// WeChat sends the short answer and offers the rest in one line; “详细” brings the rest of that
// answer, and with nothing left out it gets a short help line, never some other answer.

const commands = loadCommands();
const question = '我从青岛调到南京工作，职工医保怎么转？';

let running: RunningWechatApp;
beforeAll(async () => {
  running = await startWechatApp();
});
afterAll(async () => {
  await running?.close();
});

async function say(user: string, text: string): Promise<string> {
  const res = await running.client.send(textMessage(text, { FromUserName: user }));
  expect(res.status).toBe(200);
  expect(res.fields?.MsgType).toBe('text');
  return res.fields!.Content!;
}

/** The same question over the JSON API in a fresh session: what the engine answers and leaves out. */
async function viaApi(message: string): Promise<{ reply: string; details?: string }> {
  const res = await postJson(`${running.baseUrl}/v1/chat`, { message });
  expect(res.status).toBe(200);
  return res.body;
}

describe('wechat: the short answer first, “详细” for the rest', () => {
  it('sends the answer plan with one line offering the details, and “详细” returns that answer’s details', async () => {
    const user = 'oDetailsReader_00000000000001';
    const api = await viaApi(question);
    expect(api.details, 'this answer leaves something out').toBeTruthy();

    const answer = await say(user, question);
    expect(answer.startsWith(api.reply)).toBe(true);
    expect(answer.endsWith(`\n${DETAILS_OFFER}`)).toBe(true);
    expect(answer.split(DETAILS_OFFER)).toHaveLength(2);
    expect(answer).toMatch(/\n\n依据：《/);
    expect(Buffer.byteLength(answer, 'utf8')).toBeLessThan(2048);
    // The details are not in the first message.
    for (const line of api.details!.split('\n')) expect(answer).not.toContain(line);

    running.resetChatRuns();
    const details = await say(user, '详细');
    expect(running.chatRuns(), '“详细” is answered by the engine').toBe(1);
    expect(details.startsWith(commands.details.lead)).toBe(true);
    for (const line of api.details!.split('\n')) expect(details).toContain(line);
    expect(details).not.toContain(DETAILS_OFFER);
    expect(Buffer.byteLength(details, 'utf8')).toBeLessThan(2048);

    // Everything has been said now: a second “详细” gets the help line.
    expect(await say(user, '详细')).toBe(commands.details.none);
  });

  it('answers “详细” or “继续” as a first message with the short help line', async () => {
    running.resetChatRuns();
    expect(await say('oDetailsFirst_000000000000001', '详细')).toBe(commands.details.none);
    expect(await say('oContinueFirst_00000000000001', '继续')).toBe(commands.details.none);
    expect(running.chatRuns()).toBe(2);
  });

  it('offers nothing when the answer left nothing out', async () => {
    const greeting = '你好';
    const api = await viaApi(greeting);
    expect(api.details, 'this answer is complete').toBeUndefined();
    const answer = await say('oGreeting_00000000000000000001', greeting);
    expect(answer.startsWith(api.reply)).toBe(true);
    expect(answer).not.toContain(DETAILS_OFFER);
  });
});
