import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createServices, type Services } from '../../services.js';
import type { Region } from '../../tools/region/types.js';
import { newConversation, type PersonState } from '../state.js';
import { loadToolErrorTexts } from '../tool-error-text.js';
import type { Reading } from '../understand/read.js';
import type { JourneyContext } from './context.js';
import { AnswerPlan } from './plan.js';
import { runJourney } from './runner.js';
import { loadJourneys, type Journey, type SlotName } from './schema.js';
import { ToolRegistry } from './tool-registry.js';

/**
 * The one runner drives every journey file the same way: asks for the first required fact, asks
 * again for a value the journey or its tool's own schema refuses, and answers once it has what
 * it needs. The journeys come from the files themselves, so a new file is covered here too.
 */

const journeys = loadJourneys();
const quiet = { info() {}, warn() {}, error() {} };
let services: Services;

beforeAll(async () => {
  services = await createServices(loadConfig({ LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), quiet);
}, 120_000);
afterAll(async () => services?.close());

const region = (name: string): Region => {
  const found = services.regions.resolve(name);
  if (found.status !== 'ok') throw new Error(`${name} 未解析`);
  return found.region;
};

/** A valid value for every slot, as a person would give it. */
function sample(slot: SlotName): unknown {
  const values: Partial<Record<SlotName, unknown>> = {
    from: region('青岛'),
    to: region('南京'),
    fromScheme: 'employee',
    toScheme: 'employee',
    retired: false,
    payoutSituation: 'death',
    acceptedDate: '2026-04-28',
    checkDate: '2026-05-09',
    startDate: '2026-04-30',
    workingDays: 10,
    month: '2026-10',
    gapMonths: 4,
    base: 5000,
    ratePercent: 7.5,
    averagePension: 3000,
  };
  return values[slot];
}

/** A value each slot's tool (or journey) refuses. */
function refused(slot: SlotName): unknown {
  const values: Partial<Record<SlotName, unknown>> = {
    fromScheme: 'flexible',
    payoutSituation: 'lottery',
    acceptedDate: '2026-02-30',
    checkDate: '2026-13-01',
    startDate: '2026-02-30',
    workingDays: 1000,
    month: '2026-15',
    gapMonths: -3,
    averagePension: -100,
  };
  return values[slot];
}

const emptyReading = (): Reading => ({
  normalized: '',
  facts: {},
  values: {},
  evidence: {},
  places: [],
  rejectedPlaces: [],
  corrections: [],
  dates: [],
  dateVague: false,
  assumptions: [],
  injection: false,
  containsPersonalData: false,
});

function contextFor(journey: Journey, person: PersonState, message: string): JourneyContext {
  const conversation = newConversation();
  conversation.self = person;
  return {
    journey,
    person,
    values: (person.journeys[journey.id] ??= {}),
    conversation,
    reading: emptyReading(),
    message,
    question: message,
    label: journey.labels[0]!,
    plan: new AnswerPlan(services.entryById),
    tools: new ToolRegistry(services.tools),
    errorTexts: loadToolErrorTexts(),
    regions: services.regions,
    entries: services.entryById,
    retrieve: (query, options) => services.retriever.search(query, options ?? {}),
    coverage: services.coverage,
    today: '2026-12-06',
  };
}

function personWith(journey: Journey, slots: readonly SlotName[], value: (slot: SlotName) => unknown = sample): PersonState {
  const person: PersonState = { facts: {}, journeys: {} };
  const values: Record<string, unknown> = {};
  for (const name of slots) {
    const v = value(name);
    if (v === undefined) continue;
    if (['from', 'to', 'fromScheme', 'toScheme', 'retired'].includes(name)) (person.facts as Record<string, unknown>)[name] = v;
    else values[name] = v;
  }
  person.journeys[journey.id] = values;
  return person;
}

/** The slots a journey needs to answer: its required ones and the first way of building the tool's input. */
const neededSlots = (journey: Journey): SlotName[] => [...new Set([...journey.slots.filter((s) => s.need === 'required').map((s) => s.name), ...(journey.inputs[0]?.when ?? [])])];
const requiredOf = (journey: Journey) => journey.slots.filter((s) => s.need === 'required');
const refusableOf = (journey: Journey): SlotName | undefined =>
  [...new Set([...(journey.inputs[0]?.when ?? []), ...journey.slots.map((s) => s.name)])].find((s) => refused(s) !== undefined && journey.slots.some((j) => j.name === s));
const cases = (list: readonly Journey[]) => list.map((j) => [j.id, j] as const);

describe.each(cases(journeys.filter((j) => requiredOf(j).length > 0)))('journey file %s, a fact missing', (_id, journey) => {
  it('asks for its first required fact in the user’s terms, and answers what it can first', () => {
    const ctx = contextFor(journey, { facts: {}, journeys: {} }, '');
    const result = runJourney(ctx);
    const first = requiredOf(journey)[0]!;
    expect(result.asked).toBe(first.name);
    const built = ctx.plan.build();
    expect(built.reply).toContain(first.ask!);
    expect(built.needs).toEqual([first.name]);
  });
});

describe.each(cases(journeys))('journey file %s, facts given', (_id, journey) => {
  it('answers once it has what it needs, through its tool when it has one', () => {
    const ctx = contextFor(journey, personWith(journey, neededSlots(journey)), '');
    const result = runJourney(ctx);
    expect(requiredOf(journey).map((s) => s.name)).not.toContain(result.asked);
    const built = ctx.plan.build();
    expect(built.reply.split('\n')[0]).toMatch(/[\u4e00-\u9fff]/);
    if (journey.tool) {
      expect(ctx.plan.toolCalls.map((c) => c.name)).toContain(journey.tool);
      expect(result.outcome?.ok).toBe(true);
    }
  });
});

describe.each(cases(journeys.filter((j) => refusableOf(j) !== undefined)))('journey file %s, a value refused', (_id, journey) => {
  it('asks again, in Chinese, for a value it cannot take', () => {
    const refusable = refusableOf(journey)!;
    const person = personWith(journey, [...neededSlots(journey), refusable], (s) => (s === refusable ? refused(s) : sample(s)));
    const ctx = contextFor(journey, person, '');
    const result = runJourney(ctx);
    expect(result.asked).toBe(refusable);
    const question = ctx.plan.build().reply.split('\n').at(-1)!;
    expect(question).toMatch(/[\u4e00-\u9fff]/);
    expect(question).not.toMatch(/[A-Za-z]{3,}/);
  });
});

it('covers every kind of journey: some ask first, all answer, those with a tool re-ask', () => {
  expect(journeys.filter((j) => requiredOf(j).length > 0).length).toBeGreaterThanOrEqual(3);
  expect(journeys.filter((j) => j.tool).every((j) => refusableOf(j) !== undefined)).toBe(true);
});

describe('the runner itself', () => {
  it('holds no journey-, tool- or slot-specific code: what differs lives in the journey files and renderers', () => {
    const source = readFileSync(fileURLToPath(new URL('./runner.ts', import.meta.url)), 'utf8');
    const names = [...journeys.map((j) => j.id), ...new Set(journeys.flatMap((j) => (j.tool ? [j.tool] : [])))];
    for (const name of names) expect(source, name).not.toMatch(new RegExp(`['"\`]${name}['"\`]`));
  });
});
