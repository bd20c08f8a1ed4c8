import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { launchChromium } from '../helpers/chromium.js';
import { startApp, type RunningApp } from '../helpers/app.js';
import { doneEventOf, responseTo } from './widget-page.js';

// A reply is read from its first line: after each answer the widget shows the start of it, not the
// bottom of the page. The timeline card carries the dates instead of the bubble, long source lists
// fold after three cards, and what the short answer left out waits behind 详细说明.

const screenshotDir = join(projectRoot, 'artifacts', 'screenshots');
const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const desktop = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
/** A phone with the on-screen keyboard open: about half the screen is left for the chat. */
const phoneWithKeyboard = { ...phone, viewport: { width: 375, height: 420 } };
const actionTimeoutMs = 8_000;

/** Five different things people ask, one per journey. */
const fiveQuestions = [
  '我在青岛交的职工医保，要调到南京工作了，医保能转过去吗？',
  '转移申请是2026年5月6日受理的，最晚哪天能办完？',
  '职工医保断缴了两个月，怎么补缴？补缴后什么时候能报销？',
  '办医保转移要准备哪些材料？去哪里办？',
  '离职了，医保个人账户里的钱能一次性取出来吗？',
];

interface Citation {
  id: string;
  title: string;
}

interface Done {
  reply: string;
  turn: number;
  details?: string;
  citations: Citation[];
  detailsCitations?: Citation[];
  toolCalls: { name: string; input: Record<string, unknown>; output: { stages: { deadline: string | null }[]; latest: string } }[];
}

let browser: Browser;
let running: RunningApp;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  running = await startApp({ config: { RATE_LIMIT_MAX: 10_000 }, server: { forceCloseConnections: true } });
  mkdirSync(screenshotDir, { recursive: true });
});

afterEach(() => {
  expect(pageErrors.splice(0), 'errors thrown in the page').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

async function openPage(options: typeof phone | typeof desktop): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, locale: 'zh-CN' });
  context.setDefaultTimeout(actionTimeoutMs);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${running.url}/`);
  return { context, page };
}

const answerForTurn = (page: Page, turn: number) => page.locator(`#messages .msg--bot[data-turn="${turn}"]`);

/** Types a question, sends it with Enter and waits until its answer is drawn; returns the done event. */
async function ask(page: Page, question: string): Promise<Done> {
  const input = page.getByLabel('输入你的问题');
  await input.fill(question);
  const done = (await doneEventOf(await responseTo(page, '/v1/chat/stream', () => input.press('Enter')))) as unknown as Done;
  await expect.poll(() => answerForTurn(page, done.turn).count()).toBe(1);
  return done;
}

/** Where the reply of `turn` sits against the part of the chat the user can see, in CSS pixels. */
async function placement(page: Page, turn: number) {
  return answerForTurn(page, turn).evaluate((reply) => {
    const chat = document.getElementById('chat')!.getBoundingClientRect();
    const box = reply.getBoundingClientRect();
    return { top: box.top, height: box.height, chatTop: chat.top, chatBottom: chat.bottom, windowHeight: window.innerHeight };
  });
}

/** 2026-05-14 → the two ways a reply writes it. */
const spellings = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return [iso, `${y}年${m}月${d}日`];
};

describe.each([
  { name: 'phone', size: phone },
  { name: 'desktop', size: desktop },
])('on a $name ($size.viewport.width×$size.viewport.height), five questions in a row', ({ size }) => {
  it('each new reply opens at its first line, inside the screen', async () => {
    const { context, page } = await openPage(size);
    try {
      const heights: number[] = [];
      for (const [i, question] of fiveQuestions.entries()) {
        const done = await ask(page, question);
        expect(done.turn).toBe(i + 1);
        const at = await placement(page, done.turn);
        heights.push(at.height);
        // The top of the new reply is below the top bar and at least a line above the input bar.
        expect(at.top, `reply ${done.turn}: top of the reply is not scrolled above the chat`).toBeGreaterThanOrEqual(at.chatTop - 1);
        expect(at.top + 24, `reply ${done.turn}: the first line is above the input bar`).toBeLessThanOrEqual(at.chatBottom);
        expect(at.chatBottom).toBeLessThanOrEqual(at.windowHeight + 1);
        // The first line itself is the part in view (the bubble, or the card that replaces it).
        const first = answerForTurn(page, done.turn).locator('.msg__body > *').first();
        const firstBox = (await first.boundingBox())!;
        expect(firstBox.y).toBeGreaterThanOrEqual(at.chatTop - 1);
        expect(firstBox.y).toBeLessThan(at.chatBottom);
        await page.screenshot({ path: join(screenshotDir, `widget-${size.viewport.width}-reply-${done.turn}.png`) });
      }
      if (size === phone) {
        // On the phone some replies are taller than the chat, so scrolling to the bottom of the page
        // would have put their first line out of sight: the checks above could fail.
        const chat = await page.locator('#chat').boundingBox();
        expect(Math.max(...heights)).toBeGreaterThan(chat!.height);
      }
    } finally {
      await context.close();
    }
  });
});

describe('while a long reply streams in on a phone with the keyboard open', () => {
  it('follows the reply until its first line reaches the top, then leaves the view there', async () => {
    const { context, page } = await openPage(phoneWithKeyboard);
    try {
      // Every text the streaming bubble shows, with where its top was when that text was drawn.
      await page.evaluate(`(() => {
        const chat = document.getElementById('chat');
        const seen = [];
        window.__streamTops = seen;
        new MutationObserver(() => {
          const item = document.querySelector('.msg--streaming');
          if (!item || item.querySelector('.bubble--typing')) return;
          seen.push({ top: item.getBoundingClientRect().top - chat.getBoundingClientRect().top, height: item.getBoundingClientRect().height, chatHeight: chat.clientHeight });
        }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
      })()`);
      const done = await ask(page, '广州的职工医保转到深圳，个人账户里的钱会划过去吗？我还在上班，深圳那边已经参保了');
      const tops = (await page.evaluate('window.__streamTops')) as { top: number; height: number; chatHeight: number }[];
      // Deltas of one network chunk are drawn together, so there may be one sample per chunk; what
      // counts is that the streamed text outgrew the chat while its top stayed in view.
      expect(tops.length).toBeGreaterThan(0);
      expect(Math.max(...tops.map((t) => t.height)), 'the streamed reply grew taller than the chat').toBeGreaterThan(tops[0]!.chatHeight);
      for (const t of tops) expect(t.top, JSON.stringify(t)).toBeGreaterThanOrEqual(-1);
      const at = await placement(page, done.turn);
      expect(at.top).toBeGreaterThanOrEqual(at.chatTop - 1);
      expect(at.top).toBeLessThan(at.chatTop + 40);
      await page.screenshot({ path: join(screenshotDir, 'widget-375-keyboard-long-reply.png') });
    } finally {
      await context.close();
    }
  });
});

describe('the parts of an answer on a phone', () => {
  let context: BrowserContext;
  let page: Page;
  /** The transfer answer (turn 2), which has more than three sources and details. */
  let transfer: Done;

  beforeAll(async () => {
    ({ context, page } = await openPage(phone));
  });

  afterAll(async () => context?.close());

  it('shows a dated answer’s dates on the timeline card and not again in the bubble', async () => {
    const done = await ask(page, '转移申请2026年4月28日受理的，最晚哪天办完？');
    const call = done.toolCalls.find((c) => c.name === 'transfer_timeline');
    expect(call, 'the dated question runs the timeline tool').toBeDefined();
    const answer = answerForTurn(page, done.turn);
    const card = answer.locator('.timeline');
    expect(await card.count()).toBe(1);

    const cardDates = [
      ...call!.output.stages.flatMap((s) => (s.deadline ? [s.deadline] : [])),
      call!.output.latest,
      String(call!.input.acceptedDate),
    ];
    const shownOnCard = await card.locator('time').evaluateAll((nodes) => nodes.map((n) => (n as HTMLTimeElement).dateTime));
    expect(new Set(shownOnCard)).toEqual(new Set(cardDates));

    // The API's reply keeps the dates for other clients; the bubble does not repeat them.
    const replyLines = done.reply.split('\n');
    const dated = replyLines.filter((line) => cardDates.some((d) => spellings(d).some((s) => line.includes(s))));
    expect(dated.length, 'the reply states the card’s dates').toBeGreaterThan(0);
    const bubble = answer.locator('.bubble');
    const bubbleText = (await bubble.count()) > 0 ? (await bubble.textContent())! : '';
    for (const date of cardDates) for (const spelling of spellings(date)) expect(bubbleText).not.toContain(spelling);
    // What the card does not say stays in the bubble (here the holidays the count skipped).
    const undated = replyLines.filter((line) => !dated.includes(line) && line.trim());
    expect(undated.length).toBeGreaterThan(0);
    for (const line of undated) expect(bubbleText).toContain(line);
    // The card took the answer's first line, so it comes first and the rest follows as a note.
    expect(await answer.locator('.msg__body > :first-child').getAttribute('class')).toContain('timeline');
    expect(await answer.locator('.timeline + .bubble').count()).toBe(1);
    await answer.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'widget-375-timeline-no-repeat.png') });
  });

  it('drops only the lines whose dates are all on the card, in both ways of writing a date', async () => {
    const kept = await page.evaluate(`(async () => {
      const { withoutCardLines, datesIn } = await import('/timeline.js');
      const card = { stages: [{ deadline: '2026-05-14' }, { deadline: null }], latest: '2026-05-21', acceptedDate: '2026-04-28', receivedDate: null, provisionalReason: '2027年的安排还没公布。' };
      const text = ['按2026年4月28日受理算，转出地最晚2026年5月14日办完，转入地最晚2026年5月21日办完。', '跳过：劳动节 2026-05-01 至 2026-05-05。', '假设转出地在2026-05-14才发出。', '另一个日期2026年6月1日。', '2027年的安排还没公布。', '没有日期的一句。'].join('\\n');
      return { kept: withoutCardLines(text, card), dates: datesIn('2026年5月4日和2026-12-31'), lead: withoutCardLines('能转。\\n最晚2026年5月14日。', card) };
    })()`);
    expect(kept).toEqual({
      kept: { text: '跳过：劳动节 2026-05-01 至 2026-05-05。\n另一个日期2026年6月1日。\n没有日期的一句。', leadOnCard: true },
      dates: ['2026-05-04', '2026-12-31'],
      lead: { text: '能转。', leadOnCard: false },
    });
  });

  it('opens at most three source cards, the rest behind one button that names how many in all', async () => {
    const done = await ask(page, '我从青岛调到南京工作，职工医保怎么转？');
    transfer = done;
    expect(done.citations.length, 'this answer relies on more than three entries').toBeGreaterThan(3);
    const answer = answerForTurn(page, done.turn);
    const card = answer.locator('.citations-card').last();
    const visible = card.locator('.citation:visible');
    expect(await visible.count()).toBe(3);
    expect(await card.locator('.citation').count()).toBe(done.citations.length);
    const more = card.getByRole('button', { name: `查看全部${done.citations.length}条依据` });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    expect(await visible.count()).toBe(done.citations.length);
    expect(await card.locator('.citation__title').allTextContents()).toEqual(done.citations.map((c) => c.title));
    expect(await card.locator('.citations__more').getAttribute('aria-expanded')).toBe('true');
    await card.locator('.citations__more').click();
    expect(await visible.count()).toBe(3);
  });

  it('keeps what the short answer left out behind a closed 详细说明 toggle that opens it with its sources', async () => {
    const answer = answerForTurn(page, transfer.turn);
    const stored = transfer;
    expect(stored.details, 'the transfer answer has details').toBeTruthy();
    expect(stored.detailsCitations?.length).toBeGreaterThan(0);
    const toggle = answer.getByRole('button', { name: '详细说明', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const panel = answer.locator(`#${await toggle.getAttribute('aria-controls')}`);
    expect(await panel.isVisible()).toBe(false);
    expect(await answer.locator('.bubble').textContent()).not.toContain(stored.details!.split('\n')[0]);

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.isVisible()).toBe(true);
    expect(await panel.locator('.details__text').textContent()).toBe(stored.details);
    const cards = panel.locator('.citation');
    expect(await cards.count()).toBe(stored.detailsCitations!.length);
    expect(await panel.locator('.citation__title').allTextContents()).toEqual(stored.detailsCitations!.map((c) => c.title));
    expect(await panel.locator('.citation:visible').count()).toBe(stored.detailsCitations!.length);
    await toggle.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'widget-375-details-open.png') });

    await toggle.click();
    expect(await panel.isVisible()).toBe(false);
  });

  it('shows the same answer the same way after a reload, toggle closed', async () => {
    await page.reload();
    await expect.poll(() => answerForTurn(page, 2).count()).toBe(1);
    const answer = answerForTurn(page, 2);
    expect(await answer.getByRole('button', { name: '详细说明', exact: true }).getAttribute('aria-expanded')).toBe('false');
    expect(await answer.locator('.citation:visible').count()).toBe(3);
    expect(await answerForTurn(page, 1).locator('.timeline').count()).toBe(1);
  });

  it('has no 详细说明 toggle on an answer without details', async () => {
    const done = await ask(page, '你好');
    expect(done.details, 'this answer left nothing out').toBeUndefined();
    expect(await answerForTurn(page, done.turn).locator('.details__toggle').count()).toBe(0);
  });
});
