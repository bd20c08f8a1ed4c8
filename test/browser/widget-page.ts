import type { Page, Response } from 'playwright-core';

/** One server-sent event as the browser received it. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses a complete text/event-stream body (the tests read it after the stream has ended). */
export function parseSseBody(body: string): SseEvent[] {
  return body
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: JSON.parse(data.join('\n')) as unknown };
    });
}

/** The `done` event's response object of a finished chat stream. */
export async function doneEventOf(response: Response): Promise<Record<string, unknown>> {
  const events = parseSseBody(await response.text());
  const done = events.find((e) => e.event === 'done');
  if (!done) throw new Error(`no done event in the stream: ${JSON.stringify(events).slice(0, 400)}`);
  return done.data as Record<string, unknown>;
}

/** Runs `action` and resolves with the response to the POST it makes to `path`. */
export async function responseTo(page: Page, path: string, action: () => Promise<unknown>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
    action(),
  ]);
  return response;
}

/**
 * Starts recording, inside the page, every text the streaming bot bubble shows and whether the
 * send button was ever disabled. A MutationObserver keeps each intermediate text even when several
 * deltas arrive in one network chunk and are painted in one frame.
 */
export async function startStreamRecorder(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const record = { texts: [], sendDisabledSeen: false };
    window.__streamRecord = record;
    const observer = new MutationObserver((mutations) => {
      for (const m of mutations) {
        const target = m.target.nodeType === Node.TEXT_NODE ? m.target.parentElement : m.target;
        if (!(target instanceof Element)) continue;
        if (target.id === 'send-button' && m.attributeName === 'disabled' && target.disabled) record.sendDisabledSeen = true;
        if (target.closest('.msg--streaming') && target.classList.contains('bubble')) {
          for (const node of m.addedNodes) if (node.nodeType === Node.TEXT_NODE) record.texts.push(node.data);
        }
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['disabled'] });
    window.__streamObserver = observer;
  })()`);
}

/** Stops the recorder and returns what it saw. */
export async function stopStreamRecorder(page: Page): Promise<{ texts: string[]; sendDisabledSeen: boolean }> {
  return page.evaluate(`(() => {
    window.__streamObserver.disconnect();
    return window.__streamRecord;
  })()`);
}

/**
 * The platform fonts Chromium actually used to draw an element's text (DevTools protocol), so a
 * test can tell real CJK glyphs from missing-glyph boxes.
 */
export async function platformFontsOf(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const client = await page.context().newCDPSession(page);
  try {
    await client.send('DOM.enable');
    await client.send('CSS.enable');
    const { root } = await client.send('DOM.getDocument');
    const { nodeId } = await client.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await client.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => ({ familyName: f.familyName, glyphCount: f.glyphCount }));
  } finally {
    await client.detach();
  }
}
