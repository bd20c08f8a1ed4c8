/**
 * What the figures of a reply may rest on: the quantities of tool outputs (read with the unit their
 * field names give them), of cited entries (snippet and source), and of the user's own messages.
 * Each quantity is kept with its unit, its role and whether the user typed it.
 */
import { extractQuantities, weekdayOfIso, type Quantity, type QuantityAspect, type QuantityRole, type QuantityUnit } from './quantities.js';

export interface Backing {
  role?: QuantityRole;
  aspect?: QuantityAspect;
  /** Typed by the user: backs an echo of their own case, never a rule. */
  fromUser: boolean;
  /** For date-derived keys: the weekday of the full date behind them. */
  weekday?: number;
  /**
   * A figure a source mentions as a web article's wrong claim or a superseded rule (the 45 working
   * days a correction entry refutes): it backs only a sentence that reports it as such.
   */
  superseded?: true;
}

/** Quantities by `unit|value`; a full date is also filed under its month-day, year, … */
export interface Provenance {
  readonly byKey: Map<string, Backing[]>;
}

export const emptyProvenance = (): Provenance => ({ byKey: new Map() });

const key = (unit: QuantityUnit, value: string) => `${unit}|${value}`;

function file(p: Provenance, unit: QuantityUnit, value: string, backing: Backing): void {
  const k = key(unit, value);
  const list = p.byKey.get(k);
  if (!list) p.byKey.set(k, [backing]);
  else if (
    !list.some((b) => b.role === backing.role && b.aspect === backing.aspect && b.fromUser === backing.fromUser && b.weekday === backing.weekday && b.superseded === backing.superseded)
  )
    list.push(backing);
}

const num = (s: string) => String(Number(s));

/** Files one quantity under its own key and the keys of its parts (a date's month-day, year, …). */
export function addQuantity(p: Provenance, q: Pick<Quantity, 'unit' | 'value' | 'role' | 'aspect'>, fromUser: boolean, superseded = false): void {
  const base: Backing = { fromUser, ...(q.role ? { role: q.role } : {}), ...(q.aspect ? { aspect: q.aspect } : {}), ...(superseded ? { superseded: true as const } : {}) };
  const v = q.value;
  switch (q.unit) {
    case 'date': {
      const weekday = weekdayOfIso(v);
      const dated = { ...base, weekday };
      file(p, 'date', v, dated);
      file(p, 'monthday', v.slice(5), dated);
      file(p, 'yearmonth', v.slice(0, 7), base);
      file(p, 'year', v.slice(0, 4), base);
      file(p, 'month', num(v.slice(5, 7)), base);
      file(p, 'day_of_month', num(v.slice(8)), base);
      for (const part of [v.slice(0, 4), num(v.slice(5, 7)), num(v.slice(8))]) file(p, 'none', part, base);
      return;
    }
    case 'yearmonth':
      file(p, 'yearmonth', v, base);
      file(p, 'year', v.slice(0, 4), base);
      file(p, 'month', num(v.slice(5)), base);
      for (const part of [v.slice(0, 4), num(v.slice(5))]) file(p, 'none', part, base);
      return;
    case 'monthday':
      file(p, 'monthday', v, base);
      file(p, 'month', num(v.slice(0, 2)), base);
      file(p, 'day_of_month', num(v.slice(3)), base);
      for (const part of [num(v.slice(0, 2)), num(v.slice(3))]) file(p, 'none', part, base);
      return;
    case 'doc': {
      file(p, 'doc', v, base);
      const m = /〔(\d{4})〕(\d+)号/.exec(v);
      if (m) for (const part of [m[1]!, m[2]!]) file(p, 'none', num(part), base);
      return;
    }
    case 'article':
      file(p, 'article', v, base);
      file(p, 'none', v.slice(1), base);
      return;
    case 'year':
      file(p, 'year', v, base);
      file(p, 'none', v, base);
      return;
    default:
      file(p, q.unit, v, base);
      if (q.unit !== 'none') file(p, 'none', v, base);
  }
}

/** What a tool output's object or field says about its figures when their own text does not. */
interface Context {
  role?: QuantityRole;
  aspect?: QuantityAspect;
}

/**
 * Adds every quantity of a text; `context` fills in a role or aspect the text itself does not give;
 * `superseded` names the quantities the text mentions as a refuted claim or an old rule.
 */
export function addText(p: Provenance, text: string, fromUser: boolean, context: Context = {}, superseded: (q: Quantity) => boolean = () => false): void {
  for (const q of extractQuantities(text)) {
    const role = q.role ?? context.role;
    const aspect = q.aspect ?? context.aspect;
    addQuantity(p, { ...q, ...(role ? { role } : {}), ...(aspect ? { aspect } : {}) }, fromUser, superseded(q));
  }
}

// The unit a tool output's number has, by its field name (tools name their fields for what they hold).
const FIELD_UNITS: ReadonlyArray<[RegExp, QuantityUnit, number]> = [
  [/^(?:workingDays|days)$/, 'working_days', 1],
  [/[Yy]ears/, 'months', 12],
  [/Year$|^year$|^covered(?:From|To)$/, 'year', 1],
  [/[Mm]onths$|^months$/, 'months', 1],
  [/[Pp]ercent|[Rr]ate$|^rate/, 'percent', 1],
  [/^(?:base|total|amount|yuan|averagePension)$|Yuan$|Amount$|Base$|Total$|Pension$/, 'yuan', 1],
  [/[Aa]ge$/, 'age', 1],
];

// What a tool output's field is of, by its name.
const FIELD_ASPECTS: ReadonlyArray<[RegExp, QuantityAspect]> = [
  [/deadline|latest|due/i, 'deadline'],
  [/countedFrom|startsFrom|^start$|^from$|acceptedDate|received/i, 'start'],
  [/[Ww]aiting|^(?:fixed|variable|total|reduction)Months$|MonthsBeforeRepair$/, 'waiting'],
  [/[Gg]ap|^months$/, 'gap'],
];
const aspectOfField = (field: string) => FIELD_ASPECTS.find(([pattern]) => pattern.test(field))?.[1];

const ROLE_OF_NAME: ReadonlyArray<[RegExp, QuantityRole]> = [
  [/转出|原参保地/, 'origin'],
  [/转入|新参保地/, 'destination'],
  [/单位|用人单位|employer/i, 'employer'],
  [/个人(?!账户)|individual|employee/i, 'individual'],
];

/** The role a tool output object gives all its figures: its `name`, `stage`, `party` or `role` field. */
function roleOfObject(obj: Record<string, unknown>): QuantityRole | undefined {
  for (const field of ['name', 'stage', 'party', 'role', 'payer']) {
    const v = obj[field];
    if (typeof v !== 'string') continue;
    for (const [pattern, role] of ROLE_OF_NAME) if (pattern.test(v)) return role;
  }
  return undefined;
}

/** A number of a tool's JSON as a quantity: the unit and aspect its field name gives it. */
function fieldQuantity(field: string, value: number): Pick<Quantity, 'unit' | 'value' | 'aspect'> {
  const rule = FIELD_UNITS.find(([pattern]) => pattern.test(field));
  const aspect = aspectOfField(field);
  return { unit: rule?.[1] ?? 'none', value: String(Math.round((rule ? value * rule[2] : value) * 1e6) / 1e6), ...(aspect ? { aspect } : {}) };
}

/** Every `unit|value` in a JSON value (a tool's input), read like its output. */
export function jsonQuantityKeys(json: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (value: unknown, field: string) => {
    if (typeof value === 'number' && Number.isFinite(value)) {
      const q = fieldQuantity(field, value);
      keys.add(`${q.unit}|${q.value}`);
    } else if (typeof value === 'string') for (const q of extractQuantities(value)) keys.add(`${q.unit}|${q.value}`);
    else if (Array.isArray(value)) for (const item of value) walk(item, field);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k);
  };
  walk(json, '');
  return keys;
}

/**
 * Adds a tool output (any JSON), reading each number with the unit its field name gives it.
 * `isEcho` names the quantities that only pass the user's own figures through the tool (the gap
 * months they gave, their base): those back an echo of the user's case, never a rule.
 */
export function addToolOutput(p: Provenance, output: unknown, isEcho: (key: string) => boolean = () => false): void {
  const walk = (value: unknown, field: string, context: Context) => {
    if (value === null || value === undefined) return;
    const fieldAspect = aspectOfField(field);
    const here: Context = fieldAspect ? { ...context, aspect: fieldAspect } : context;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return;
      const q = fieldQuantity(field, value);
      const echo = isEcho(`${q.unit}|${q.value}`);
      addQuantity(p, { ...q, ...(context.role ? { role: context.role } : {}) }, echo);
      // The same number in any other wording of a count ("3种情形") is still this number.
      if (q.unit === 'none') addQuantity(p, { unit: 'count', value: q.value, ...(context.role ? { role: context.role } : {}) }, echo);
    } else if (typeof value === 'string') addText(p, value, false, here);
    else if (Array.isArray(value)) for (const item of value) walk(item, field, here);
    else if (typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const role = roleOfObject(obj) ?? context.role;
      for (const [k, v] of Object.entries(obj)) walk(v, k, role ? { role } : {});
    }
  };
  walk(output, '', {});
}

/** Builds one provenance set from tool outputs, texts (snippets, source lines) and user messages. */
export function buildProvenance(sources: { toolOutputs?: unknown[]; snippets?: string[]; userMessages?: string[] }): Provenance {
  const p = emptyProvenance();
  for (const output of sources.toolOutputs ?? []) addToolOutput(p, output);
  for (const text of sources.snippets ?? []) addText(p, text, false);
  for (const text of sources.userMessages ?? []) addText(p, text, true);
  return p;
}

/** The user's quantities as compact strings, for storing with a session (`unit|value|role|aspect`). */
export function userQuantitiesOf(text: string): string[] {
  return extractQuantities(text).map((q) => `${q.unit}|${q.value}|${q.role ?? ''}|${q.aspect ?? ''}`);
}

/** A provenance set from stored user quantities. */
export function userProvenance(stored: readonly string[]): Provenance {
  const p = emptyProvenance();
  for (const s of stored) {
    const [unit, value, role, aspect] = s.split('|') as [QuantityUnit, string, string, string | undefined];
    addQuantity(p, { unit, value, ...(role ? { role: role as QuantityRole } : {}), ...(aspect ? { aspect: aspect as QuantityAspect } : {}) }, true);
  }
  return p;
}
