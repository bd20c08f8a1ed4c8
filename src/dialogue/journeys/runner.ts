import type { Region, RegionLookup } from '../../tools/region/types.js';
import type { JourneyValues, PersonFacts } from '../state.js';
import { toolErrorText, type InputIssue } from '../tool-error-text.js';
import type { JourneyContext } from './context.js';
import { renderers, type RendererName } from './renderers.js';
import { personSlots, slotNames, type Gate, type JourneySlotSpec, type SlotName, type ToolName } from './schema.js';
import type { ToolOutcome } from './tool-registry.js';

type Value = string | number | boolean | Region;

/** A name the region resolver maps back to exactly this region (tools take place names). */
export function nameFor(region: Region, regions: RegionLookup): string {
  const options = [region.name, `${region.city ?? ''}${region.name}`, `${region.province}${region.name}`, `${region.province}${region.city ?? ''}${region.name}`, region.shortName];
  for (const name of options) {
    const r = regions.resolve(name);
    if (r.status === 'ok' && r.region.code === region.code) return name;
  }
  return region.name;
}

const isPersonSlot = (name: SlotName): name is keyof PersonFacts => (personSlots as readonly string[]).includes(name);

/** The value of a slot for this turn: the person's facts, else this journey's values. */
export function slotValue(ctx: Pick<JourneyContext, 'person' | 'values'>, name: SlotName): Value | undefined {
  if (isPersonSlot(name)) return ctx.person.facts[name] as Value | undefined;
  return ctx.values[name as keyof JourneyValues] as Value | undefined;
}

function setSlot(ctx: Pick<JourneyContext, 'person' | 'values'>, name: SlotName, value: Value | undefined): void {
  const target = (isPersonSlot(name) ? ctx.person.facts : ctx.values) as Record<string, unknown>;
  if (value === undefined) delete target[name];
  else target[name] = value;
}

export function matches(ctx: Pick<JourneyContext, 'person' | 'values'>, condition: Record<string, unknown> | undefined): boolean {
  if (!condition) return false;
  return Object.entries(condition).every(([slot, want]) => slotValue(ctx, slot as SlotName) === want);
}

/** A gate holds: its `when` slots have those values and its `known` slots have some value. */
function holds(ctx: Pick<JourneyContext, 'person' | 'values'>, gate: Gate | undefined): boolean {
  if (!gate) return false;
  if (gate.when && !matches(ctx, gate.when)) return false;
  return (gate.known ?? []).every((name) => slotValue(ctx, name) !== undefined);
}

/** Slot names a term reads (`a|b`, `a+b`, `a/12`, `=literal`). */
function termSlots(term: string): SlotName[] {
  if (term.startsWith('=')) return [];
  return term.split(/[|+]/).map((t) => t.replace(/\/12$/, '') as SlotName);
}

/** Evaluates one input term; undefined when the slots it needs are unknown. */
function evaluate(ctx: JourneyContext, term: string): unknown {
  if (term.startsWith('=')) {
    const literal = term.slice(1);
    return literal === 'true' ? true : literal === 'false' ? false : /^-?\d+(\.\d+)?$/.test(literal) ? Number(literal) : literal;
  }
  for (const option of term.split('|')) {
    if (option.includes('+')) {
      const parts = option.split('+').map((name) => slotValue(ctx, name as SlotName));
      if (parts.every((v) => typeof v === 'number')) return Math.round((parts as number[]).reduce((a, b) => a + b, 0) * 1e6) / 1e6;
      continue;
    }
    const twelfths = option.endsWith('/12');
    const value = slotValue(ctx, option.replace(/\/12$/, '') as SlotName);
    if (value === undefined) continue;
    if (twelfths) return typeof value === 'number' ? Math.floor(value / 12) : undefined;
    if (typeof value === 'object') return nameFor(value, ctx.regions);
    return value;
  }
  return undefined;
}

/** The tool input of the first alternative whose conditions hold, with the slot behind each field. */
function buildInput(ctx: JourneyContext): { input: Record<string, unknown>; fieldSlots: Map<string, SlotName[]> } | undefined {
  for (const alternative of ctx.journey.inputs) {
    if (!alternative.when.every((name) => slotValue(ctx, name) !== undefined)) continue;
    if (alternative.whenDiffer) {
      const [a, b] = alternative.whenDiffer.map((name) => slotValue(ctx, name));
      if (a === undefined || b === undefined || a === b) continue;
    }
    const input: Record<string, unknown> = {};
    const fieldSlots = new Map<string, SlotName[]>();
    for (const [field, term] of Object.entries(alternative.input)) {
      const value = evaluate(ctx, term);
      if (value !== undefined) input[field] = value;
      fieldSlots.set(field, termSlots(term));
    }
    return { input, fieldSlots };
  }
  return undefined;
}

/**
 * A value the person gave that the tool's own schema refuses whatever else is known ("断缴了500个月"):
 * every field some input alternative builds from given slots, checked together; fields not given
 * (missing) are not the person's mistake.
 */
function refusedGiven(ctx: JourneyContext): { slot: JourneySlotSpec; issue: InputIssue } | undefined {
  const tool = ctx.journey.tool;
  if (!tool) return undefined;
  for (const alternative of ctx.journey.inputs) {
    const input: Record<string, unknown> = {};
    const fieldSlots = new Map<string, SlotName[]>();
    for (const [field, term] of Object.entries(alternative.input)) {
      const value = evaluate(ctx, term);
      if (value !== undefined) input[field] = value;
      fieldSlots.set(field, termSlots(term));
    }
    for (const issue of ctx.tools.check(tool as ToolName, input)) {
      if (issue.kind === 'missing' || !(issue.field in input)) continue;
      const name = fieldSlots.get(issue.field)?.find((n) => slotValue(ctx, n) !== undefined);
      const slot = ctx.journey.slots.find((s) => s.name === name);
      if (slot) return { slot, issue };
    }
  }
  return undefined;
}

/** The question for a slot whose value the tool cannot take, from the journey or the tool-error texts. */
function reaskFor(ctx: JourneyContext, slot: JourneySlotSpec, issue: InputIssue): string {
  const value = slotValue(ctx, slot.name);
  const own = value !== undefined ? slot.reask[String(value)] : undefined;
  if (own) return own;
  return toolErrorText(ctx.errorTexts, { code: 'VALIDATION_FAILED', details: { issues: [issue] }, message: '' } as never);
}

export interface JourneyResult {
  /** The slot the answer asks for, if any. */
  asked?: SlotName;
  /** The tool's outcome, when it was called. */
  outcome?: ToolOutcome<unknown>;
}

/**
 * Runs one journey for one turn, the same way for every journey file: works out the slots it can
 * derive, asks for the first required slot still missing (the renderer answers what it can
 * first), asks again for a value the journey or the tool's own schema cannot take, calls the tool
 * through the typed registry, renders the answer, and then asks for the first helpful slot still
 * missing. No journey-specific code: what differs is the journey file and its renderer.
 */
export function runJourney(ctx: JourneyContext): JourneyResult {
  const { journey, plan } = ctx;
  const render = renderers[journey.render as RendererName];
  if (!render) throw new Error(`旅程 ${journey.id} 的渲染器 ${journey.render} 不存在`);

  for (const slot of journey.slots) {
    if (slotValue(ctx, slot.name) !== undefined) continue;
    const derived = slot.derive.find((d) => holds(ctx, d));
    if (derived) setSlot(ctx, slot.name, derived.value);
  }

  // A value out of any sensible range is asked again before anything else, never passed on.
  // (A value with the journey's own re-ask, 灵活就业, is asked about below, after answering what can be.)
  const refused = refusedGiven(ctx);
  if (refused && refused.slot.reask[String(slotValue(ctx, refused.slot.name))] === undefined) {
    const question = reaskFor(ctx, refused.slot, refused.issue);
    setSlot(ctx, refused.slot.name, undefined);
    // What can be said without the value (how an amount is computed) comes before the question.
    render.render({ ...ctx, missing: refused.slot }, undefined);
    return ask(ctx, refused.slot, question);
  }

  for (const slot of journey.slots) {
    if (holds(ctx, slot.skipWhen)) continue;
    const value = slotValue(ctx, slot.name);
    const reask = value !== undefined ? slot.reask[String(value)] : undefined;
    if (reask) {
      // As for a missing slot: the renderer answers what it can before the question.
      const rendered = render.render({ ...ctx, missing: slot }, undefined);
      if (rendered?.complete && plan.hasAnswer) return askedByRenderer(ctx);
      return ask(ctx, slot, reask);
    }
    if (value === undefined && slot.need === 'required') {
      // The renderer answers what it can first; when its answer does not depend on this slot
      // (a late fee is the employer's whatever the scheme), nothing is asked.
      const rendered = render.render({ ...ctx, missing: slot }, undefined);
      if (rendered?.complete && plan.hasAnswer) return askedByRenderer(ctx);
      return ask(ctx, slot, slot.ask!);
    }
  }

  let outcome: ToolOutcome<unknown> | undefined;
  if (journey.tool) {
    const built = buildInput(ctx);
    if (built) {
      outcome = ctx.tools.run(journey.tool as ToolName, built.input, plan.toolCalls);
      // A value the tool's own schema refuses: ask for it again, in the user's terms.
      if (!outcome.ok && outcome.error.code === 'VALIDATION_FAILED') {
        const issues = ((outcome.error.details ?? {}) as { issues?: InputIssue[] }).issues ?? [];
        for (const issue of issues) {
          const slotName = built.fieldSlots.get(issue.field)?.find((name) => slotValue(ctx, name) !== undefined);
          const slot = journey.slots.find((s) => s.name === slotName);
          if (slot) {
            const question = reaskFor(ctx, slot, issue);
            setSlot(ctx, slot.name, undefined);
            return ask(ctx, slot, question);
          }
        }
      }
    }
  }
  const rendered = render.render(ctx, outcome);
  if (!plan.asks && !rendered?.complete) {
    const helpful = journey.slots.find((s) => s.need === 'helpful' && !holds(ctx, s.skipWhen) && slotValue(ctx, s.name) === undefined);
    if (helpful?.ask) return { ...ask(ctx, helpful, helpful.ask), ...(outcome ? { outcome } : {}) };
  }
  return { ...askedByRenderer(ctx), ...(outcome ? { outcome } : {}) };
}

/** A question the renderer asked itself is recorded like the runner's own, so a bare answer fills it. */
function askedByRenderer(ctx: JourneyContext): JourneyResult {
  const need = ctx.plan.askedFor;
  return need !== undefined && (slotNames as readonly string[]).includes(need) ? { asked: need as SlotName } : {};
}

function ask(ctx: JourneyContext, slot: JourneySlotSpec, question: string): JourneyResult {
  ctx.plan.ask(slot.name, question);
  ctx.plan.suggest(...slot.chips);
  return { asked: slot.name };
}
