import { normaliseFigures, validMonthDay } from './normalise.js';

/**
 * The unbacked-figure check of the evaluation, written apart from the service's own guard so that
 * it checks the guard rather than repeats it: every figure in a reply must appear in a tool
 * output of the turn, in a cited entry (title, source, snippet) or in one of the user's own
 * messages so far — never merely in the response's `figures` list, which is derived from the
 * reply itself. A date written with a weekday must have that weekday, and a time limit said of
 * the origin or the destination must be that stage's limit in the turn's sources. Figures are compared after normalisation
 * (see normalise.ts), so `2026年5月15日` is backed by `2026-05-15`, `十个工作日` by `10个工作日`,
 * `1,500元` by `1500`, `万分之五` by `0.05%`.
 */

export type FigureKind = 'date' | 'yearMonth' | 'monthDay' | 'number';

export interface Figure {
  kind: FigureKind;
  /** Canonical value: `2026-05-15`, `2026-05`, `05-15` or a decimal such as `1500` / `0.05`. */
  value: string;
  /** The figure as written in the normalised text. */
  raw: string;
}

const pad2 = (n: string) => n.padStart(2, '0');

/** `0012` → `12`, `1500.00` → `1500`, `7.50` → `7.5`; kept as text so long digit runs stay exact. */
export function canonicalNumber(text: string): string {
  const [whole = '', frac = ''] = text.replace(/[,，]/g, '').split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = frac.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

// List markers are layout, not figures: "1. …", "2、…", "（3）…" at the start of a line or after
// a colon or full stop.
const ENUMERATOR =
  /(^|[\n：:；;。])(\s*)(?:\d{1,2}\s*[.、)）](?!\d)|[（(]\s*\d{1,2}\s*[）)])|[（(]\d{1,2}[）)]/g;

/** Finds every figure in a text: full dates, year-months, month-days and plain numbers. */
export function extractFigures(text: string): Figure[] {
  let rest = normaliseFigures(text).replace(ENUMERATOR, (m, lead: string | undefined, space: string | undefined) => {
    const kept = `${lead ?? ''}${space ?? ''}`;
    return `${kept}${' '.repeat(m.length - kept.length)}`;
  });
  const figures: Figure[] = [];

  const fullDate =
    /(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2}))(?!\d)/g;
  rest = rest.replace(fullDate, (whole, y: string, m1?: string, d1?: string, m2?: string, d2?: string) => {
    const m = m1 ?? m2 ?? '';
    const d = d1 ?? d2 ?? '';
    if (!validMonthDay(m, d)) return whole;
    figures.push({ kind: 'date', value: `${y}-${pad2(m)}-${pad2(d)}`, raw: whole });
    return ' '.repeat(whole.length);
  });

  rest = rest.replace(/(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)/g, (whole, y: string, m: string) => {
    if (!validMonthDay(m, '1')) return whole;
    figures.push({ kind: 'yearMonth', value: `${y}-${pad2(m)}`, raw: whole });
    return ' '.repeat(whole.length);
  });

  rest = rest.replace(/(?<![\d-])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g, (whole, m: string, d: string) => {
    if (!validMonthDay(m, d)) return whole;
    figures.push({ kind: 'monthDay', value: `${pad2(m)}-${pad2(d)}`, raw: whole });
    return ' '.repeat(whole.length);
  });

  for (const m of rest.matchAll(/\d+(?:\.\d+)?/g)) {
    figures.push({ kind: 'number', value: canonicalNumber(m[0]), raw: m[0] });
  }
  return figures;
}

/** Everything the figures of a reply may be backed by. */
export interface Provenance {
  numbers: Set<string>;
  dates: Set<string>;
  yearMonths: Set<string>;
  monthDays: Set<string>;
}

/** Collects the figures of the given texts; a full date also backs its year, year-month and month-day. */
export function buildProvenance(texts: readonly string[]): Provenance {
  const p: Provenance = { numbers: new Set(), dates: new Set(), yearMonths: new Set(), monthDays: new Set() };
  for (const text of texts) {
    for (const f of extractFigures(text)) {
      if (f.kind === 'date') {
        p.dates.add(f.value);
        p.yearMonths.add(f.value.slice(0, 7));
        p.monthDays.add(f.value.slice(5));
        p.numbers.add(canonicalNumber(f.value.slice(0, 4)));
      } else if (f.kind === 'yearMonth') {
        p.yearMonths.add(f.value);
        p.numbers.add(canonicalNumber(f.value.slice(0, 4)));
      } else if (f.kind === 'monthDay') p.monthDays.add(f.value);
      else p.numbers.add(f.value);
    }
  }
  return p;
}

/** True when `figure` appears in the provenance set. */
export function isBacked(figure: Figure, p: Provenance): boolean {
  switch (figure.kind) {
    case 'date':
      return (
        p.dates.has(figure.value) ||
        (p.monthDays.has(figure.value.slice(5)) && p.numbers.has(canonicalNumber(figure.value.slice(0, 4))))
      );
    case 'yearMonth':
      return p.yearMonths.has(figure.value);
    case 'monthDay':
      return p.monthDays.has(figure.value);
    case 'number':
      return p.numbers.has(figure.value);
  }
}

/** The figures of `reply` that none of `sources` backs. */
export function findUnbackedFigures(reply: string, sources: readonly string[]): Figure[] {
  const provenance = buildProvenance(sources);
  return extractFigures(reply).filter((f) => !isBacked(f, provenance));
}

const WEEKDAY = '日一二三四五六';

/** Dates written with a weekday that is not theirs: "2027年1月4日（周二）" (a Monday). */
export function wrongWeekdays(reply: string): string[] {
  const text = normaliseFigures(reply);
  const wrong: string[] = [];
  for (const m of text.matchAll(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*[（(，,]?\s*(?:周|星期|礼拜)([一二三四五六日天])|(\d{4})-(\d{2})-(\d{2})\s*[（(]?\s*(?:周|星期)([一二三四五六日天])/g)) {
    const [y, mo, d, w] = m[1] ? [m[1], m[2]!, m[3]!, m[4]!] : [m[5]!, m[6]!, m[7]!, m[8]!];
    if (!validMonthDay(mo, d)) continue;
    const actual = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay();
    const said = w === '天' ? 0 : WEEKDAY.indexOf(w);
    if (said !== actual) wrong.push(m[0]);
  }
  return wrong;
}

const STAGE = { origin: /转出地|转出/, destination: /转入地|转入/ } as const;

/** Working-day limits the sources give each stage: the timeline's stages, or "转出地…N个工作日" in a snippet. */
export function stageLimits(sources: { toolOutputs: unknown[]; texts: string[] }): Record<keyof typeof STAGE, Set<string>> {
  const limits = { origin: new Set<string>(), destination: new Set<string>() };
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.name === 'string' && typeof o.workingDays === 'number') {
        for (const stage of ['origin', 'destination'] as const) if (STAGE[stage].test(o.name)) limits[stage].add(String(o.workingDays));
      }
      Object.values(o).forEach(walk);
    }
  };
  sources.toolOutputs.forEach(walk);
  for (const text of sources.texts) {
    for (const m of normaliseFigures(text).matchAll(/(转出地|转入地)[^，。；、]{0,20}?(\d+)\s*个?工作日/g)) {
      limits[m[1] === '转出地' ? 'origin' : 'destination'].add(m[2]!);
    }
  }
  return limits;
}

/** "转出地5个工作日" when the sources give the origin 10: a limit said of the wrong stage. */
export function swappedStageLimits(reply: string, limits: Record<keyof typeof STAGE, Set<string>>): string[] {
  const wrong: string[] = [];
  for (const m of normaliseFigures(reply).matchAll(/(转出地|转入地)[^，。；、]{0,20}?(\d+)\s*个?工作日/g)) {
    const stage = m[1] === '转出地' ? 'origin' : 'destination';
    if (limits[stage].size > 0 && !limits[stage].has(m[2]!)) wrong.push(m[0]);
  }
  return wrong;
}

/** Internal text a reply must never hold: English words (but the app's name), undefined/null/NaN, braces. */
export function internalText(reply: string): string[] {
  const found = [...reply.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((w) => w !== 'App' && w !== 'APP');
  if (/[{}]/.test(reply)) found.push('{}');
  return found;
}
