import { AIMessage, type MessageContent } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import type { FallbackReason, RewriteInput, RewriteResult, Rewriter } from '../dialogue/chat-engine.js';
import type { ToolCallRecord } from '../dialogue/response.js';
import type { Tool } from '../tools/tool.js';
import { CitationStripper } from './citation-markers.js';
import type { ModelPrompts } from './prompts.js';
import { buildRewriteMessages } from './rewrite-messages.js';
import { fallbackReasonOf, RewriteFailure } from './rewrite-failure.js';
import { bindDomainTools } from './tool-bindings.js';

export interface ModelRewriterOptions {
  /** OpenAI-compatible base URL, ending in /v1 (OpenAI, DashScope compatible mode, DeepSeek, vLLM, Ollama). */
  baseURL: string;
  apiKey: string;
  model: string;
  /** Bound on the whole rewrite: every model round and tool call together. */
  timeoutMs: number;
  tools: readonly Tool[];
  prompts: ModelPrompts;
  /** Rounds of tool calls the model may make before it must answer; one more is an unusable answer. */
  maxToolRounds?: number;
  /** Told why a rewrite failed (for logs); the engine counts the reason itself. */
  onFailure?: (reason: FallbackReason, error: unknown) => void;
}

/** Text of a message's content, whether a string or a list of content blocks. */
function textOf(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return content.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}

/**
 * The model path: an OpenAI-compatible chat model, at temperature 0 and without retries (the fallback
 * to the rules' answer is ours), words the rules' answer and may call our tools. It returns the
 * reply with citation markers taken out, the ids they named and every tool call it made; the engine
 * then checks figures and citations before any of it reaches a client, so the model's text is
 * taken whole rather than streamed. Any failure is a `{ok: false, reason}`, never an exception; an
 * aborted call (the engine stopped waiting) ends at once.
 */
export function createModelRewriter(options: ModelRewriterOptions): Rewriter {
  const maxToolRounds = options.maxToolRounds ?? 3;
  const binding = bindDomainTools(options.tools);
  const chat = new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey,
    temperature: 0,
    maxRetries: 0,
    timeout: options.timeoutMs,
    // stream_options.include_usage is not implemented by every compatible server.
    streamUsage: false,
    configuration: { baseURL: options.baseURL },
  });
  const model = binding.definitions.length > 0 ? chat.bindTools(binding.definitions) : chat;

  /**
   * The tool-call loop. Text from every round counts (a model that says "我来算一下" before a tool
   * call keeps that sentence).
   */
  async function turn(input: RewriteInput, signal: AbortSignal): Promise<RewriteResult> {
    const messages = buildRewriteMessages(input, options.prompts);
    const stripper = new CitationStripper();
    const toolCalls: ToolCallRecord[] = [];
    let raw = '';
    let reply = '';
    for (let rounds = 0; ; rounds += 1) {
      const message = await model.invoke(messages, { signal });
      const text = textOf(message.content);
      raw += text;
      reply += stripper.push(text);
      if (message.invalid_tool_calls?.length) throw new RewriteFailure('malformed', '模型的工具调用参数不是合法 JSON');
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) break;
      if (rounds >= maxToolRounds) throw new RewriteFailure('malformed', `模型的工具调用超过 ${maxToolRounds} 轮`);
      messages.push(new AIMessage({ content: message.content, tool_calls: calls }));
      for (const call of calls) {
        signal.throwIfAborted();
        const { message: toolMessage, record } = await binding.execute(call);
        messages.push(toolMessage);
        toolCalls.push(record);
      }
    }
    reply += stripper.flush();
    if (!reply.trim()) {
      if (raw.trim()) throw new RewriteFailure('malformed', '模型只给出了引用标记，没有正文');
      throw new RewriteFailure('empty', '模型没有给出回答');
    }
    return { ok: true, reply: reply.trim(), citedIds: stripper.ids, toolCalls };
  }

  return {
    async rewrite(input, callOptions = {}) {
      const controller = new AbortController();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const stop = () => controller.abort();
      callOptions.signal?.addEventListener('abort', stop, { once: true });
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
          reject(new RewriteFailure('timeout', `模型在 ${options.timeoutMs} ms 内没有答完`));
        }, options.timeoutMs);
      });
      const work = turn(input, controller.signal);
      work.catch(() => undefined);
      try {
        return await Promise.race([work, deadline]);
      } catch (err) {
        const reason = fallbackReasonOf(err, timedOut);
        options.onFailure?.(reason, err);
        return { ok: false, reason };
      } finally {
        callOptions.signal?.removeEventListener('abort', stop);
        clearTimeout(timer);
        if (!controller.signal.aborted) controller.abort();
      }
    },
  };
}
