import type { z } from 'zod';
import { DomainError } from '../errors.js';
import type { Tool } from '../tools/tool.js';
import type { AnswerBuilder } from './answer-builder.js';
import { toolErrorText, type InputIssue, type ToolErrorTexts } from './tool-error-text.js';

/** What was wrong with a tool's input, per field, from its zod schema's issues. */
function inputIssues(error: z.ZodError, input: unknown): InputIssue[] {
  return error.issues.map((issue) => {
    const field = String(issue.path.at(-1) ?? '');
    const value = issue.path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), input);
    const kind: InputIssue['kind'] =
      issue.code === 'too_big' ? 'too_big' : issue.code === 'too_small' ? 'too_small' : value === undefined ? 'missing' : 'invalid';
    return { field, kind, ...(value !== undefined && typeof value !== 'object' ? { value } : {}) };
  });
}

export type ToolOutcome<O> = { ok: true; output: O } | { ok: false; error: DomainError };

/**
 * Runs deterministic tools for one turn and records each call (input and output, or the typed
 * error) on the answer, so the response shows exactly what produced every figure.
 */
export class ToolRunner {
  private readonly byName: ReadonlyMap<string, Tool>;

  constructor(
    tools: readonly Tool[],
    private readonly errorTexts: ToolErrorTexts,
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  /** What to tell the user when a tool refused: a Chinese question or statement, never its error text. */
  explain(error: DomainError): string {
    return toolErrorText(this.errorTexts, error);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  run<O>(answer: AnswerBuilder, name: string, input: unknown): ToolOutcome<O> {
    const tool = this.byName.get(name);
    if (!tool) throw new Error(`未知工具 ${name}`);
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      const issues = inputIssues(parsed.error, input);
      const error = new DomainError('VALIDATION_FAILED', 400, '输入的数值不完整或超出可以计算的范围', { cause: parsed.error, details: { issues } });
      answer.tool(name, input, { error: { code: error.code, message: error.message, issues } });
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
