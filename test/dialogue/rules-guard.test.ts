import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { TurnEvent } from '../../src/dialogue/chat-engine.js';
import { internalTextIn } from '../../src/dialogue/guard/internal-text.js';
import { createServices } from '../../src/services.js';
import { defaultCasesGlob, loadCases } from '../../eval/load-cases.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

// The figure guard must never need to reject a reply the rules composed: a rejection there means
// a composer wrote a number (or a Chinese numeral such as "两个") that no tool or entry backs, and
// the user would get the generic fallback instead of an answer.
describe('rules path', () => {
  it('never trips its own figure guard on any evaluation conversation, and no reply holds internal text', async () => {
    const events: TurnEvent[] = [];
    const internal: string[] = [];
    const services = await createServices(loadConfig({}), silent, { engine: { onTurn: (e) => events.push(e) } });
    let turns = 0;
    for (const evalCase of loadCases(defaultCasesGlob)) {
      const sessionId = `guard-${evalCase.id}`.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, '-');
      for (const turn of evalCase.turns) {
        if (!turn.user || turn.body !== undefined || turn.payload !== undefined) continue;
        const message = turn.repeat ? turn.user.repeat(turn.repeat) : turn.user;
        if (!message.trim() || [...message].length > 1000) continue;
        const response = await services.chat.handle({ sessionId, message });
        // English, tool or field names, codes, undefined/null/NaN, JSON or template braces.
        const found = internalTextIn(response.reply);
        if (found.length > 0 || /undefined|null|NaN/.test(response.reply)) internal.push(`${evalCase.id}: ${found.join(', ')}`);
        turns += 1;
      }
    }
    const rejected = events.filter((e) => e.guardRejected?.path === 'rules');
    expect(turns).toBeGreaterThan(250);
    expect(rejected.map((e) => `${e.intent} (${e.guardRejected!.reason}): ${e.guardRejected!.unbacked.join(', ')}`)).toEqual([]);
    expect(internal).toEqual([]);
    await services.close();
  }, 120_000);
});
