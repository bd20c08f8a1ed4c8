// The operator review page: asks for the admin token once per browser session (sessionStorage),
// lists the turns GET /v1/admin/review returns with the conversation around each and the entries
// they cited, and downloads the same selection as CSV or as eval case drafts.
// Everything the server returns is rendered with textContent, never as HTML.

const TOKEN_KEY = 'yibao-admin-token';

const REASON_LABELS = {
  thumbs_down: '点踩',
  out_of_scope: '超出范围',
  low_confidence: '理解置信度低',
  re_asked: '重问或纠正',
  model_fallback: '模型回退',
};

const INTENT_LABELS = {
  transfer: '能否转移',
  timeline: '办理时限',
  arrears: '断缴补缴',
  payout: '余额支取',
  retiree_credit: '退休划入',
  materials: '材料',
  online: '在哪办',
  hotline: '热线',
  legal_basis: '法律依据',
  working_days: '工作日',
  greeting: '问候',
  out_of_scope: '超出范围',
};

const FALLBACK_LABELS = {
  timeout: '超时',
  http_error: '接口错误',
  malformed: '输出格式错误',
  empty: '空回答',
  unbacked_figure: '数字无来源',
  unknown_citation: '引用了未提供的条目',
  injection: '疑似注入',
  tool_error: '工具调用失败',
};

const loginSection = /** @type {HTMLElement} */ (document.getElementById('login'));
const loginForm = /** @type {HTMLFormElement} */ (document.getElementById('login-form'));
const tokenInput = /** @type {HTMLInputElement} */ (document.getElementById('token-input'));
const loginError = /** @type {HTMLElement} */ (document.getElementById('login-error'));
const reviewSection = /** @type {HTMLElement} */ (document.getElementById('review'));
const signOut = /** @type {HTMLButtonElement} */ (document.getElementById('sign-out'));
const filters = /** @type {HTMLFormElement} */ (document.getElementById('filters'));
const sinceInput = /** @type {HTMLInputElement} */ (document.getElementById('filter-since'));
const untilInput = /** @type {HTMLInputElement} */ (document.getElementById('filter-until'));
const reasonSelect = /** @type {HTMLSelectElement} */ (document.getElementById('filter-reason'));
const intentSelect = /** @type {HTMLSelectElement} */ (document.getElementById('filter-intent'));
const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
const itemsList = /** @type {HTMLOListElement} */ (document.getElementById('items'));
const entryDialog = /** @type {HTMLDialogElement} */ (document.getElementById('entry-dialog'));

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------------------------------------
// The token: asked once, kept for this browser session only.

function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** @param {string|null} token */
function writeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage blocked: the token lives as long as the page.
  }
  memoryToken = token;
}

let memoryToken = readToken();

/** @param {string} [message] */
function showLogin(message = '') {
  reviewSection.hidden = true;
  signOut.hidden = true;
  loginSection.hidden = false;
  loginError.textContent = message;
  tokenInput.value = '';
  tokenInput.focus();
}

function showReview() {
  loginSection.hidden = true;
  reviewSection.hidden = false;
  signOut.hidden = false;
}

class Unauthorized extends Error {}

/**
 * GET with the bearer token; a 401 forgets the token and asks again.
 * @param {string} path
 */
async function authorizedFetch(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${memoryToken ?? ''}` } });
  if (response.status === 401) {
    writeToken(null);
    showLogin('令牌不正确或已更换，请重新输入。');
    throw new Unauthorized();
  }
  return response;
}

/** @param {Response} response */
async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.message === 'string') return body.error.message;
  } catch {
    // not JSON
  }
  return `请求失败（${response.status}）。`;
}

// ---------------------------------------------------------------------------------------------
// Filters.

/** Today's date in China, YYYY-MM-DD, minus `daysBack` days. */
function chinaDay(daysBack = 0) {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
  return format.format(new Date(Date.now() - daysBack * 24 * 60 * 60 * 1000));
}

/** The query string of the current filters (without format). */
function filterQuery() {
  const params = new URLSearchParams();
  if (sinceInput.value) params.set('since', sinceInput.value);
  if (untilInput.value) params.set('until', untilInput.value);
  if (reasonSelect.value) params.set('reason', reasonSelect.value);
  if (intentSelect.value) params.set('intent', intentSelect.value);
  return params;
}

for (const [value, label] of Object.entries(INTENT_LABELS)) {
  const option = /** @type {HTMLOptionElement} */ (el('option', undefined, `${label}（${value}）`));
  option.value = value;
  intentSelect.append(option);
}
// Every morning: what went wrong yesterday (and so far today).
sinceInput.value = chinaDay(1);

// ---------------------------------------------------------------------------------------------
// Rendering.

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** @param {string} iso */
const formatTime = (iso) => timeFormat.format(new Date(iso));

/**
 * @param {'user'|'bot'} who
 * @param {string} text
 */
function line(who, text) {
  const row = el('div', `line line--${who}`);
  row.append(el('span', 'line__who', who === 'user' ? '用户' : '助手'), el('span', 'line__text', text));
  return row;
}

/**
 * @typedef {{turn: number, at: string, question: string, reply: string, intent: string}} ContextTurn
 * @typedef {{id: string, title?: string, file?: string, url?: string}} EntryLink
 * @typedef {{sessionId: string, turn: number, at: string, question: string, reply: string, intent: string,
 *   reason: string, reasons: string[], rating?: string, comment?: string, citations: string[], entries: EntryLink[],
 *   confidence: number, understoodIntent: string, answeredBy: string, corrected: string[], reAsked: boolean,
 *   fallback?: string, slots: Record<string, unknown>, needs: string[], context: ContextTurn[]}} ReviewItem
 */

/** @param {ContextTurn} turn @param {boolean} current */
function renderTurn(turn, current) {
  const item = el('li', current ? 'turn turn--current' : 'turn');
  item.dataset.turn = String(turn.turn);
  item.append(el('span', 'turn__number', `第${turn.turn}轮 · ${formatTime(turn.at)} · ${INTENT_LABELS[turn.intent] ?? turn.intent}`));
  item.append(line('user', turn.question), line('bot', turn.reply));
  return item;
}

/** @param {EntryLink} entry */
function renderEntry(entry) {
  const item = el('li', 'entry-link');
  const open = /** @type {HTMLAnchorElement} */ (el('a', 'entry-link__id', entry.id));
  open.href = `#entry-${entry.id}`;
  open.addEventListener('click', (event) => {
    event.preventDefault();
    void showEntry(entry.id);
  });
  item.append(open);
  if (entry.title) item.append(el('span', 'entry-link__title', entry.title));
  item.append(el('code', 'entry-link__file', entry.file ?? '（知识库中已没有这个条目）'));
  if (entry.url) {
    const edit = /** @type {HTMLAnchorElement} */ (el('a', 'entry-link__edit', '编辑'));
    edit.href = entry.url;
    edit.target = '_blank';
    edit.rel = 'noopener noreferrer';
    item.append(edit);
  }
  return item;
}

/** @param {ReviewItem} item */
function renderItem(item) {
  const card = el('li', 'item');
  card.dataset.session = item.sessionId;
  card.dataset.turn = String(item.turn);
  card.dataset.reasons = item.reasons.join(' ');

  const head = el('div', 'item__head');
  for (const reason of item.reasons) head.append(el('span', `badge badge--${reason}`, REASON_LABELS[reason] ?? reason));
  head.append(el('span', 'item__when', `${formatTime(item.at)} · 会话 ${item.sessionId} · 第${item.turn}轮`));
  card.append(head);

  const facts = [
    `回答意图：${INTENT_LABELS[item.intent] ?? item.intent}`,
    `单句理解：${INTENT_LABELS[item.understoodIntent] ?? item.understoodIntent}（置信度 ${item.confidence}）`,
    `回答路径：${item.answeredBy === 'model' ? '模型' : '规则'}`,
  ];
  if (item.fallback) facts.push(`模型回答未采用：${FALLBACK_LABELS[item.fallback] ?? item.fallback}`);
  if (item.corrected.length > 0) facts.push(`用户纠正了：${item.corrected.join('、')}`);
  if (item.reAsked) facts.push('用户重问了上一轮的问题');
  card.append(el('p', 'item__facts', facts.join(' ｜ ')));

  if (item.rating === 'down') {
    card.append(el('p', 'item__feedback', item.comment ? `用户点踩并留言：“${item.comment}”` : '用户点踩（未留言）'));
  }

  const conversation = el('ol', 'conversation');
  conversation.setAttribute('aria-label', '前后对话');
  const before = item.context.filter((t) => t.turn < item.turn);
  const after = item.context.filter((t) => t.turn > item.turn);
  for (const turn of before) conversation.append(renderTurn(turn, false));
  conversation.append(renderTurn(item, true));
  for (const turn of after) conversation.append(renderTurn(turn, false));
  card.append(conversation);

  const slotText = Object.entries(item.slots).map(([k, v]) => `${k}=${String(v)}`).join('，');
  if (slotText || item.needs.length > 0) {
    card.append(el('p', 'item__slots', `已知信息：${slotText || '无'}${item.needs.length > 0 ? `；追问：${item.needs.join('、')}` : ''}`));
  }

  const entries = el('div', 'item__entries');
  entries.append(el('h3', 'item__entries-heading', item.entries.length > 0 ? `引用的条目（${item.entries.length}）` : '没有引用条目'));
  if (item.entries.length > 0) {
    const list = el('ul', 'entry-links');
    for (const entry of item.entries) list.append(renderEntry(entry));
    entries.append(list);
  }
  card.append(entries);
  return card;
}

/** @param {Record<string, number>} counts @param {number} shown @param {boolean} truncated */
function renderSummary(counts, shown, truncated) {
  const parts = Object.entries(REASON_LABELS).map(([reason, label]) => `${label} ${counts[reason] ?? 0}`);
  summary.textContent = `共 ${shown} 条${truncated ? '（只显示最新的部分，请缩小日期范围）' : ''}。${parts.join(' · ')}`;
}

// ---------------------------------------------------------------------------------------------
// Loading.

async function load() {
  summary.textContent = '正在加载…';
  let response;
  try {
    response = await authorizedFetch(`/v1/admin/review?${filterQuery()}`);
  } catch (err) {
    if (!(err instanceof Unauthorized)) summary.textContent = '网络连接失败，请稍后再试。';
    return;
  }
  if (!response.ok) {
    summary.textContent = await errorMessage(response);
    return;
  }
  showReview();
  const body = await response.json();
  itemsList.replaceChildren(...body.items.map(renderItem));
  renderSummary(body.counts, body.items.length, body.truncated);
}

/** @param {string} id */
async function showEntry(id) {
  let response;
  try {
    response = await authorizedFetch(`/v1/admin/entries/${encodeURIComponent(id)}`);
  } catch {
    return;
  }
  const title = /** @type {HTMLElement} */ (document.getElementById('entry-title'));
  const meta = /** @type {HTMLElement} */ (document.getElementById('entry-meta'));
  const source = /** @type {HTMLElement} */ (document.getElementById('entry-source'));
  const body = /** @type {HTMLElement} */ (document.getElementById('entry-body'));
  if (!response.ok) {
    title.textContent = id;
    meta.textContent = await errorMessage(response);
    source.textContent = '';
    body.textContent = '';
  } else {
    const entry = await response.json();
    title.textContent = entry.title;
    meta.textContent = `${entry.id} · ${entry.file} · 核对于 ${entry.reviewed}`;
    source.textContent = `出处：${entry.source}`;
    body.textContent = entry.body;
  }
  entryDialog.showModal();
}

/**
 * Downloads what a GET answers as a file (the token travels in a header, so a plain link cannot).
 * @param {string} path
 * @param {string} fallbackName
 */
async function download(path, fallbackName) {
  let response;
  try {
    response = await authorizedFetch(path);
  } catch {
    return;
  }
  if (!response.ok) {
    summary.textContent = await errorMessage(response);
    return;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = /** @type {HTMLAnchorElement} */ (el('a'));
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return;
  writeToken(token);
  void load();
});

signOut.addEventListener('click', () => {
  writeToken(null);
  itemsList.replaceChildren();
  showLogin();
});

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});

document.getElementById('export-csv')?.addEventListener('click', () => {
  const query = filterQuery();
  query.set('format', 'csv');
  query.set('limit', '1000');
  void download(`/v1/admin/review?${query}`, 'review.csv');
});

document.getElementById('export-drafts')?.addEventListener('click', () => {
  void download(`/v1/admin/review/drafts?${filterQuery()}`, 'review-drafts.yaml');
});

if (memoryToken) void load();
else showLogin();
