import { ToolMessage, type ToolCall } from '@langchain/core/messages';
import { tool, ToolInputParsingException, type StructuredToolInterface } from '@langchain/core/tools';
import type { ToolCallRecord } from '../dialogue/response.js';
import { DomainError, inherits } from '../errors.js';
import type { Tool } from '../tools/tool.js';
import { functionParameters } from './tool-schema.js';

/** A tool threw something that is not a DomainError: a bug, not an answer. The turn falls back. */
export class ToolFailure extends Error {
  override readonly name = 'ToolFailure';
}

/** An OpenAI function-tool definition, as `bindTools` accepts it. */
export interface FunctionToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface DomainToolBinding {
  /** What the model is told about each tool. */
  definitions: FunctionToolDefinition[];
  /**
   * Runs one tool call of the model. Bad arguments, an unknown tool and domain errors (a date the
   * calendar does not cover, an unknown place) come back as a tool message with the Chinese error
   * text, so the model can say why; anything else throws ToolFailure.
   */
  execute(call: ToolCall): Promise<{ message: ToolMessage; record: ToolCallRecord }>;
}

const errorOutput = (code: string, message: string, details?: Record<string, unknown>) => ({ error: { code, message, ...(details ?? {}) } });

/** Wraps our deterministic tools as LangChain tools that validate with the tool's own zod schema and call `run`. */
export function bindDomainTools(tools: readonly Tool[]): DomainToolBinding {
  const wrapped = new Map<string, StructuredToolInterface>();
  for (const t of tools) {
    wrapped.set(
      t.name,
      tool(
        (input: unknown) => {
          try {
            const output = t.run(input as never);
            return [JSON.stringify(output), output];
          } catch (err) {
            if (!DomainError.isInstance(err)) throw new ToolFailure(`工具 ${t.name} 执行失败`, { cause: err });
            const output = errorOutput(err.code, err.message, err.details);
            return [`错误：${err.message}`, output];
          }
        },
        { name: t.name, description: t.description, schema: t.input, responseFormat: 'content_and_artifact' },
      ) as StructuredToolInterface,
    );
  }

  const definitions = tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: functionParameters(t.input) },
  }));

  async function execute(call: ToolCall): Promise<{ message: ToolMessage; record: ToolCallRecord }> {
    const id = call.id ?? `${call.name}-call`;
    const reply = (content: string, output: unknown) => ({
      message: new ToolMessage({ content, tool_call_id: id, name: call.name }),
      record: { name: call.name, input: call.args, output },
    });
    const lcTool = wrapped.get(call.name);
    if (!lcTool) {
      const message = `没有名为 ${call.name} 的工具，可用的工具有：${[...wrapped.keys()].join('、')}。`;
      return reply(`错误：${message}`, errorOutput('NOT_FOUND', message));
    }
    try {
      const message = (await lcTool.invoke({ ...call, id, type: 'tool_call' })) as ToolMessage;
      return { message, record: { name: call.name, input: call.args, output: message.artifact } };
    } catch (err) {
      if (inherits(err, ToolInputParsingException)) {
        const message = `工具 ${call.name} 的参数不符合要求，请按工具说明重新填写。`;
        return reply(`错误：${message}`, errorOutput('VALIDATION_FAILED', message));
      }
      if (inherits(err, ToolFailure)) throw err;
      throw new ToolFailure(`工具 ${call.name} 执行失败`, { cause: err });
    }
  }

  return { definitions, execute };
}
