import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createServices, type Services } from '../../services.js';
import type { TurnEvent } from '../chat-engine.js';
import { journeySchema } from './schema.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const base = { id: 'probe', intent: 'arrears', labels: ['arrears'], render: 'arrears' };

describe('journey slot gates in the schema', () => {
  it('reads skipWhen as slot values, or as `when` and `known` like a derive rule', () => {
    const journey = journeySchema.parse({
      ...base,
      slots: [
        { name: 'fromScheme', need: 'required', ask: '哪一种？', skipWhen: { known: ['toScheme'] } },
        { name: 'gapMonths', need: 'helpful', ask: '断了多久？', skipWhen: { retired: true } },
      ],
    });
    expect(journey.slots[0]!.skipWhen).toEqual({ known: ['toScheme'] });
    expect(journey.slots[1]!.skipWhen).toEqual({ when: { retired: true } });
  });

  it('refuses a derive rule that says neither when nor known, and a known slot that does not exist', () => {
    const derive = (rule: unknown) => journeySchema.safeParse({ ...base, slots: [{ name: 'fromScheme', need: 'optional', derive: [rule] }] });
    expect(derive({ value: 'employee' }).success).toBe(false);
    expect(derive({ known: ['salary'], value: 'employee' }).success).toBe(false);
    expect(derive({ known: ['base', 'ratePercent'], value: 'employee' }).success).toBe(true);
  });
});

// The runner's generic behaviour, seen through the real engine and journey files.
describe('runner', () => {
  let services: Services;
  const events: TurnEvent[] = [];
  let session = 0;
  beforeAll(async () => {
    services = await createServices(loadConfig({}), silent, { today: () => '2026-11-16', engine: { onTurn: (e) => events.push(e) } });
  });
  afterAll(() => services.close());
  const conversation = () => {
    const sessionId = `gates-${++session}`;
    return (message: string) => services.chat.handle({ sessionId, message });
  };

  it('derives a slot from other slots being known: a monthly base with a rate is 职工医保, so the scheme is not asked', async () => {
    const r = await conversation()('基数6000 费率9% 断了3个月 补多少');
    expect(r.needs).not.toContain('insuranceType');
    expect(r.slots.insuranceType).toBe('employee');
    expect(r.toolCalls.find((c) => c.name === 'arrears')?.input).toMatchObject({ insuranceType: 'employee', base: 6000, rate: 9 });
  });

  it('skips a required slot when the gate holds: the scheme paid now stands in for the origin\'s', async () => {
    const r = await conversation()('新农合断了三年了 现在补交 多久能用 我在洛阳');
    expect(r.needs).not.toContain('insuranceType');
    expect(r.toolCalls.find((c) => c.name === 'arrears')?.input).toMatchObject({ insuranceType: 'resident' });
  });

  it('asks nothing when the renderer says its answer does not depend on the missing slot', async () => {
    const r = await conversation()('老公的医保卡钱用不完 能给我买药用吗');
    expect(r.intent).toBe('payout');
    expect(r.needs).toEqual([]);
  });

  it('records a question the renderer asks, so a bare number answers it', async () => {
    const say = conversation();
    const first = await say('职工医保断了两个月 想知道补缴要多少钱');
    expect(first.needs).toEqual(['base']);
    const second = await say('5000');
    expect(second.slots.base).toBe(5000);
    expect(second.needs).toEqual(['ratePercent']);
  });

  it('answers what it can before asking again for a value the journey cannot take', async () => {
    const r = await conversation()('灵活就业的 断了半年医保 还能补上吗');
    expect(r.needs).toEqual(['insuranceType']);
    expect(r.reply.split('\n')[0]).toMatch(/当地|参保地/);
    expect(r.citations.map((c) => c.id)).toContain('backpay-individual-local');
  });

  it('never trips the figure guard on these turns', () => {
    expect(events.filter((e) => e.guardRejected).map((e) => e.record.question)).toEqual([]);
  });
});
