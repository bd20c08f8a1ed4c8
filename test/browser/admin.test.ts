import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuildAppOptions } from '../../src/app.js';
import { projectRoot } from '../../src/paths.js';
import { REVIEW_FILE_NAME } from '../../src/review/file-review-store.js';
import { launchChromium } from '../helpers/chromium.js';
import { responseTo } from './widget-page.js';

const TOKEN = 'browser-review-token-0123456789';
const screenshotDir = join(projectRoot, 'artifacts', 'screenshots');
const actionTimeoutMs = 8_000;
const desktop = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' };

// What the users type: an ID number, a phone number written with spaces, and one in a comment.
const ID_NUMBER = '110101199003071234';
const PHONE_SPACED = '139 1234 5678';
const PHONE_COMMENT = '13812345678';
const personalData = [ID_NUMBER, PHONE_SPACED, '13912345678', PHONE_COMMENT];

const scratch = mkdtempSync(join(tmpdir(), 'admin-browser-'));
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logLines.push(chunk.toString('utf8'));
    callback();
  },
});

async function start(config: BuildAppOptions['config']): Promise<{ app: FastifyInstance; baseUrl: string }> {
  // Chromium preconnects sockets that never carry a request; the tests stop the server outright.
  const app = await buildApp({ config: { RATE_LIMIT_MAX: 10_000, ...config }, logger: { level: 'debug', stream: logStream }, server: { forceCloseConnections: true } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** Sends one message from the chat widget and waits for its answer. */
async function ask(page: Page, message: string): Promise<void> {
  const before = await page.locator('#messages .msg--bot[data-turn]').count();
  await page.getByLabel('输入你的问题').fill(message);
  await responseTo(page, '/v1/chat/stream', () => page.getByLabel('输入你的问题').press('Enter'));
  await expect.poll(() => page.locator('#messages .msg--bot[data-turn]').count()).toBe(before + 1);
}

describe('operator review page in a real browser', () => {
  let browser: Browser;
  let app: FastifyInstance;
  let baseUrl: string;
  let widget: BrowserContext;
  let admin: BrowserContext;
  let adminPage: Page;
  const pageErrors: string[] = [];
  const dataDir = join(scratch, 'data');

  beforeAll(async () => {
    browser = await launchChromium();
    ({ app, baseUrl } = await start({ ADMIN_TOKEN: TOKEN, DATA_DIR: dataDir }));
    mkdirSync(screenshotDir, { recursive: true });
  });
  afterEach(() => {
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('three conversations in the chat widget: one thumbs-down with a comment, one out of scope, one answered', async () => {
    widget = await browser.newContext(desktop);
    widget.setDefaultTimeout(actionTimeoutMs);
    const page = await widget.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/`);

    await ask(page, `我的医保余额能从烟台转到苏州吗？我身份证号${ID_NUMBER}`);
    await ask(page, '职工医保');
    const answer = page.locator('#messages .msg--bot[data-turn="2"]');
    await responseTo(page, '/v1/feedback', () => answer.getByRole('button', { name: '没帮助' }).click());
    await answer.getByPlaceholder('哪里不满意？（选填）').fill(`没说要带什么材料，可以打我电话${PHONE_COMMENT}`);
    const commented = await responseTo(page, '/v1/feedback', () => answer.getByRole('button', { name: '提交' }).click());
    expect(commented.status()).toBe(204);

    await page.getByRole('button', { name: '开始新对话（清空当前记录）' }).click();
    await ask(page, '讲个笑话');

    await page.getByRole('button', { name: '开始新对话（清空当前记录）' }).click();
    await ask(page, `医保转移要多久？手机 ${PHONE_SPACED}`);
  });

  it('the API answers 401 without the token', async () => {
    const res = await fetch(`${baseUrl}/v1/admin/review`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/管理令牌/);
  });

  it('/admin asks for the token, refuses a wrong one, then lists both turns with their context and entry links', async () => {
    admin = await browser.newContext(desktop);
    admin.setDefaultTimeout(actionTimeoutMs);
    adminPage = await admin.newPage();
    adminPage.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await adminPage.goto(`${baseUrl}/admin`);
    expect(response?.status()).toBe(200);
    expect(adminPage.url()).toBe(`${baseUrl}/admin/`);
    await expect.poll(() => adminPage.locator('#login').isVisible()).toBe(true);
    expect(await adminPage.locator('#review').isVisible()).toBe(false);

    await adminPage.getByLabel('管理令牌（ADMIN_TOKEN）').fill('not-the-token-0123456789');
    await adminPage.getByRole('button', { name: '进入' }).click();
    await expect.poll(() => adminPage.locator('#login-error').textContent()).toContain('令牌不正确');

    await adminPage.getByLabel('管理令牌（ADMIN_TOKEN）').fill(TOKEN);
    await adminPage.getByRole('button', { name: '进入' }).click();
    await expect.poll(() => adminPage.locator('.item').count()).toBe(2);
    expect(await adminPage.locator('#summary').textContent()).toMatch(/点踩 1 · 超出范围 1/);

    const down = adminPage.locator('.item[data-reasons~="thumbs_down"]');
    expect(await down.locator('.badge').allTextContents()).toEqual(['点踩']);
    expect(await down.locator('.item__feedback').textContent()).toBe('用户点踩并留言：“没说要带什么材料，可以打我电话138****5678”');
    // The conversation around it: turn 1 before, turn 2 highlighted.
    expect(await down.locator('.turn').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.turn))).toEqual(['1', '2']);
    expect(await down.locator('.turn').first().textContent()).toContain('我的医保余额能从烟台转到苏州吗？我身份证号110101********1234');
    expect(await down.locator('.turn--current .line--user').textContent()).toContain('职工医保');
    const downFiles = await down.locator('.entry-link__file').allTextContents();
    expect(downFiles.length).toBeGreaterThan(2);
    for (const file of downFiles) expect(file).toMatch(/^knowledge\/entries\/[a-z_]+\/[a-z0-9-]+\.md$/);
    expect(await down.locator('.entry-link__id').allTextContents()).toContain('transfer-preconditions');

    const scope = adminPage.locator('.item[data-reasons~="out_of_scope"]');
    expect(await scope.locator('.turn--current .line--user').textContent()).toContain('讲个笑话');
    expect(await scope.locator('.entry-link__file').allTextContents()).toEqual(['knowledge/entries/scope/scope-what-we-cover.md']);

    // An entry link opens the entry's file, source and text.
    await scope.getByRole('link', { name: 'scope-what-we-cover' }).click();
    const dialog = adminPage.locator('#entry-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('#entry-meta').textContent()).toContain('knowledge/entries/scope/scope-what-we-cover.md');
    expect((await dialog.locator('#entry-body').textContent())!.length).toBeGreaterThan(20);
    await adminPage.screenshot({ path: join(screenshotDir, 'admin-review-entry.png') });
    await dialog.getByRole('button', { name: '关闭' }).click();
    await adminPage.screenshot({ path: join(screenshotDir, 'admin-review-1280.png'), fullPage: true });
  });

  it('filters by reason, and downloads the rows as CSV', async () => {
    await adminPage.getByLabel('原因').selectOption('thumbs_down');
    await adminPage.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => adminPage.locator('.item').count()).toBe(1);
    expect(await adminPage.locator('.item').getAttribute('data-reasons')).toBe('thumbs_down');

    const [download] = await Promise.all([adminPage.waitForEvent('download'), adminPage.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^review-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF时间,会话,轮次,原因')).toBe(true);
    expect(csv).toContain('没说要带什么材料，可以打我电话138****5678');
  });

  it('asks for the token once per browser session', async () => {
    await adminPage.reload();
    await expect.poll(() => adminPage.locator('.item').count()).toBe(2);
    expect(await adminPage.locator('#login').isVisible()).toBe(false);

    const otherSession = await browser.newContext(desktop);
    try {
      const page = await otherSession.newPage();
      await page.goto(`${baseUrl}/admin/`);
      await expect.poll(() => page.locator('#login').isVisible()).toBe(true);
    } finally {
      await otherSession.close();
    }
  });

  it('with ADMIN_TOKEN unset, both the page and the API answer 404', async () => {
    const plain = await start({ DATA_DIR: join(scratch, 'unset') });
    try {
      const page = await admin.newPage();
      for (const path of ['/admin', '/admin/']) expect((await page.goto(`${plain.baseUrl}${path}`))?.status(), path).toBe(404);
      await page.close();
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Record<string, string>[]) {
        expect((await fetch(`${plain.baseUrl}/v1/admin/review`, { headers })).status).toBe(404);
      }
    } finally {
      await plain.app.close();
    }
  });

  it('a scan of the logs and the review store finds none of the ID and phone numbers typed', async () => {
    await app.services.review!.flush();
    const store = readFileSync(join(dataDir, REVIEW_FILE_NAME), 'utf8');
    const logs = logLines.join('');
    expect(store).toContain('110101********1234');
    expect(store).toContain('138****5678');
    expect(logs).toContain('"route":"/v1/feedback"');
    for (const text of [store, logs]) for (const value of personalData) expect(text).not.toContain(value);
    await widget.close();
    await admin.close();
  });
});
