import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { projectRoot } from '../../src/paths.js';
import { launchChromium } from '../helpers/chromium.js';
import { doneEventOf, platformFontsOf, responseTo, startStreamRecorder, stopStreamRecorder } from './widget-page.js';

const screenshotDir = join(projectRoot, 'artifacts', 'screenshots');
const mobile = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const desktop = { viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 };
const STORAGE_KEY = 'yibao-transfer-widget:v1';
/** Playwright waits forever by default; a missing element should fail the test well inside its timeout. */
const actionTimeoutMs = 8_000;

const journeyChips = [
  '医保能从A城市转到B城市吗？',
  '转移要多久、最晚哪天办完？',
  '断缴了怎么补缴、什么时候能用？',
  '个人账户的钱能取出来吗？',
  '退休人员每月划入多少？',
  '需要带什么材料、在哪办？',
];

async function startApp(port = 0): Promise<{ app: FastifyInstance; baseUrl: string }> {
  // Chromium preconnects sockets that never carry a request; Node does not count them as idle, so
  // close() would wait for their header timeout. The tests stop the server outright.
  const app = await buildApp({ config: { RATE_LIMIT_MAX: 10_000 }, server: { forceCloseConnections: true } });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}

interface OpenWidget {
  page: Page;
  close(): Promise<void>;
}

/** Its own app and a phone-sized page on the widget, for a describe block that starts afresh. */
async function openWidget(): Promise<OpenWidget> {
  const browser = await launchChromium();
  const { app, baseUrl } = await startApp();
  const context = await browser.newContext({ ...mobile, locale: 'zh-CN' });
  context.setDefaultTimeout(actionTimeoutMs);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  return {
    page,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/** The chat log's bot answers (the welcome message excluded). */
const botAnswers = (page: Page) => page.locator('#messages .msg--bot[data-turn]');
const answerForTurn = (page: Page, turn: number) => page.locator(`#messages .msg--bot[data-turn="${turn}"]`);
/** The source cards of an answer's reply (those of its 详细说明 panel excluded). */
const replyCitations = (page: Page, turn: number) => answerForTurn(page, turn).locator('.msg__body > .citations-card .citation');

describe('chat widget in a real browser (375 px phone, then 1280 px desktop)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: FastifyInstance;
  let baseUrl: string;
  let port: number;
  let sessionId: string;
  /** What the 职工医保 answer (turn 2) left out, as the API returned it. */
  let turn2Details: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // No skip when the browser is missing: launching throws with install instructions.
    browser = await launchChromium();
    ({ app, baseUrl } = await startApp());
    port = Number(new URL(baseUrl).port);
    mkdirSync(screenshotDir, { recursive: true });
    context = await browser.newContext({ ...mobile, locale: 'zh-CN' });
    context.setDefaultTimeout(actionTimeoutMs);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(() => {
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves the widget at GET / with a strict content security policy', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status, 'GET / serves the widget page (widgetPlugin registered in src/app.ts)').toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<title>医保转移助手</title>');
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['app.js', 'sse.js', 'styles.css', 'avatar.svg']) {
      expect((await fetch(`${baseUrl}/${asset}`)).status, asset).toBe(200);
    }
  });

  it('opens with the welcome message, the six journey chips and Chinese drawn in a CJK font', async () => {
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.locator('.msg--welcome .bubble').textContent()).toContain('医保转移助手');
    expect(await page.locator('.topbar__title').textContent()).toBe('医保转移助手');
    expect(await page.locator('.msg--welcome .chip').allTextContents()).toEqual(journeyChips);
    expect(await page.getAttribute('#messages', 'aria-live')).toBe('polite');

    const fonts = await platformFontsOf(page, '.topbar__title');
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => /CJK|PingFang|YaHei|Hiragino/i.test(f.familyName)), JSON.stringify(fonts)).toBe(true);

    // Focus order: the labelled input, then the send button.
    await page.getByLabel('输入你的问题').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('send-button');
  });

  it('keeps Shift+Enter as a newline and streams the reply to a question sent with Enter', async () => {
    const input = page.getByLabel('输入你的问题');
    await input.fill('第一行');
    await input.press('Shift+Enter');
    await input.pressSequentially('第二行');
    expect(await input.inputValue()).toBe('第一行\n第二行');
    expect(await page.locator('.msg--user').count()).toBe(0);

    await input.fill('我的医保余额能从烟台转到苏州吗？');
    await startStreamRecorder(page);
    const done = await doneEventOf(await responseTo(page, '/v1/chat/stream', () => input.press('Enter')));
    await expect.poll(() => botAnswers(page).count()).toBe(1);
    const record = await stopStreamRecorder(page);

    expect(await page.locator('.msg--user .bubble').first().textContent()).toBe('我的医保余额能从烟台转到苏州吗？');
    expect(await input.inputValue()).toBe('');
    const reply = await answerForTurn(page, 1).locator('.bubble').textContent();
    expect(reply).toBe(done.reply);
    expect(reply).toContain('苏州');
    // Text appeared piece by piece before the final answer replaced the streaming bubble.
    expect(record.texts.length).toBeGreaterThan(1);
    expect(record.texts[0]!.length).toBeLessThan(reply!.length);
    expect(reply!.startsWith(record.texts[0]!)).toBe(true);
    expect(record.sendDisabledSeen).toBe(true);
    expect(await page.isDisabled('#send-button')).toBe(false);
    sessionId = String(done.sessionId);
  });

  it('answers the 职工医保 follow-up chip with citation cards that expand on Enter', async () => {
    const chip = answerForTurn(page, 1).getByRole('button', { name: '职工医保', exact: true });
    const done = await doneEventOf(await responseTo(page, '/v1/chat/stream', () => chip.click()));
    expect(typeof done.details, 'the answer has details').toBe('string');
    turn2Details = done.details as string;
    await expect.poll(() => answerForTurn(page, 2).count()).toBe(1);
    expect(await page.locator('.msg--user .bubble').nth(1).textContent()).toBe('职工医保');
    // The first answer's suggestions are gone once the conversation moved on.
    expect(await answerForTurn(page, 1).locator('.chips').count()).toBe(0);

    const citations = replyCitations(page, 2);
    expect(await citations.count()).toBeGreaterThan(0);
    const first = citations.first();
    expect(await first.locator('.citation__title').textContent()).not.toBe('');
    expect(await first.locator('.citation__source').textContent()).toMatch(/〔\d{4}〕\d+号|法/);
    expect(await first.getAttribute('aria-expanded')).toBe('false');
    const snippet = first.locator('.citation__snippet');
    const collapsed = await snippet.evaluate((node) => node.getBoundingClientRect().height);
    const lineHeight = await snippet.evaluate((node) => parseFloat(getComputedStyle(node).lineHeight));
    expect(collapsed).toBeLessThanOrEqual(lineHeight * 2 + 1);

    await first.focus();
    await page.keyboard.press('Enter');
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    const expanded = await snippet.evaluate((node) => ({ height: node.getBoundingClientRect().height, full: node.scrollHeight }));
    expect(expanded.height).toBeGreaterThanOrEqual(expanded.full - 1);
    expect(expanded.height).toBeGreaterThanOrEqual(collapsed);

    // At most three cards show at first; the rest open with one button.
    const total = await citations.count();
    const visible = answerForTurn(page, 2).locator('.msg__body > .citations-card .citation:visible');
    expect(await visible.count()).toBe(Math.min(total, 3));
    const more = answerForTurn(page, 2).locator('.msg__body > .citations-card .citations__more');
    expect(await more.count()).toBe(total > 3 ? 1 : 0);
    if (total > 3) {
      await more.click();
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      expect(await visible.count()).toBe(total);
    }
  });

  it('answers “详细” with what the last answer left out, then sends one of its suggestion chips', async () => {
    const input = page.getByLabel('输入你的问题');
    await input.fill('详细');
    await input.press('Enter');
    await expect.poll(() => answerForTurn(page, 3).count()).toBe(1);
    expect(await answerForTurn(page, 3).locator('.bubble').textContent()).toContain(turn2Details);

    const chip = answerForTurn(page, 3).locator('.chips .chip').first();
    const text = (await chip.textContent())!;
    expect(text).not.toBe('');
    await chip.click();
    await expect.poll(() => answerForTurn(page, 4).count()).toBe(1);
    expect(await page.locator('.msg--user .bubble').nth(3).textContent()).toBe(text);
    expect(await answerForTurn(page, 4).locator('.bubble').textContent()).not.toBe('');
  });

  it('shows a timeline card with the dated deadlines of a dated question', async () => {
    await page.getByLabel('输入你的问题').fill('转移申请2026年4月28日受理的，最晚哪天办完？');
    const done = await doneEventOf(
      await responseTo(page, '/v1/chat/stream', () => page.getByRole('button', { name: '发送', exact: true }).click()),
    );
    await expect.poll(() => answerForTurn(page, 5).count()).toBe(1);

    const call = (done.toolCalls as { name: string; output: { stages: { name: string; deadline: string | null; workingDays: number | null }[]; latest: string } }[])
      .find((c) => c.name === 'transfer_timeline');
    expect(call, 'the dated question runs the timeline tool').toBeDefined();
    const card = answerForTurn(page, 5).locator('.timeline');
    expect(await card.count()).toBe(1);
    const stages = card.locator('.timeline__stage');
    expect(await stages.count()).toBe(call!.output.stages.length);
    for (const [i, stage] of call!.output.stages.entries()) {
      const row = stages.nth(i);
      expect(await row.locator('.timeline__name').textContent()).toContain(stage.name);
      if (stage.deadline) {
        expect(await row.locator('time').getAttribute('datetime')).toBe(stage.deadline);
        const [y, m, d] = stage.deadline.split('-').map(Number);
        expect(await row.locator('time').textContent()).toContain(`${y}年${m}月${d}日`);
      } else {
        expect(await row.locator('time').count()).toBe(0);
      }
      if (stage.workingDays !== null) expect(await row.textContent()).toContain(`${stage.workingDays}个工作日`);
    }
    const [ly, lm, ld] = call!.output.latest.split('-').map(Number);
    expect(await card.locator('.timeline__latest').textContent()).toContain(`${ly}年${lm}月${ld}日`);
    expect(await card.textContent()).toContain('法定工作日');
    // Dates inside a year with a holiday notice carry no provisional mark.
    expect(await card.locator('.timeline__badge, .timeline__mark, .timeline__provisional').count()).toBe(0);
  });

  it('records a thumbs-down with a 204 from POST /v1/feedback, then an optional comment', async () => {
    const answer = answerForTurn(page, 5);
    const response = await responseTo(page, '/v1/feedback', () => answer.getByRole('button', { name: '没帮助' }).click());
    expect(response.status()).toBe(204);
    expect(response.request().postDataJSON()).toEqual({ sessionId, turn: 5, rating: 'down' });
    await expect.poll(() => answer.getByRole('button', { name: '没帮助' }).getAttribute('aria-pressed')).toBe('true');
    expect(await answer.getByRole('button', { name: '有帮助' }).getAttribute('aria-pressed')).toBe('false');
    expect(await answer.locator('.feedback__status').textContent()).toContain('已记录');

    await answer.getByPlaceholder('哪里不满意？（选填）').fill('希望写明苏州的办理地址');
    const withComment = await responseTo(page, '/v1/feedback', () => answer.getByRole('button', { name: '提交' }).click());
    expect(withComment.status()).toBe(204);
    expect(withComment.request().postDataJSON()).toMatchObject({ turn: 5, rating: 'down', comment: '希望写明苏州的办理地址' });
    await expect.poll(() => answer.locator('.feedback__status').textContent()).toContain('谢谢');
  });

  it('saves screenshots at 375 px and 1280 px', async () => {
    await replyCitations(page, 2).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'widget-375-citations.png') });
    await answerForTurn(page, 5).locator('.timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'widget-375-timeline.png') });

    // The desktop view of the same conversation, rebuilt from storage in a fresh browser context.
    const wide = await browser.newContext({ ...desktop, locale: 'zh-CN', storageState: await context.storageState() });
    wide.setDefaultTimeout(actionTimeoutMs);
    try {
      const widePage = await wide.newPage();
      await widePage.goto(`${baseUrl}/`);
      await expect.poll(() => botAnswers(widePage).count()).toBe(5);
      const column = await widePage.locator('.app').boundingBox();
      expect(column!.width).toBeLessThanOrEqual(760);
      expect(Math.abs(column!.x * 2 + column!.width - 1280)).toBeLessThanOrEqual(2);
      await answerForTurn(widePage, 5).locator('.timeline').scrollIntoViewIfNeeded();
      await widePage.screenshot({ path: join(screenshotDir, 'widget-1280.png') });
    } finally {
      await wide.close();
    }
    // Nothing sticks out sideways on the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('keeps the conversation and the session across a reload', async () => {
    const before = await page.locator('#messages .msg .bubble').allTextContents();
    await page.reload();
    await expect.poll(() => page.locator('#messages .msg .bubble').allTextContents()).toEqual(before);
    expect(await replyCitations(page, 2).count()).toBeGreaterThan(0);
    expect(await answerForTurn(page, 2).getByRole('button', { name: '详细说明', exact: true }).getAttribute('aria-expanded')).toBe('false');
    expect(await answerForTurn(page, 5).locator('.timeline time').count()).toBeGreaterThan(0);
    expect(await answerForTurn(page, 5).getByRole('button', { name: '没帮助' }).getAttribute('aria-pressed')).toBe('true');

    await page.getByLabel('输入你的问题').fill('需要带什么材料？');
    const done = await doneEventOf(await responseTo(page, '/v1/chat/stream', () => page.getByLabel('输入你的问题').press('Enter')));
    expect(done.sessionId).toBe(sessionId);
    expect(done.turn).toBe(6);
    await expect.poll(() => answerForTurn(page, 6).count()).toBe(1);
  });

  it('shows the server’s Chinese message for a 4xx and sends again with 重发', async () => {
    await page.evaluate((key) => {
      const state = JSON.parse(localStorage.getItem(key)!);
      localStorage.setItem(key, JSON.stringify({ ...state, sessionId: '不合法的 id' }));
    }, STORAGE_KEY);
    await page.reload();
    await page.getByLabel('输入你的问题').fill('在哪里申请？');
    await page.getByLabel('输入你的问题').press('Enter');
    const failed = page.locator('.msg--failed');
    await expect.poll(() => failed.count()).toBe(1);
    expect(await failed.locator('.msg__error-text').textContent()).toMatch(/会话编号/);

    const resent = await responseTo(page, '/v1/chat/stream', () => failed.getByRole('button', { name: /重发/ }).click());
    expect(resent.status()).toBe(200);
    await expect.poll(() => page.locator('.msg--failed').count()).toBe(0);
    expect(await page.locator('.msg--user .bubble').last().textContent()).toBe('在哪里申请？');
    expect(await page.getByLabel('输入你的问题').inputValue()).toBe('');
  });

  it('keeps the typed message with 重发 when the server is gone, and resends once it is back', async () => {
    await app.close();
    const message = '退休人员每月划入多少？';
    await page.getByLabel('输入你的问题').fill(message);
    await page.getByRole('button', { name: '发送', exact: true }).click();

    const failed = page.locator('.msg--failed');
    await expect.poll(() => failed.count()).toBe(1);
    expect(await failed.locator('.bubble').textContent()).toBe(message);
    expect(await failed.locator('.msg__error-text').textContent()).toBe('网络连接失败，消息未发送成功');
    expect(await failed.getAttribute('class')).toContain('msg--failed');
    expect(await page.getByLabel('输入你的问题').inputValue()).toBe(message);
    expect(await page.isDisabled('#send-button')).toBe(false);
    await failed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'widget-375-error.png') });

    // Back on the same port; the failed message survives a reload too.
    ({ app } = await startApp(port));
    await page.reload();
    await expect.poll(() => page.locator('.msg--failed .bubble').textContent()).toBe(message);

    const resent = await responseTo(page, '/v1/chat/stream', () => page.locator('.msg--failed').getByRole('button', { name: /重发/ }).click());
    expect(resent.status()).toBe(200);
    await expect.poll(() => page.locator('.msg--failed').count()).toBe(0);
    expect(await page.locator('.msg--user .bubble').last().textContent()).toBe(message);
    expect(await page.locator('#messages .msg--bot[data-turn]').last().locator('.bubble').textContent()).not.toBe('');
  });
});

describe('chat widget stream handling', () => {
  let widget: OpenWidget;
  let page: Page;

  beforeAll(async () => {
    widget = await openWidget();
    ({ page } = widget);
  });

  afterAll(async () => widget?.close());

  it('fills the input from the A→B journey chip, with the placeholder selected to type over', async () => {
    await page.getByRole('button', { name: '医保能从A城市转到B城市吗？' }).click();
    const input = page.getByLabel('输入你的问题');
    expect(await input.inputValue()).toBe('医保能从A城市转到B城市吗？');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message-input');
    expect(await input.evaluate((n: HTMLTextAreaElement) => n.value.slice(n.selectionStart, n.selectionEnd))).toBe('A城市');
    await page.keyboard.type('青岛');
    expect(await input.inputValue()).toBe('医保能从青岛转到B城市吗？');
    expect(await page.locator('.msg--user').count()).toBe(0);
    await input.fill('');
  });

  it('parses events split anywhere across chunks, including inside a CRLF and a UTF-8 character', async () => {
    const result = await page.evaluate(`(async () => {
      const { createSseParser, readSseStream } = await import('/sse.js');
      const wire = 'event: delta\\r\\ndata: {"text":"你好"}\\r\\n\\r\\n: comment\\n\\nevent: done\\ndata: {"reply":"你好，世界",\\ndata: "turn":1}\\n\\nevent: delta\\ndata: {"text":"dropped"}';
      const outcomes = [];
      for (let size = 1; size <= wire.length; size += 1) {
        const events = [];
        const parser = createSseParser((e) => events.push(e));
        for (let i = 0; i < wire.length; i += size) parser.push(wire.slice(i, i + size));
        parser.end();
        outcomes.push(JSON.stringify(events));
      }
      const bytes = new TextEncoder().encode('event: delta\\ndata: {"text":"医保"}\\n\\n');
      const byteEvents = [];
      const body = new ReadableStream({
        start(controller) {
          for (const b of bytes) controller.enqueue(new Uint8Array([b]));
          controller.close();
        },
      });
      await readSseStream(body, (event, data) => byteEvents.push({ event, data }));
      return { distinct: [...new Set(outcomes)], byteEvents };
    })()`);
    const { distinct, byteEvents } = result as { distinct: string[]; byteEvents: unknown[] };
    expect(distinct).toHaveLength(1);
    expect(JSON.parse(distinct[0]!)).toEqual([
      { event: 'delta', data: '{"text":"你好"}' },
      { event: 'done', data: '{"reply":"你好，世界",\n"turn":1}' },
    ]);
    expect(byteEvents).toEqual([{ event: 'delta', data: { text: '医保' } }]);
  });

  it('replaces the streamed text with done.reply when done carries replace: true', async () => {
    // The rules path streams its own reply; a reworded final answer is forced here by answering
    // this one request in the browser with a stream that sets the flag.
    await page.route('**/v1/chat/stream', (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        body:
          'event: delta\ndata: {"text":"先流出的草稿"}\n\n' +
          `event: done\ndata: ${JSON.stringify({ sessionId: 'replace-check', turn: 1, reply: '改写后的最终回答\n第二行', replace: true, intent: 'greeting', slots: {}, needs: [], citations: [], figures: [], toolCalls: [], suggestions: ['职工医保'], answeredBy: 'model' })}\n\n`,
      }),
    );
    try {
      await page.getByLabel('输入你的问题').fill('你好');
      await page.getByLabel('输入你的问题').press('Enter');
      await expect.poll(() => answerForTurn(page, 1).locator('.bubble').textContent()).toBe('改写后的最终回答\n第二行');
      expect(await page.locator('#messages').textContent()).not.toContain('先流出的草稿');
      // Line breaks are kept visually.
      expect(await answerForTurn(page, 1).locator('.bubble').evaluate((n) => getComputedStyle(n).whiteSpace)).toBe('pre-wrap');
    } finally {
      await page.unroute('**/v1/chat/stream');
    }
  });

  it('renders server text as text, never as markup, and shows a stream error event as a failed send', async () => {
    await page.route('**/v1/chat/stream', (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8' },
        body: 'event: delta\ndata: {"text":"<img src=x onerror=window.__hacked=1>"}\n\nevent: error\ndata: {"error":{"code":"INTERNAL","message":"服务内部出现问题，请稍后再试。"}}\n\n',
      }),
    );
    try {
      await page.getByLabel('输入你的问题').fill('断缴三个月怎么办？');
      await page.getByLabel('输入你的问题').press('Enter');
      const failed = page.locator('.msg--failed');
      await expect.poll(() => failed.count()).toBe(1);
      expect(await failed.locator('.msg__error-text').textContent()).toBe('服务内部出现问题，请稍后再试。');
      expect(await failed.locator('.bubble').textContent()).toBe('断缴三个月怎么办？');
      expect(await page.locator('#messages img:not(.avatar)').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).toBeUndefined();
    } finally {
      await page.unroute('**/v1/chat/stream');
    }
  });

  it('starts a new conversation with 新对话: history and session are cleared', async () => {
    expect(await page.locator('.msg--user').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /开始新对话/ }).click();
    expect(await page.locator('#messages .msg').count()).toBe(1);
    expect(await page.locator('.msg--welcome').count()).toBe(1);
    const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), STORAGE_KEY);
    expect(stored).toEqual({ sessionId: null, messages: [] });
  });
});

describe('chat widget: a timeline past the last holiday notice is marked provisional', () => {
  let widget: OpenWidget;
  let page: Page;

  beforeAll(async () => {
    widget = await openWidget();
    ({ page } = widget);
  });

  afterAll(async () => widget?.close());

  it('shows 暂定 on the card, on each date that runs into 2027 and in a note with the reason, also after a reload', async () => {
    const input = page.getByLabel('输入你的问题');
    await input.fill('转出地2026年12月20号受理的，最晚哪天办完？');
    const done = await doneEventOf(await responseTo(page, '/v1/chat/stream', () => input.press('Enter')));
    await expect.poll(() => answerForTurn(page, 1).count()).toBe(1);
    const call = (done.toolCalls as { name: string; output: { provisional: boolean; provisionalReason: string; stages: { deadline: string | null; provisional: boolean }[] } }[])
      .find((c) => c.name === 'transfer_timeline')!;
    expect(call.output.provisional).toBe(true);

    const checkCard = async () => {
      const card = answerForTurn(page, 1).locator('.timeline');
      expect(await card.count()).toBe(1);
      expect(await card.locator('.card__heading .timeline__badge').textContent()).toBe('暂定');
      expect(await card.locator('time .timeline__mark').allTextContents()).toEqual(['暂定', '暂定']);
      const dates = card.locator('time.timeline__date');
      expect(await dates.allTextContents()).toEqual(['最晚 2027年1月4日（周一）暂定', '最晚 2027年1月11日（周一）暂定']);
      expect(await card.locator('time.timeline__date--provisional').count()).toBe(call.output.stages.filter((st) => st.deadline && st.provisional).length);
      expect(await card.locator('.timeline__latest').textContent()).toBe('关系转移暂定最晚办完：2027年1月11日（周一）');
      const note = card.getByRole('note');
      expect(await note.textContent()).toBe(call.output.provisionalReason);
      expect(await note.textContent()).toContain('2027年的放假调休安排还没公布');
      // The mark is shown, not only present: it takes space on the phone screen.
      expect((await card.locator('.card__heading .timeline__badge').boundingBox())!.width).toBeGreaterThan(0);
    };
    await checkCard();
    // The reply states the dates for other clients; the page shows them on the card only, and the
    // card's note is not repeated either.
    expect(done.reply).toContain('暂定最晚2027年1月4日');
    const bubbleText = (await answerForTurn(page, 1).locator('.bubble').allTextContents()).join('\n');
    for (const date of ['2027年1月4日', '2027年1月11日', '2026年12月20日']) expect(bubbleText).not.toContain(date);
    expect(bubbleText).not.toContain(call.output.provisionalReason);

    await answerForTurn(page, 1).locator('.timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'widget-375-timeline-provisional.png') });
    await page.reload();
    await expect.poll(() => answerForTurn(page, 1).count()).toBe(1);
    await checkCard();
  });
});

describe('chat widget citation labels', () => {
  let widget: OpenWidget;
  let page: Page;

  beforeAll(async () => {
    widget = await openWidget();
    ({ page } = widget);
  });

  afterAll(async () => widget?.close());

  /** Sends a question and returns the done event's citations and the answer's cards, all opened. */
  async function ask(text: string, turn: number) {
    const input = page.getByLabel('输入你的问题');
    await input.fill(text);
    const response = await responseTo(page, '/v1/chat/stream', () => input.press('Enter'));
    const done = await doneEventOf(response);
    await expect.poll(() => answerForTurn(page, turn).count()).toBe(1);
    const answer = answerForTurn(page, turn);
    const more = answer.locator('.citations__more');
    if ((await more.count()) > 0) await more.click();
    const details = answer.getByRole('button', { name: '详细说明', exact: true });
    if ((await details.count()) > 0) await details.click();
    type Cited = { id: string; title: string; verificationLabel: string; applies: { label: string; ended: boolean } };
    // On the page the details' sources come first (the panel sits right under the reply).
    const citations = [...((done.detailsCitations ?? []) as Cited[]), ...(done.citations as Cited[])];
    return { citations, cards: answer.locator('.citation') };
  }

  it('shows on every card how the fact was verified and where and when it applies, apart', async () => {
    const { citations, cards } = await ask('广州的职工医保转到深圳，个人账户里的钱会划过去吗？我还在上班，深圳那边已经参保了', 1);
    expect(await cards.count()).toBe(citations.length);
    for (const [i, c] of citations.entries()) {
      const card = cards.nth(i);
      expect(await card.locator('.citation__title').textContent()).toBe(c.title);
      expect(await card.locator('.citation__verified').textContent()).toBe(c.verificationLabel);
      expect(await card.locator('.citation__applies').textContent()).toBe(c.applies.label);
    }
    // Guangdong's 6号 was read on the bureau's page, and its term ended on 2025-06-30.
    const guangdong = citations.findIndex((c) => c.id === 'balance-guangdong-intra-province');
    expect(guangdong).toBeGreaterThanOrEqual(0);
    const card = cards.nth(guangdong);
    expect(await card.locator('.citation__verified').textContent()).toBe('原文');
    expect(await card.locator('.citation__verified').getAttribute('class')).toContain('citation__verified--read');
    expect(await card.locator('.citation__applies').textContent()).toBe('广东省 · 施行期2022年7月1日至2025年6月30日（已期满）');
    expect(await card.locator('.citation__applies').getAttribute('class')).toContain('citation__applies--ended');
    // The national 43号 rules, read in a verbatim reprint, are not called a second-hand report.
    const national = citations.findIndex((c) => c.id === 'measures-2021-intra-province-covered');
    expect(national).toBeGreaterThanOrEqual(0);
    expect(await cards.nth(national).locator('.citation__verified').textContent()).toBe('原文转载');
    expect(await cards.nth(national).locator('.citation__applies').textContent()).toBe('全国');
  });

  it('labels a “no provincial rule found” citation as 未查到规定, not as a report', async () => {
    const { citations, cards } = await ask('我在河南，从郑州调去洛阳上班，职工医保个人账户的余额到洛阳还能用吗', 2);
    const index = citations.findIndex((c) => c.id === 'provincial-rule-not-verified');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(await cards.nth(index).locator('.citation__verified').textContent()).toBe('未查到规定');
    expect(await cards.nth(index).locator('.citation__verified').getAttribute('class')).toContain('citation__verified--not-found');
    expect(await cards.nth(index).locator('.citation__applies').textContent()).toBe('全国');
    expect(await answerForTurn(page, 2).locator('.bubble').textContent()).toContain('河南省医疗保障局');
  });
});
