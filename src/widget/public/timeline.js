// The timeline card of a dated answer: the stages and their last days, from the transfer_timeline
// tool's output. The card is the answer's dates; the bubble keeps only the lines the card does not
// already say, so the same date is not read twice (the API's reply keeps every line for clients
// without a card, such as WeChat).
import { el, formatDate, isIsoDate } from './dom.js';

/**
 * @typedef {{name: string, who: string, deadline: string|null, workingDays: number|null, startsFrom: string, provisional: boolean}} TimelineStage
 * @typedef {{stages: TimelineStage[], latest: string|null, basis: string[], provisional: boolean, provisionalReason: string,
 *   acceptedDate?: string|null, receivedDate?: string|null}} TimelineCard
 */

/** The transfer_timeline tool call, when its output holds at least one dated stage. @returns {TimelineCard|null} */
export function timelineOf(toolCalls) {
  if (!Array.isArray(toolCalls)) return null;
  const call = toolCalls.find((c) => c && c.name === 'transfer_timeline' && c.output && Array.isArray(c.output.stages));
  if (!call) return null;
  const output = call.output;
  const stages = output.stages
    .filter((s) => s && typeof s.name === 'string')
    .map((s) => ({
      name: s.name,
      who: typeof s.who === 'string' ? s.who : '',
      deadline: isIsoDate(s.deadline) ? s.deadline : null,
      workingDays: Number.isInteger(s.workingDays) ? s.workingDays : null,
      startsFrom: typeof s.startsFrom === 'string' ? s.startsFrom : '',
      provisional: s.provisional === true,
    }));
  if (!stages.some((s) => s.deadline)) return null;
  const basis = [...new Set(output.stages
    .map((s) => s?.basis?.source?.docNumber ?? s?.basis?.label)
    .filter((b) => typeof b === 'string' && b))];
  const input = call.input && typeof call.input === 'object' ? call.input : {};
  return {
    stages,
    latest: isIsoDate(output.latest) ? output.latest : null,
    basis,
    provisional: output.provisional === true,
    provisionalReason: typeof output.provisionalReason === 'string' ? output.provisionalReason : '',
    acceptedDate: isIsoDate(input.acceptedDate) ? input.acceptedDate : null,
    receivedDate: isIsoDate(input.infoSheetReceivedDate) ? input.infoSheetReceivedDate : null,
  };
}

/** Every date the card shows, as YYYY-MM-DD. @param {TimelineCard} timeline */
function datesOnCard(timeline) {
  const dates = timeline.stages.map((s) => s.deadline);
  dates.push(timeline.latest, timeline.acceptedDate ?? null, timeline.receivedDate ?? null);
  return new Set(dates.filter(Boolean));
}

const CHINESE_DATE = /(\d{4})年(\d{1,2})月(\d{1,2})日/g;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/** The full dates a line states ("2026年5月14日", "2026-05-14"), as YYYY-MM-DD. @param {string} line */
export function datesIn(line) {
  const pad = (/** @type {string} */ n) => n.padStart(2, '0');
  return [...line.matchAll(CHINESE_DATE), ...line.matchAll(ISO_DATE)].map(([, y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
}

/**
 * The reply without the lines the card already shows: a line whose dates are all on the card, or
 * the card's own provisional note. Lines without a date and lines with any other date stay.
 * `leadOnCard` says the first line went, i.e. the card itself answers and should come first.
 * @param {string} text @param {TimelineCard} timeline
 */
export function withoutCardLines(text, timeline) {
  const onCard = datesOnCard(timeline);
  const note = timeline.provisionalReason.trim();
  const lines = text.trim().split('\n');
  const kept = lines.filter((line) => {
    const dates = datesIn(line);
    if (dates.length > 0 && dates.every((d) => onCard.has(d))) return false;
    return !(note && line.trim() === note);
  });
  return { text: kept.join('\n').trim(), leadOnCard: kept[0] !== lines[0] };
}

/** @param {TimelineCard} timeline @param {string} id unique prefix for the card's element ids */
export function renderTimeline(timeline, id) {
  const card = el('section', 'card timeline');
  const headingId = `${id}-timeline`;
  const heading = el('h2', 'card__heading', '办理时限（按法定工作日推算）');
  // A date counted into a year whose holiday notice is not out yet is provisional, and says so.
  if (timeline.provisional) heading.append(el('span', 'timeline__badge', '暂定'));
  heading.id = headingId;
  card.setAttribute('aria-labelledby', headingId);
  card.append(heading);

  // The days the count starts from: what the user told us, so the card stands without the bubble.
  for (const [label, date] of /** @type {const} */ ([['申请受理', timeline.acceptedDate], ['转入地收到信息表', timeline.receivedDate]])) {
    if (!date) continue;
    const start = el('p', 'timeline__start', `${label}：`);
    const time = /** @type {HTMLTimeElement} */ (el('time', '', formatDate(date)));
    time.dateTime = date;
    start.append(time);
    card.append(start);
  }

  const list = el('ol', 'timeline__stages');
  for (const stage of timeline.stages) {
    const item = el('li', stage.deadline ? 'timeline__stage' : 'timeline__stage timeline__stage--open');
    const name = el('span', 'timeline__name', stage.name);
    if (stage.who) name.append(el('span', 'timeline__who', ` · ${stage.who}`));
    item.append(name);
    if (stage.deadline) {
      const date = /** @type {HTMLTimeElement} */ (el('time', 'timeline__date', `最晚 ${formatDate(stage.deadline)}`));
      date.dateTime = stage.deadline;
      if (stage.provisional) {
        date.classList.add('timeline__date--provisional');
        date.append(el('span', 'timeline__badge timeline__mark', '暂定'));
      }
      item.append(date);
    } else {
      item.append(el('span', 'timeline__date timeline__date--none', '国家文件未规定时限，以当地经办机构为准'));
    }
    if (stage.workingDays !== null) {
      const from = stage.startsFrom ? `，自“${stage.startsFrom}”次日起算` : '';
      item.append(el('span', 'timeline__days', `${stage.workingDays}个工作日内${from}`));
    }
    list.append(item);
  }
  card.append(list);
  if (timeline.latest) card.append(el('p', 'timeline__latest', `关系转移${timeline.provisional ? '暂定' : ''}最晚办完：${formatDate(timeline.latest)}`));
  if (timeline.provisional && timeline.provisionalReason) {
    const note = el('p', 'timeline__provisional', timeline.provisionalReason);
    note.setAttribute('role', 'note');
    card.append(note);
  }
  card.append(el('p', 'timeline__note', '日期按法定工作日计算：周末和法定节假日不算，调休上班日照常计算。各地实际办理可能更快。'));
  if (timeline.basis.length > 0) card.append(el('p', 'timeline__note', `依据：${timeline.basis.join('；')}`));
  return card;
}
