import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatExchange, ChatRequestBody, ChatTarget } from './chat-client.js';
import { formatReport } from './report.js';
import { runEval } from './run-eval.js';

const scratch = mkdtempSync(join(tmpdir(), 'eval-run-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CASES = `category: dialogue
cases:
  - id: two-turns
    title: 两轮
    turns:
      - user: 从烟台转到苏州
        slots: { fromCity: 烟台 }
      - user: 职工
        facts: ['跨省']
        negative: true
  - id: too-long
    category: bad_input
    title: 太长
    turns:
      - user: 医
        repeat: 1001
        status: 400
  - id: raw-body
    category: bad_input
    title: 坏 JSON
    turns:
      - body: '{"message":'
        status: 400
`;

/** A scripted chat: answers 跨省 to 职工, 400 to anything malformed or over-long. */
function fakeTarget(): ChatTarget & { requests: ChatRequestBody[] } {
  const requests: ChatRequestBody[] = [];
  return {
    description: 'fake',
    requests,
    close: async () => {},
    send: async (body): Promise<ChatExchange> => {
      requests.push(body);
      const error = (message: string) => ({ status: 400, json: { error: { code: 'BAD', message } }, text: '', latencyMs: 1 });
      if ('raw' in body) return error('请求体不是有效的 JSON');
      const { sessionId, message } = body.json as { sessionId: string; message: string };
      if (message.length > 1000) return error('消息太长了');
      const json = {
        sessionId,
        reply: message === '职工' ? '这是跨省转移。' : '请问是职工医保还是居民医保？',
        intent: 'transfer',
        slots: { fromCity: '烟台市', toCity: '苏州市' },
        needs: [],
        citations: [],
        figures: [],
        toolCalls: [],
        suggestions: [],
        answeredBy: 'rules',
      };
      return { status: 200, json, text: JSON.stringify(json), latencyMs: 3 };
    },
  };
}

describe('runEval', () => {
  it('replays each case in its own session and scores every turn', async () => {
    const file = join(scratch, 'cases.yaml');
    writeFileSync(file, CASES);
    const target = fakeTarget();
    const report = await runEval({ cases: file, target });

    const sessions = target.requests
      .filter((r): r is { json: { sessionId: string; message: string } } => 'json' in r)
      .map((r) => r.json.sessionId);
    expect(sessions[0]).toMatch(/^eval-two-turns-[0-9a-f]{8}$/);
    expect(sessions[1]).toBe(sessions[0]);
    expect(sessions[2]).toMatch(/^eval-too-long-[0-9a-f]{8}$/);
    expect(sessions.every((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s))).toBe(true);

    expect(report.metrics.passRate.value).toBe(1);
    expect(report.metrics.negativeRejection.value).toBe(1);
    expect(report.metrics.slotAccuracy.value).toBe(1);
    expect(report.casesByCategory).toEqual({ dialogue: 1, bad_input: 2 });
    expect(report.gate.passed).toBe(true);
    expect(formatReport(report)).toMatch(/GATE PASSED/);
  });

  it('lists each failure with case id, turn, reason and reply', async () => {
    const file = join(scratch, 'failing.yaml');
    writeFileSync(
      file,
      `category: transfer\ncases:\n  - id: wants-hangzhou\n    title: 杭州\n    turns:\n      - user: 职工\n        facts: ['杭州']\n`,
    );
    const report = await runEval({ cases: file, target: fakeTarget() });
    expect(report.gate.passed).toBe(false);
    const text = formatReport(report);
    expect(text).toMatch(/✗ wants-hangzhou — turn 1/);
    expect(text).toMatch(/缺少事实 \/杭州\//);
    expect(text).toMatch(/reply: 这是跨省转移。/);
    expect(text).toMatch(/GATE FAILED: pass rate 0\.0% < 95%/);
  });

  it('hands the llm-stub flag to the prepare hook', async () => {
    const file = join(scratch, 'cases.yaml');
    writeFileSync(file, CASES);
    const seen: unknown[] = [];
    let cleaned = false;
    await runEval({
      cases: file,
      target: fakeTarget(),
      llmStub: true,
      prepare: async (ctx) => {
        seen.push(ctx);
        return { cleanup: async () => void (cleaned = true) };
      },
    });
    expect(seen).toEqual([{ llmStub: true, mode: 'in-process' }]);
    expect(cleaned).toBe(true);
  });
});
