import { DomainError } from '../errors.js';
import type { Tool } from '../tools/tool.js';
import type { AnswerBuilder } from './answer-builder.js';

export type ToolOutcome<O> = { ok: true; output: O } | { ok: false; error: DomainError };

/**
 * Runs deterministic tools for one turn and records each call (input and output, or the typed
 * error) on the answer, so the response shows exactly what produced every figure.
 */
export class ToolRunner {
  private readonly byName: ReadonlyMap<string, Tool>;

  constructor(tools: readonly Tool[]) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  run<O>(answer: AnswerBuilder, name: string, input: unknown): ToolOutcome<O> {
    const tool = this.byName.get(name);
    if (!tool) throw new Error(`未知工具 ${name}`);
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      const error = new DomainError('VALIDATION_FAILED', 400, `工具 ${name} 的输入不完整`, { cause: parsed.error });
      answer.tool(name, input, { error: { code: error.code, message: error.message } });
      return { ok: false, error };
    }
    try {
      const output = tool.run(parsed.data) as O;
      answer.tool(name, parsed.data, output);
      return { ok: true, output };
    } catch (err) {
      if (!DomainError.isInstance(err)) throw err;
      answer.tool(name, parsed.data, { error: { code: err.code, message: err.message, ...(err.details ?? {}) } });
      return { ok: false, error: err };
    }
  }
}
