import type { ReviewRecord } from './review-record.js';

/** A plain recorded turn for the store tests: question and reply numbered by turn, no rating. */
export function testRecord(sessionId: string, turn: number, at: number, reasons: ReviewRecord['reasons'] = []): ReviewRecord {
  return {
    sessionId,
    turn,
    at: new Date(at).toISOString(),
    question: `问题${turn}`,
    reply: `回答${turn}`,
    intent: 'transfer',
    understood: { intent: 'transfer', confidence: 0.6 },
    answeredBy: 'rules',
    corrected: [],
    reAsked: false,
    citations: [],
    slots: {},
    needs: [],
    reasons,
  };
}
