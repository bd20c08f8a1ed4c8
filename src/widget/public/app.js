// The chat page: sends questions to POST /v1/chat/stream, renders the streamed reply, its
// citations, a timeline card for dated deadlines, the details behind a toggle and suggestion
// chips, takes thumbs feedback, and keeps the conversation in localStorage so a reload shows it
// again. Everything the server or the user wrote is rendered with textContent, never as HTML.
import { el } from './dom.js';
import { readSseStream } from './sse.js';
import { renderTimeline, timelineOf, withoutCardLines } from './timeline.js';

const STORAGE_KEY = 'yibao-transfer-widget:v1';
/** Older messages are dropped from storage beyond this many (the server keeps its own state). */
const MAX_STORED_MESSAGES = 80;
/** Give up when the stream shows no sign of life for this long. */
const IDLE_TIMEOUT_MS = 45_000;
const MAX_MESSAGE_LENGTH = 1000;

const NETWORK_FAILED = '网络连接失败，消息未发送成功';
const STREAM_BROKEN = '网络连接中断，回答没有完整收到，请重发';
const SERVER_FAILED = '服务暂时出现问题，消息未处理成功，请稍后重发';

const WELCOME_TEXT =
  '你好！我是医保转移助手。换城市工作或生活时，我可以帮你查：\n' +
  '· 医保关系和个人账户余额能不能转、怎么转\n' +
  '· 转移要多久、最晚哪天办完\n' +
  '· 断缴后怎么补缴、什么时候恢复待遇\n' +
  '· 个人账户的钱能不能取出来\n' +
  '· 退休人员个人账户每月划入多少\n' +
  '· 需要带什么材料、在哪里办\n' +
  '回答都会注明政策依据。可以直接输入问题，也可以点下面的常见问题。';

/** Quick replies for the six journeys. A chip with a placeholder fills the input instead of sending. */
const WELCOME_CHIPS = [
  { text: '医保能从A城市转到B城市吗？', placeholder: 'A城市' },
  { text: '转移要多久、最晚哪天办完？' },
  { text: '断缴了怎么补缴、什么时候能用？' },
  { text: '个人账户的钱能取出来吗？' },
  { text: '退休人员每月划入多少？' },
  { text: '需要带什么材料、在哪办？' },
];

/** Long source lists are cut to this many cards with a button for the rest (phones scroll a lot). */
const CITATIONS_SHOWN = 3;
/** Space kept above a reply scrolled to the top of the chat, so its first line is not flush with the bar. */
const REVEAL_MARGIN_PX = 8;
/** Where a citation applies, for a conversation stored before citations carried `applies`. */
const SCOPE_LABELS = { national: '全国', province: '省级', city: '市级' };
/** Verification labels the card styles as official wording that was read. */
const READ_TEXT = new Set(['original', 'verbatim-reprint', 'quoted-phrases']);

// ---------------------------------------------------------------------------------------------
// Elements and state.

const messagesEl = /** @type {HTMLOListElement} */ (document.getElementById('messages'));
const chatEl = /** @type {HTMLElement} */ (document.getElementById('chat'));
const form = /** @type {HTMLFormElement} */ (document.getElementById('composer'));
const input = /** @type {HTMLTextAreaElement} */ (document.getElementById('message-input'));
const sendButton = /** @type {HTMLButtonElement} */ (document.getElementById('send-button'));
const newChatButton = /** @type {HTMLButtonElement} */ (document.getElementById('new-chat'));
const announcer = /** @type {HTMLElement} */ (document.getElementById('status-announcer'));

/**
 * @typedef {{id: string, title: string, source: string, snippet: string, scope?: string,
 *   verification?: string, verificationLabel?: string, appliesLabel?: string, appliesEnded?: boolean}} Citation
 * @typedef {import('./timeline.js').TimelineCard} TimelineCard
 * @typedef {{id: string, role: 'user', text: string, status: 'sent'|'failed', error?: string}} UserMessage
 * @typedef {{id: string, role: 'bot', text: string, sessionId: string, turn: number, citations: Citation[],
 *   timeline: TimelineCard|null, details?: string, detailsCitations?: Citation[], suggestions: string[],
 *   feedback: 'up'|'down'|null}} BotMessage
 * @typedef {{sessionId: string|null, messages: Array<UserMessage|BotMessage>}} StoredState
 */

/** @type {StoredState} */
let state = loadState();
let sending = false;
/** False once the user scrolls during a reply: from then on the page leaves the view to them. */
let followReply = true;
let idCounter = 0;

function newId() {
  idCounter += 1;
  return `m${Date.now().toString(36)}${idCounter.toString(36)}`;
}

// ---------------------------------------------------------------------------------------------
// Storage.

/** @returns {StoredState} */
function loadState() {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return { sessionId: null, messages: [] };
    const parsed = JSON.parse(raw);
    const sessionId = typeof parsed?.sessionId === 'string' ? parsed.sessionId : null;
    const messages = Array.isArray(parsed?.messages) ? parsed.messages.filter(isStoredMessage) : [];
    return { sessionId, messages };
  } catch {
    // Storage blocked or corrupted: start afresh rather than fail to load the page.
    return { sessionId: null, messages: [] };
  }
}

/** @param {unknown} m */
function isStoredMessage(m) {
  if (!m || typeof m !== 'object') return false;
  const msg = /** @type {Record<string, unknown>} */ (m);
  if (typeof msg.id !== 'string' || typeof msg.text !== 'string') return false;
  if (msg.role === 'user') return msg.status === 'sent' || msg.status === 'failed';
  return msg.role === 'bot' && typeof msg.sessionId === 'string' && typeof msg.turn === 'number' &&
    Array.isArray(msg.citations) && Array.isArray(msg.suggestions);
}

function saveState() {
  state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Private mode or a full quota: the conversation still works, it just won't survive a reload.
  }
}

// ---------------------------------------------------------------------------------------------
// Small DOM helpers.

function scrollToBottom() {
  chatEl.scrollTop = chatEl.scrollHeight;
}

/**
 * Scrolls the chat so that the top of `item` sits just under the top bar, or as far down as the
 * log goes when the rest fits below it: a reply is read from its first line, not from its last
 * citation card (on a phone that is one to three screens apart).
 * @param {Element} item
 */
function revealTop(item) {
  const offset = item.getBoundingClientRect().top - chatEl.getBoundingClientRect().top;
  chatEl.scrollTop = Math.min(chatEl.scrollTop + offset - REVEAL_MARGIN_PX, chatEl.scrollHeight - chatEl.clientHeight);
}

/** @param {string} text */
function announce(text) {
  announcer.textContent = '';
  // A fresh text node after clearing makes screen readers announce repeated messages too.
  setTimeout(() => { announcer.textContent = text; }, 50);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
// A thumb drawn as a path (emoji fonts are not available everywhere); thumbs-down is the same shape turned over.
const THUMB_PATH = 'M3 10h3v11H3a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1zm5 0 4-7c1.6 0 2.6 1.2 2.2 2.9L13.6 9H19a2 2 0 0 1 1.9 2.6l-2.2 7.6A2.5 2.5 0 0 1 16.3 21H8z';

/** @param {'up'|'down'} direction */
function thumbIcon(direction) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('feedback__icon');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', THUMB_PATH);
  path.setAttribute('fill', 'currentColor');
  if (direction === 'down') path.setAttribute('transform', 'rotate(180 12 12)');
  svg.append(path);
  return svg;
}

function botAvatar() {
  const img = /** @type {HTMLImageElement} */ (el('img', 'avatar'));
  img.src = 'avatar.svg';
  img.alt = '';
  img.width = 40;
  img.height = 40;
  return img;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/**
 * @param {Array<{text: string, placeholder?: string}>} chips
 * @param {string} label
 */
function renderChips(chips, label) {
  const list = el('ul', 'chips');
  list.setAttribute('aria-label', label);
  for (const chip of chips) {
    const item = el('li');
    const button = /** @type {HTMLButtonElement} */ (el('button', 'chip', chip.text));
    button.type = 'button';
    button.disabled = sending;
    button.addEventListener('click', () => {
      if (chip.placeholder) fillInput(chip.text, chip.placeholder);
      else void send(chip.text);
    });
    item.append(button);
    list.append(item);
  }
  return list;
}

/** Puts a template question in the input and selects its placeholder for the user to replace. */
function fillInput(text, placeholder) {
  input.value = text;
  autosize();
  input.focus();
  const start = text.indexOf(placeholder);
  if (start >= 0) input.setSelectionRange(start, start + placeholder.length);
}

function renderWelcome() {
  const item = el('li', 'msg msg--bot msg--welcome');
  const body = el('div', 'msg__body');
  body.append(el('div', 'bubble', WELCOME_TEXT), renderChips(WELCOME_CHIPS, '常见问题'));
  item.append(botAvatar(), body);
  return item;
}

/** @param {UserMessage} msg */
function renderUser(msg) {
  const item = el('li', 'msg msg--user');
  item.dataset.id = msg.id;
  const body = el('div', 'msg__body');
  const bubble = el('div', 'bubble', msg.text);
  body.append(bubble);
  if (msg.status === 'failed') {
    item.classList.add('msg--failed');
    const error = el('p', 'msg__error');
    error.setAttribute('role', 'alert');
    const icon = el('span', 'msg__error-icon', '!');
    icon.setAttribute('aria-hidden', 'true');
    const retry = /** @type {HTMLButtonElement} */ (el('button', 'btn-small btn-small--primary msg__retry', '重发'));
    retry.type = 'button';
    retry.setAttribute('aria-label', `重发：${msg.text.slice(0, 40)}`);
    retry.addEventListener('click', () => resend(msg.id));
    error.append(icon, el('span', 'msg__error-text', msg.error || NETWORK_FAILED), retry);
    body.append(error);
  }
  item.append(body);
  return item;
}

/** @param {Citation} citation @param {string} domId */
function renderCitation(citation, domId) {
  const item = el('li');
  const button = /** @type {HTMLButtonElement} */ (el('button', 'citation'));
  button.type = 'button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', domId);
  button.append(el('span', 'citation__title', citation.title));
  const meta = el('span', 'citation__meta');
  if (citation.source) meta.append(el('span', 'citation__source', citation.source));
  // Two labels: how the fact was verified, and where and when it applies (with its term's end).
  if (citation.verificationLabel) {
    const kind = citation.verification && READ_TEXT.has(citation.verification) ? 'read' : citation.verification || 'other';
    const badge = el('span', `citation__verified citation__verified--${kind}`, citation.verificationLabel);
    badge.title = '核实方式';
    meta.append(badge);
  }
  const applies = citation.appliesLabel || (citation.scope && SCOPE_LABELS[/** @type {keyof typeof SCOPE_LABELS} */ (citation.scope)]);
  if (applies) {
    const where = el('span', citation.appliesEnded ? 'citation__applies citation__applies--ended' : 'citation__applies', applies);
    where.title = '适用范围和施行期';
    meta.append(where);
  }
  button.append(meta);
  const snippet = el('span', 'citation__snippet', citation.snippet);
  snippet.id = domId;
  const toggle = el('span', 'citation__toggle', '展开全文');
  toggle.setAttribute('aria-hidden', 'true');
  button.append(snippet, toggle);
  button.addEventListener('click', () => {
    const expanded = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!expanded));
    toggle.textContent = expanded ? '展开全文' : '收起';
  });
  item.append(button);
  return item;
}

/** @param {BotMessage} msg */
function renderFeedback(msg) {
  const group = el('div', 'feedback');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', '这条回答有帮助吗？');
  const status = el('span', 'feedback__status');
  status.setAttribute('aria-live', 'polite');

  /** @param {'up'|'down'} rating @param {string} label */
  const makeButton = (rating, label) => {
    const button = /** @type {HTMLButtonElement} */ (el('button', `feedback__button feedback__button--${rating}`));
    button.type = 'button';
    button.append(thumbIcon(rating), el('span', 'feedback__label', label));
    button.setAttribute('aria-pressed', String(msg.feedback === rating));
    button.addEventListener('click', async () => {
      if (msg.feedback === rating) return;
      up.disabled = true;
      down.disabled = true;
      status.textContent = '正在提交…';
      const result = await postFeedback({ sessionId: msg.sessionId, turn: msg.turn, rating });
      up.disabled = false;
      down.disabled = false;
      if (!result.ok) {
        status.textContent = result.message;
        return;
      }
      msg.feedback = rating;
      saveState();
      up.setAttribute('aria-pressed', String(rating === 'up'));
      down.setAttribute('aria-pressed', String(rating === 'down'));
      status.textContent = rating === 'up' ? '已记录：有帮助，谢谢！' : '已记录：没帮助。';
      group.querySelector('.feedback__comment')?.remove();
      if (rating === 'down') {
        const commentForm = renderCommentForm(msg, status);
        group.append(commentForm);
      }
    });
    return button;
  };
  const up = makeButton('up', '有帮助');
  const down = makeButton('down', '没帮助');
  group.append(up, down, status);
  return group;
}

/** @param {BotMessage} msg @param {HTMLElement} status */
function renderCommentForm(msg, status) {
  const commentForm = /** @type {HTMLFormElement} */ (el('form', 'feedback__comment'));
  const fieldId = `${newId()}-comment`;
  const label = el('label', 'visually-hidden', '哪里不满意？（选填）');
  label.setAttribute('for', fieldId);
  const field = /** @type {HTMLInputElement} */ (el('input'));
  field.id = fieldId;
  field.type = 'text';
  field.maxLength = 200;
  field.placeholder = '哪里不满意？（选填）';
  const submit = /** @type {HTMLButtonElement} */ (el('button', 'btn-small', '提交'));
  submit.type = 'submit';
  commentForm.append(label, field, submit);
  commentForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const comment = field.value.trim();
    if (!comment) return;
    submit.disabled = true;
    const result = await postFeedback({ sessionId: msg.sessionId, turn: msg.turn, rating: 'down', comment });
    submit.disabled = false;
    if (!result.ok) {
      status.textContent = result.message;
      return;
    }
    commentForm.remove();
    status.textContent = '已记录你的意见，谢谢！';
  });
  return commentForm;
}

/**
 * A card of citation buttons under a heading. Beyond `shown` cards, the rest wait behind one
 * button that names how many there are in all.
 * @param {Citation[]} citations @param {string} id unique prefix @param {string} title @param {number} shown
 */
function renderCitationsCard(citations, id, title, shown) {
  const card = el('section', 'card citations-card');
  const heading = el('h2', 'card__heading', `${title}（${citations.length}）`);
  heading.id = `${id}-heading`;
  card.setAttribute('aria-labelledby', heading.id);
  const list = el('ul', 'citations');
  list.id = `${id}-list`;
  citations.forEach((c, i) => {
    const item = renderCitation(c, `${id}-${i}`);
    if (i >= shown) item.hidden = true;
    list.append(item);
  });
  card.append(heading, list);
  if (citations.length > shown) {
    const showAll = `查看全部${citations.length}条依据`;
    const more = /** @type {HTMLButtonElement} */ (el('button', 'citations__more', showAll));
    more.type = 'button';
    more.setAttribute('aria-expanded', 'false');
    more.setAttribute('aria-controls', list.id);
    more.addEventListener('click', () => {
      const expand = more.getAttribute('aria-expanded') !== 'true';
      [...list.children].slice(shown).forEach((item) => { /** @type {HTMLElement} */ (item).hidden = !expand; });
      more.setAttribute('aria-expanded', String(expand));
      more.textContent = expand ? '收起' : showAll;
    });
    card.append(more);
  }
  return card;
}

/**
 * What the short answer left out, behind a 详细说明 toggle (closed at first): the text, then the
 * entries only it relies on.
 * @param {BotMessage} msg
 */
function renderDetails(msg) {
  const wrap = el('div', 'details');
  const panelId = `${msg.id}-details`;
  const toggle = /** @type {HTMLButtonElement} */ (el('button', 'details__toggle', '详细说明'));
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', panelId);
  const panel = el('section', 'card details__panel');
  panel.id = panelId;
  panel.hidden = true;
  panel.setAttribute('aria-label', '详细说明');
  panel.append(el('div', 'details__text', msg.details));
  const citations = msg.detailsCitations ?? [];
  if (citations.length > 0) panel.append(renderCitationsCard(citations, `${msg.id}-detail-cite`, '详细说明的依据', Infinity));
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
  });
  wrap.append(toggle, panel);
  return wrap;
}

/**
 * @param {BotMessage} msg
 * @param {boolean} withSuggestions only the latest answer offers suggestion chips
 */
function renderBot(msg, withSuggestions) {
  const item = el('li', 'msg msg--bot');
  item.dataset.id = msg.id;
  item.dataset.turn = String(msg.turn);
  const body = el('div', 'msg__body');
  if (msg.timeline) {
    // The bubble keeps only what the card does not show; when the card took the answer's first
    // line, the card comes first and what is left of the bubble follows as a note.
    const { text, leadOnCard } = withoutCardLines(msg.text, msg.timeline);
    const parts = [renderTimeline(msg.timeline, msg.id), ...(text ? [el('div', 'bubble', text)] : [])];
    body.append(...(leadOnCard ? parts : parts.reverse()));
  } else {
    body.append(el('div', 'bubble', msg.text));
  }
  if (msg.details) body.append(renderDetails(msg));
  if (msg.citations.length > 0) body.append(renderCitationsCard(msg.citations, `${msg.id}-cite`, '依据', CITATIONS_SHOWN));
  body.append(renderFeedback(msg));
  if (withSuggestions && msg.suggestions.length > 0) {
    body.append(renderChips(msg.suggestions.map((text) => ({ text })), '你可能还想问'));
  }
  item.append(botAvatar(), body);
  return item;
}

/** A bot bubble that fills as deltas arrive. */
function renderStreamingBot() {
  const item = el('li', 'msg msg--bot msg--streaming');
  item.setAttribute('aria-busy', 'true');
  const body = el('div', 'msg__body');
  const bubble = el('div', 'bubble bubble--typing');
  const dots = el('span', 'typing-dots', '正在回答');
  bubble.append(dots);
  body.append(bubble);
  item.append(botAvatar(), body);
  return {
    item,
    /** @param {string} text the whole text streamed so far */
    update(text) {
      bubble.classList.remove('bubble--typing');
      bubble.textContent = text;
    },
  };
}

function renderAll() {
  messagesEl.replaceChildren(renderWelcome());
  const lastBot = [...state.messages].reverse().find((m) => m.role === 'bot');
  for (const msg of state.messages) {
    messagesEl.append(msg.role === 'user' ? renderUser(msg) : renderBot(msg, msg === lastBot));
  }
  // A reload opens on the start of the last message, as it was left.
  if (messagesEl.lastElementChild) revealTop(messagesEl.lastElementChild);
}

/** Old suggestion chips go away once the conversation moves on. */
function removeSuggestionChips() {
  for (const chips of messagesEl.querySelectorAll('.msg:not(.msg--welcome) .chips')) chips.remove();
}

function setSending(value) {
  sending = value;
  sendButton.disabled = value;
  form.setAttribute('aria-busy', String(value));
  for (const chip of messagesEl.querySelectorAll('.chip')) /** @type {HTMLButtonElement} */ (chip).disabled = value;
  for (const retry of messagesEl.querySelectorAll('.msg__retry')) /** @type {HTMLButtonElement} */ (retry).disabled = value;
}

// ---------------------------------------------------------------------------------------------
// Network.

class ChatError extends Error {
  /** @param {string} message shown to the user @param {string} code */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** @param {unknown} body @returns {{code?: string, message?: string}} */
function errorOf(body) {
  const error = body && typeof body === 'object' ? /** @type {{error?: unknown}} */ (body).error : undefined;
  if (!error || typeof error !== 'object') return {};
  const { code, message } = /** @type {{code?: unknown, message?: unknown}} */ (error);
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' && message.trim() ? message : undefined,
  };
}

/**
 * Streams one turn. Calls onText with the text received so far; resolves with the final
 * response object of the `done` event.
 * @param {string} message
 * @param {(text: string) => void} onText
 */
async function streamChat(message, onText) {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
  const keepAlive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
  };
  try {
    let response;
    try {
      response = await fetch('/v1/chat/stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(state.sessionId ? { sessionId: state.sessionId, message } : { message }),
        signal: controller.signal,
      });
    } catch {
      throw new ChatError(NETWORK_FAILED, 'NETWORK');
    }
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      const { code, message: serverMessage } = errorOf(body);
      throw new ChatError(serverMessage ?? (response.status >= 500 ? SERVER_FAILED : NETWORK_FAILED), code ?? `HTTP_${response.status}`);
    }
    if (!response.body) throw new ChatError(STREAM_BROKEN, 'NO_BODY');

    let streamed = '';
    /** @type {Record<string, unknown> | null} */
    let done = null;
    /** @type {{code?: string, message?: string} | null} */
    let failure = null;
    try {
      await readSseStream(response.body, (event, data) => {
        keepAlive();
        if (event === 'delta' && data && typeof (/** @type {{text?: unknown}} */ (data).text) === 'string') {
          streamed += /** @type {{text: string}} */ (data).text;
          onText(streamed);
        } else if (event === 'done' && data && typeof data === 'object') {
          done = /** @type {Record<string, unknown>} */ (data);
        } else if (event === 'error') {
          failure = errorOf(data);
        }
      });
    } catch {
      throw new ChatError(STREAM_BROKEN, 'NETWORK');
    }
    if (failure) throw new ChatError(/** @type {{message?: string}} */ (failure).message ?? SERVER_FAILED, /** @type {{code?: string}} */ (failure).code ?? 'SERVER');
    if (!done) throw new ChatError(STREAM_BROKEN, 'INCOMPLETE');
    return { response: /** @type {Record<string, unknown>} */ (done), streamed };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * @param {{sessionId: string, turn: number, rating: 'up'|'down', comment?: string}} payload
 * @returns {Promise<{ok: true} | {ok: false, message: string}>}
 */
async function postFeedback(payload) {
  try {
    const response = await fetch('/v1/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (response.ok) return { ok: true };
    const { message } = errorOf(await response.json().catch(() => null));
    return { ok: false, message: message ?? '反馈未提交成功，请稍后再试' };
  } catch {
    return { ok: false, message: '网络连接失败，反馈未提交成功' };
  }
}

// ---------------------------------------------------------------------------------------------
// Turning a response into a stored message.

/** @param {unknown} value @returns {Citation[]} */
function citationsOf(value) {
  if (!Array.isArray(value)) return [];
  return value
    .filter((c) => c && typeof c.title === 'string')
    .map((c) => ({
      id: String(c.id ?? ''),
      title: c.title,
      source: typeof c.source === 'string' ? c.source : '',
      snippet: typeof c.snippet === 'string' ? c.snippet : '',
      scope: typeof c.scope === 'string' ? c.scope : undefined,
      verification: typeof c.verification === 'string' ? c.verification : undefined,
      verificationLabel: typeof c.verificationLabel === 'string' ? c.verificationLabel : undefined,
      appliesLabel: c.applies && typeof c.applies.label === 'string' ? c.applies.label : undefined,
      appliesEnded: Boolean(c.applies && c.applies.ended === true),
    }));
}

/** @param {Record<string, unknown>} response @param {string} streamed @returns {BotMessage} */
function botMessageOf(response, streamed) {
  // done.reply is the whole answer. With `replace: true` it differs from what was streamed (the
  // server reworded it after streaming began) and must win; otherwise the two are the same text.
  const reply = typeof response.reply === 'string' && response.reply ? response.reply : streamed;
  return {
    id: newId(),
    role: 'bot',
    text: reply,
    sessionId: typeof response.sessionId === 'string' ? response.sessionId : state.sessionId ?? '',
    turn: typeof response.turn === 'number' ? response.turn : 0,
    citations: citationsOf(response.citations),
    timeline: timelineOf(response.toolCalls),
    details: typeof response.details === 'string' ? response.details.trim() : '',
    detailsCitations: citationsOf(response.detailsCitations),
    suggestions: Array.isArray(response.suggestions)
      ? response.suggestions.filter((s) => typeof s === 'string' && s.trim()).slice(0, 6)
      : [],
    feedback: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Sending.

/** @param {string} raw */
async function send(raw) {
  const text = raw.trim();
  if (!text || sending) return;
  if (text.length > MAX_MESSAGE_LENGTH) {
    announce(`消息太长了，请控制在 ${MAX_MESSAGE_LENGTH} 字以内。`);
    return;
  }
  if (input.value.trim() === text) {
    input.value = '';
    autosize();
  }
  /** @type {UserMessage} */
  const userMsg = { id: newId(), role: 'user', text, status: 'sent' };
  state.messages.push(userMsg);
  const userEl = renderUser(userMsg);
  const streaming = renderStreamingBot();
  messagesEl.append(userEl, streaming.item);
  followReply = true;
  revealTop(streaming.item);
  setSending(true);

  try {
    // The view follows the growing reply until its first line would leave the top, then stays put.
    const { response, streamed } = await streamChat(text, (soFar) => {
      streaming.update(soFar);
      if (followReply) revealTop(streaming.item);
    });
    const botMsg = botMessageOf(response, streamed);
    if (botMsg.sessionId) state.sessionId = botMsg.sessionId;
    state.messages.push(botMsg);
    saveState();
    removeSuggestionChips();
    const botEl = renderBot(botMsg, true);
    streaming.item.replaceWith(botEl);
    if (followReply) revealTop(botEl);
  } catch (err) {
    const error = err instanceof ChatError ? err : new ChatError(NETWORK_FAILED, 'UNKNOWN');
    // The server no longer accepts this session id: the next attempt starts a new session.
    if (error.code === 'INVALID_SESSION_ID') state.sessionId = null;
    streaming.item.remove();
    userMsg.status = 'failed';
    userMsg.error = error.message;
    saveState();
    userEl.replaceWith(renderUser(userMsg));
    // Keep the typed text at hand for editing too, unless the user has started a new one.
    if (!input.value.trim()) {
      input.value = text;
      autosize();
    }
    scrollToBottom();
  } finally {
    setSending(false);
  }
}

/** @param {string} id */
function resend(id) {
  if (sending) return;
  const index = state.messages.findIndex((m) => m.id === id);
  const msg = state.messages[index];
  if (!msg || msg.role !== 'user') return;
  state.messages.splice(index, 1);
  saveState();
  messagesEl.querySelector(`[data-id="${id}"]`)?.remove();
  if (input.value.trim() === msg.text) input.value = '';
  void send(msg.text);
  input.focus();
}

// ---------------------------------------------------------------------------------------------
// Input bar.

function autosize() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, 132)}px`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void send(input.value);
  input.focus();
});

input.addEventListener('keydown', (event) => {
  // Enter sends; Shift+Enter is a newline; Enter while an IME is composing picks a candidate.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    if (!sending) form.requestSubmit();
  }
});
input.addEventListener('input', autosize);

// Scrolling by hand while a reply arrives means the user is reading something: stop moving the view.
for (const type of ['wheel', 'touchmove']) {
  chatEl.addEventListener(type, () => { if (sending) followReply = false; }, { passive: true });
}

newChatButton.addEventListener('click', () => {
  if (sending) return;
  state = { sessionId: null, messages: [] };
  saveState();
  renderAll();
  input.value = '';
  autosize();
  input.focus();
  announce('已开始新对话');
});

renderAll();
