import { describe, expect, it } from 'vitest';
import type { TurnRecordEvent } from '../dialogue/chat-engine.js';
import { decodeRecord, recordFromTurn, storedSessionId, withFeedback, type TurnInput } from './review-record.js';

const settings = { lowConfidence: 0.3 };

function turn(overrides: Partial<TurnRecordEvent> = {}, input: Partial<Omit<TurnInput, 'record'>> = {}): TurnInput {
  return {
    intent: 'transfer',
    answeredBy: 'rules',
    ...input,
    record: {
      sessionId: 's-1',
      turn: 2,
      at: '2026-12-05T02:00:00.000Z',
      question: '医保能从青岛转到南京吗？',
      reply: '青岛市（山东省）→ 南京市（江苏省）：跨省流动。',
      understood: { intent: 'transfer', confidence: 0.63 },
      corrections: [],
      changedSlots: [],
      answeredYesNo: false,
      citations: ['transfer-preconditions'],
      slots: { fromCity: '青岛', toCity: '南京' },
      needs: ['insuranceType'],
      ...overrides,
    },
  };
}

describe('what a recorded turn says about itself', () => {
  it('lists a clearly understood, in-scope answer under no reason', () => {
    expect(recordFromTurn(turn(), settings).reasons).toEqual([]);
  });

  it('flags out-of-scope answers, and nothing-matched ones as low confidence too', () => {
    const joke = recordFromTurn(turn({ understood: { intent: 'out_of_scope', confidence: 0.67 } }, { intent: 'out_of_scope' }), settings);
    expect(joke.reasons).toEqual(['out_of_scope']);
    const unknown = recordFromTurn(turn({ understood: { intent: 'out_of_scope', confidence: 0.1 } }, { intent: 'out_of_scope' }), settings);
    expect(unknown.reasons).toEqual(['out_of_scope', 'low_confidence']);
  });

  it('does not count a bare answer to the bot’s question or a greeting as low confidence', () => {
    const weak = { understood: { intent: 'out_of_scope' as const, confidence: 0.1 } };
    expect(recordFromTurn(turn({ ...weak, changedSlots: ['fromScheme'] }), settings).reasons).toEqual([]);
    expect(recordFromTurn(turn({ ...weak, answeredYesNo: true }), settings).reasons).toEqual([]);
    expect(recordFromTurn(turn(weak, { intent: 'greeting' }), settings).reasons).toEqual([]);
    expect(recordFromTurn(turn(weak), settings).reasons).toEqual(['low_confidence']);
  });

  it('flags a correction and a question asked again, but not a similar question with new facts', () => {
    expect(recordFromTurn(turn({ corrections: ['to'] }), settings).reasons).toEqual(['re_asked']);
    const again = recordFromTurn(turn({ previousQuestion: '医保能从青岛转到南京吗', question: '请问医保到底能从青岛转到南京吗？' }), settings);
    expect(again).toMatchObject({ reAsked: true, reasons: ['re_asked'] });
    const newPlace = recordFromTurn(turn({ previousQuestion: '医保能从青岛转到南京吗', question: '医保能从青岛转到上海吗', changedSlots: ['to'] }), settings);
    expect(newPlace.reasons).toEqual([]);
  });

  it('keeps why the model path fell back', () => {
    expect(recordFromTurn(turn({}, { modelFallback: 'unbacked_figure' }), settings)).toMatchObject({ fallback: 'unbacked_figure', reasons: ['model_fallback'] });
  });

  it('masks ID numbers, phone numbers and names anywhere in the record', () => {
    const record = recordFromTurn(
      turn({ question: '我叫张三，身份证110101199003071234，电话138 1234 5678，医保能转吗', slots: { base: 13812345678 } }),
      settings,
    );
    const stored = JSON.stringify(record);
    expect(stored).not.toMatch(/110101199003071234|13812345678|138 1234 5678|张三/);
    expect(record.question).toContain('110101********1234');
    expect(record.question).toContain('138****5678');
  });

  it('masks a session id that holds a phone number, the same way every time', () => {
    expect(recordFromTurn(turn({ sessionId: 'tel-13812345678' }), settings).sessionId).toBe('tel-138****5678');
    expect(storedSessionId('tel-13812345678')).toBe('tel-138****5678');
    expect(storedSessionId('0b6f4a2e-1c1d-4f7e-9a55-3b3f1c2d4e5f')).toBe('0b6f4a2e-1c1d-4f7e-9a55-3b3f1c2d4e5f');
  });

  it('adds and removes thumbs_down with the rating, masks the comment and keeps it for a repeated rating', () => {
    const record = recordFromTurn(turn({ understood: { intent: 'out_of_scope', confidence: 0.67 } }, { intent: 'out_of_scope' }), settings);
    const down = withFeedback(record, { rating: 'down', comment: '电话13812345678，没答我的问题', at: '2026-12-05T02:01:00.000Z' });
    expect(down.reasons).toEqual(['thumbs_down', 'out_of_scope']);
    expect(down.comment).toBe('电话138****5678，没答我的问题');
    expect(withFeedback(down, { rating: 'down', at: '2026-12-05T02:02:00.000Z' }).comment).toBe(down.comment);
    const up = withFeedback(down, { rating: 'up', at: '2026-12-05T02:03:00.000Z' });
    expect(up).toMatchObject({ rating: 'up', reasons: ['out_of_scope'] });
    expect(up.comment).toBeUndefined();
  });

  it('reads back what it stored and refuses anything else', () => {
    const record = recordFromTurn(turn(), settings);
    expect(decodeRecord(JSON.stringify(record))).toEqual(record);
    expect(decodeRecord('{"sessionId":"s-1","turn":')).toBeUndefined();
    expect(decodeRecord(JSON.stringify({ ...record, turn: 'two' }))).toBeUndefined();
  });
});
