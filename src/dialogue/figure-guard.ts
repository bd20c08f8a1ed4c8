/**
 * The figure guard: every number, date and percentage in a reply must be backed by a tool
 * output, a cited knowledge snippet or the user's own messages. A reply that fails is never sent.
 *
 * Numbers are compared after normalisation, so "2026年5月15日" matches a tool's "2026-05-15",
 * "１５" matches "15", "1,500" matches "1500", "三个月" matches "3个月", "万分之五" matches "0.05%".
 */

export type FigureKind = 'date' | 'monthday' | 'number';

export interface FigureToken {
  kind: FigureKind;
  /** Canonical value: "2026-05-15", "05-15" or a plain decimal like "1500" / "7.5". */
  value: string;
  /** The text as it appeared. */
  raw: string;
  index: number;
}

const fullWidth = /[\uFF10-\uFF19\uFF0E\uFF0C\uFF05\uFF0D\uFF0F]/g;
const toHalfWidth = (s: string) => s.replace(fullWidth, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

const digitOf: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const unitOf: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Converts a Chinese numeral such as 十五, 三十二, 一千五百, 两万 to a number; NaN if not one. */
export function chineseNumeralToNumber(text: string): number {
  let total = 0;
  let section = 0;
  let digit = -1;
  for (const ch of text) {
    if (ch in digitOf) {
      digit = digitOf[ch]!;
    } else if (ch in unitOf) {
      section += (digit === -1 ? 1 : digit) * unitOf[ch]!;
      digit = -1;
    } else if (ch === '万') {
      total += (section + (digit === -1 ? 0 : digit)) * 10000;
      section = 0;
      digit = -1;
    } else return Number.NaN;
  }
  return total + section + (digit === -1 ? 0 : digit);
}

const canonicalNumber = (s: string): string => {
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? String(n) : s;
};
const pad2 = (n: string | number) => String(n).padStart(2, '0');

// Chinese numerals count as figures only when they quantify something (三个月, 十五个工作日, 第三十二条).
const chineseQuantity =
  /(第)?([零〇一二两三四五六七八九十百千万]+)(?=(个工作日|个月|个|年|月|日|天|元|倍|岁|周岁|条|项|种|次|周|成|%))/g;
// Words where a Chinese numeral is not a figure.
const chineseFalsePositives = /哪一|某一|任一|最后一天|同一天|第一天|当天|一次性|一般|一致|一起|同一|统一|唯一|一律|一并|一旦|一些|一下|一定|万一|一样|一方|一项项|十分|之一|一个人|一对一/g;

const anyFigure = /[\d\uFF10-\uFF19零〇一二两三四五六七八九十百千万]/;

// Tool outputs and entry snippets repeat the same strings turn after turn (basis labels, notes):
// remember what each string holds. Bounded, so arbitrary user text cannot grow it without limit.
const memo = new Map<string, readonly FigureToken[]>();
const MEMO_MAX = 20_000;

/** Finds every figure in a text: full dates, month-day dates, and numbers (Arabic or Chinese). */
export function extractFigures(input: string): FigureToken[] {
  if (!anyFigure.test(input)) return [];
  const known = memo.get(input);
  if (known) return known.map((t) => ({ ...t }));
  const found = scanFigures(input);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
  memo.set(input, found);
  return found.map((t) => ({ ...t }));
}

function scanFigures(input: string): FigureToken[] {
  const text = toHalfWidth(input);
  const tokens: FigureToken[] = [];
  const taken: Array<[number, number]> = [];
  const free = (start: number, end: number) => taken.every(([a, b]) => end <= a || start >= b);
  const take = (start: number, end: number, token: Omit<FigureToken, 'index'>) => {
    if (!free(start, end)) return;
    taken.push([start, end]);
    tokens.push({ ...token, index: start });
  };

  // Full dates: 2026-05-15, 2026/5/15, 2026.5.15, 2026年5月15日/号
  for (const m of text.matchAll(/(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*(?:日|号)?/g)) {
    take(m.index, m.index + m[0].length, { kind: 'date', value: `${m[1]}-${pad2(m[2]!)}-${pad2(m[3]!)}`, raw: m[0] });
  }
  // Month-day: 5月15日 / 5月15号
  for (const m of text.matchAll(/(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)/g)) {
    take(m.index, m.index + m[0].length, { kind: 'monthday', value: `${pad2(m[1]!)}-${pad2(m[2]!)}`, raw: m[0] });
  }
  // 万分之五 / 百分之七点五 / 千分之二
  for (const m of text.matchAll(/(万|千|百)分之([零〇一二两三四五六七八九十百点.\d]+)/g)) {
    const [intPart, fracPart] = m[2]!.replace('点', '.').split('.');
    const whole = /^\d+$/.test(intPart ?? '') ? Number(intPart) : chineseNumeralToNumber(intPart ?? '');
    const frac = fracPart ? Number(`0.${[...fracPart].map((c) => (c in digitOf ? digitOf[c] : c)).join('')}`) : 0;
    const per = m[1] === '万' ? 100 : m[1] === '千' ? 10 : 1; // express as a percentage
    const value = (whole + frac) / per;
    if (Number.isFinite(value)) take(m.index, m.index + m[0].length, { kind: 'number', value: canonicalNumber(String(Number(value.toPrecision(12)))), raw: m[0] });
  }
  // Arabic numbers, with thousands separators and decimals.
  for (const m of text.matchAll(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g)) {
    take(m.index, m.index + m[0].length, { kind: 'number', value: canonicalNumber(m[0]), raw: m[0] });
  }
  // Chinese numerals that quantify.
  const masked = text.replace(chineseFalsePositives, (w) => '＿'.repeat(w.length));
  for (const m of masked.matchAll(chineseQuantity)) {
    const numeral = m[2]!;
    const n = chineseNumeralToNumber(numeral);
    const start = m.index + (m[1] ? 1 : 0);
    if (Number.isFinite(n)) take(start, start + numeral.length, { kind: 'number', value: String(n), raw: numeral });
  }
  return tokens.sort((a, b) => a.index - b.index);
}

/** A provenance set as plain arrays, for storing with a session. */
export interface StoredProvenance {
  numbers: string[];
  dates: string[];
  monthDays: string[];
}

export const toStored = (p: Provenance): StoredProvenance => ({ numbers: [...p.numbers], dates: [...p.dates], monthDays: [...p.monthDays] });
export const fromStored = (p: StoredProvenance | undefined): Provenance => ({
  numbers: new Set(p?.numbers ?? []),
  dates: new Set(p?.dates ?? []),
  monthDays: new Set(p?.monthDays ?? []),
});

/** Adds the figures of `text` to an existing provenance set. */
export function addToProvenance(prov: Provenance, text: string): Provenance {
  const more = buildProvenance({ userMessages: [text] });
  for (const v of more.numbers) prov.numbers.add(v);
  for (const v of more.dates) prov.dates.add(v);
  for (const v of more.monthDays) prov.monthDays.add(v);
  return prov;
}

/** Everything a reply's figures may come from. */
export interface Provenance {
  numbers: Set<string>;
  dates: Set<string>;
  monthDays: Set<string>;
}

/** Builds the provenance set from tool outputs (any JSON), cited snippets and user messages. */
export function buildProvenance(sources: { toolOutputs?: unknown[]; snippets?: string[]; userMessages?: string[] }): Provenance {
  const prov: Provenance = { numbers: new Set(), dates: new Set(), monthDays: new Set() };
  const addText = (text: string) => {
    for (const t of extractFigures(text)) {
      if (t.kind === 'date') {
        prov.dates.add(t.value);
        prov.monthDays.add(t.value.slice(5));
        prov.numbers.add(String(Number(t.value.slice(0, 4))));
      } else if (t.kind === 'monthday') prov.monthDays.add(t.value);
      else prov.numbers.add(t.value);
    }
  };
  const walk = (value: unknown) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) prov.numbers.add(canonicalNumber(String(value)));
    } else if (typeof value === 'string') addText(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object') Object.values(value as Record<string, unknown>).forEach(walk);
  };
  (sources.toolOutputs ?? []).forEach(walk);
  (sources.snippets ?? []).forEach(addText);
  (sources.userMessages ?? []).forEach(addText);
  return prov;
}

export interface GuardResult {
  ok: boolean;
  /** Figures in the reply that nothing backs. */
  unbacked: FigureToken[];
  figures: FigureToken[];
}

/** True when the provenance set holds this figure. */
export function holds(provenance: Provenance, f: FigureToken): boolean {
  if (f.kind === 'date') return provenance.dates.has(f.value);
  if (f.kind === 'monthday') return provenance.monthDays.has(f.value);
  return provenance.numbers.has(f.value);
}

/** Checks every figure of `reply` against one or several provenance sets (any may back a figure). */
export function checkFigures(reply: string, provenance: Provenance | readonly Provenance[]): GuardResult {
  const sets = Array.isArray(provenance) ? (provenance as readonly Provenance[]) : [provenance as Provenance];
  const figures = extractFigures(reply);
  const unbacked = figures.filter((f) => !sets.some((p) => holds(p, f)));
  return { ok: unbacked.length === 0, unbacked, figures };
}
