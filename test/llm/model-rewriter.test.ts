import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RewriteInput } from '../../src/dialogue/chat-engine.js';
import type { ChatResponse } from '../../src/dialogue/response.js';
import { createModelRewriter } from '../../src/llm/model-rewriter.js';
import { loadPrompts } from '../../src/llm/prompts.js';
import { loadKnowledgeBase } from '../../src/services.js';
import { defineTool, type Tool } from '../../src/tools/tool.js';
import { callToolThenAnswer, startStubServer, type StubServer } from './stub-server.js';

const prompts = loadPrompts();

const rules = {
  sessionId: 's',
  turn: 1,
  reply: '转出地最晚2026年5月14日办结。',
  intent: 'timeline',
  slots: {},
  needs: [],
  citations: [{ id: 'timeline-origin-10-working-days', title: '转出地时限', source: '医保办发〔2021〕43号', snippet: '转出地在受理后10个工作日内办结。', scope: 'national', verification: 'verbatim-reprint', verificationLabel: '原文转载', applies: { level: 'national', places: [], effective: null, expires: null, ended: false, label: '全国' }, confidence: 'official' }],
  figures: [],
  toolCalls: [{ name: 'transfer_timeline', input: { acceptedDate: '2026-04-28' }, output: { latest: '2026-05-21' } }],
  suggestions: [],
  answeredBy: 'rules',
} satisfies ChatResponse;

const input: RewriteInput = {
  message: '2026年4月28日受理的，转出地最晚哪天办完？',
  history: [{ user: '你好', reply: '您好，我是医保转移助手。' }],
  rules,
  situation: {},
  context: [{ id: 'timeline-origin-10-working-days', title: '转出地时限', snippet: '转出地在受理后10个工作日内办结。', source: '医保办发〔2021〕43号' }],
};

/** A tool with a bug: it throws something that is not a DomainError. */
const brokenTool = defineTool({
  name: 'broken_tool',
  route: 'broken-tool',
  description: '总是出错的工具',
  input: z.object({ x: z.number() }),
  run: () => {
    throw new TypeError('boom');
  },
}) as unknown as Tool;

describe('model rewriter against the stub endpoint', () => {
  let stub: StubServer;
  let tools: Tool[];
  const rewriter = (extra: Partial<Parameters<typeof createModelRewriter>[0]> = {}) =>
    createModelRewriter({ baseURL: `${stub.url}/v1`, apiKey: 'sk-local', model: 'stub-model', timeoutMs: 1500, tools, prompts, ...extra });

  beforeAll(async () => {
    stub = await startStubServer();
    tools = [...loadKnowledgeBase().tools, brokenTool];
  });
  afterAll(() => stub?.close());
  beforeEach(() => stub.reset());

  it('sends the prompts, the entries with their ids, the draft and its tool results, the history and the question', async () => {
    const result = await rewriter().rewrite(input);
    expect(result.ok).toBe(true);
    const messages = stub.requests[0]!.body.messages;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    const system = messages[0]!.content as string;
    expect(system).toContain(prompts.system);
    expect(system).toContain(prompts.toolUse);
    expect(system).toContain('[timeline-origin-10-working-days] 转出地时限（医保办发〔2021〕43号）\n转出地在受理后10个工作日内办结。');
    expect(system).toContain('<draft>\n转出地最晚2026年5月14日办结。\n</draft>');
    expect(system).toContain('transfer_timeline 输入 {"acceptedDate":"2026-04-28"}');
    expect(messages[3]!.content).toBe(input.message);
  });

  it('returns the reply without markers, the cited ids, and no tool calls for a plain answer', async () => {
    stub.enqueue({ text: '最迟2026年5月14日[timeline-origin-10-working-days]，可在App查询进度。[other-entry]' });
    expect(await rewriter().rewrite(input)).toEqual({
      ok: true,
      reply: '最迟2026年5月14日，可在App查询进度。',
      citedIds: ['timeline-origin-10-working-days', 'other-entry'],
      toolCalls: [],
    });
  });

  it('asks for the whole answer, not a stream: nothing reaches a client before the guard has read it all', async () => {
    stub.enqueue({ text: '结论：最迟2026年5月14日办结[timeline-origin-10-working-days]。', chunkSize: 3 });
    const result = await rewriter().rewrite(input);
    expect(stub.requests[0]!.stream).toBe(false);
    expect(result).toMatchObject({ ok: true, reply: '结论：最迟2026年5月14日办结。', citedIds: ['timeline-origin-10-working-days'] });
  });

  it('stops at once when the caller aborts (the channel’s reply budget ran out)', async () => {
    stub.enqueue({ text: '很慢的回答。', delayMs: 2000 });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const result = await rewriter({ timeoutMs: 5000 }).rewrite(input, { signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('turns a domain error of a tool into a tool message with the Chinese error text', async () => {
    stub.script(callToolThenAnswer('working_days', { op: 'add', start: '2040-04-28', days: 10 }, (content) => `无法计算：${content.replace(/^错误：/, '')}`));
    const result = await rewriter().rewrite(input);
    const toolMessage = stub.requests[1]!.toolResults[0]!;
    expect(toolMessage.content).toMatch(/^错误：.*超出工作日历覆盖的年份/);
    expect(result).toMatchObject({ ok: true, toolCalls: [{ name: 'working_days', output: { error: { code: 'DATE_OUT_OF_RANGE' } } }] });
  });

  it('answers arguments that fail the tool’s zod schema, and unknown tools, with an error message the model can read', async () => {
    stub.enqueue({ toolCalls: [{ name: 'working_days', arguments: { op: 'add', start: '明天' } }, { name: 'no_such_tool', arguments: {} }] });
    stub.script((request) => ({ text: `收到${request.toolResults.length}条工具结果。` }));
    const result = await rewriter().rewrite(input);
    const [invalid, unknown] = stub.requests[1]!.toolResults;
    expect(invalid!.content).toBe('错误：工具 working_days 的参数不符合要求，请按工具说明重新填写。');
    expect(unknown!.content).toContain('没有名为 no_such_tool 的工具');
    expect(result).toMatchObject({ ok: true, toolCalls: [{ name: 'working_days', output: { error: { code: 'VALIDATION_FAILED' } } }, { name: 'no_such_tool' }] });
  });

  it('fails with tool_error when a tool throws something that is not a domain error', async () => {
    stub.enqueue({ toolCalls: [{ name: 'broken_tool', arguments: { x: 1 } }] });
    expect(await rewriter().rewrite(input)).toEqual({ ok: false, reason: 'tool_error' });
  });

  it('fails as malformed after more tool rounds than allowed', async () => {
    stub.script(() => ({ toolCalls: [{ name: 'resolve_region', arguments: { name: '昆山' } }] }));
    expect(await rewriter({ maxToolRounds: 2 }).rewrite(input)).toEqual({ ok: false, reason: 'malformed' });
    expect(stub.requests).toHaveLength(3);
  });

  it('fails as malformed when tool-call arguments are cut off', async () => {
    stub.enqueue({ toolCalls: [{ name: 'working_days', arguments: '{"op": "add", "start' }] });
    expect(await rewriter().rewrite(input)).toEqual({ ok: false, reason: 'malformed' });
    expect(stub.requests).toHaveLength(1);
  });

  it('fails as malformed when the answer is only citation markers, as empty when it is nothing', async () => {
    stub.enqueue({ text: '[timeline-origin-10-working-days]' }, { text: '  ' });
    expect(await rewriter().rewrite(input)).toEqual({ ok: false, reason: 'malformed' });
    expect(await rewriter().rewrite(input)).toEqual({ ok: false, reason: 'empty' });
  });

  it('fails as malformed when the body is not JSON', async () => {
    stub.enqueue({ raw: '{"id": "chatcmpl-broken", "choi', contentType: 'application/json' });
    expect(await rewriter().rewrite(input)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('fails with http_error when nothing listens at the base URL', async () => {
    const closed = await startStubServer();
    const url = closed.url;
    await closed.close();
    const failures: string[] = [];
    const dead = createModelRewriter({ baseURL: `${url}/v1`, apiKey: 'k', model: 'm', timeoutMs: 1500, tools, prompts, onFailure: (reason) => failures.push(reason) });
    expect(await dead.rewrite(input)).toEqual({ ok: false, reason: 'http_error' });
    expect(await dead.rewrite(input, { signal: new AbortController().signal })).toEqual({ ok: false, reason: 'http_error' });
    expect(failures).toEqual(['http_error', 'http_error']);
  });

  it('bounds the whole call, tool rounds included, by timeoutMs', async () => {
    stub.enqueue({ toolCalls: [{ name: 'resolve_region', arguments: { name: '昆山' } }], delayMs: 150 }, { text: '太晚了的回答。', delayMs: 400 });
    const started = performance.now();
    expect(await rewriter({ timeoutMs: 300 }).rewrite(input)).toEqual({ ok: false, reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(450);
  });

  it('lists its model on GET /v1/models', async () => {
    const res = await fetch(`${stub.url}/v1/models`);
    expect(await res.json()).toMatchObject({ data: [{ id: 'stub-model' }] });
  });
});
