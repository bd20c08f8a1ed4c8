import type { z } from 'zod';
import { DomainError } from '../../errors.js';
import type { ArrearsResult, arrearsInputSchema } from '../../tools/arrears.js';
import type { PayoutResult, payoutInputSchema } from '../../tools/payout.js';
import type { RetireeCreditResult, retireeCreditInputSchema } from '../../tools/retiree-credit.js';
import type { ResolvedRegion, resolveRegionInput } from '../../tools/region/resolve-region-tool.js';
import type { Tool } from '../../tools/tool.js';
import type { TransferEligibility, transferEligibilityInputSchema } from '../../tools/transfer-eligibility.js';
import type { Timeline, transferTimelineInputSchema } from '../../tools/transfer-timeline.js';
import type { WorkingDaysOutput, workingDaysInputSchema } from '../../tools/working-days.js';
import type { ToolCallRecord } from '../response.js';
import type { InputIssue } from '../tool-error-text.js';
import type { ToolName } from './schema.js';

/** Each tool the dialogue calls, by name, with its input schema and output type. */
export interface ToolTypes {
  working_days: { input: typeof workingDaysInputSchema; output: WorkingDaysOutput };
  transfer_timeline: { input: typeof transferTimelineInputSchema; output: Timeline };
  transfer_eligibility: { input: typeof transferEligibilityInputSchema; output: TransferEligibility };
  arrears: { input: typeof arrearsInputSchema; output: ArrearsResult };
  payout: { input: typeof payoutInputSchema; output: PayoutResult };
  retiree_credit: { input: typeof retireeCreditInputSchema; output: RetireeCreditResult };
  resolve_region: { input: typeof resolveRegionInput; output: ResolvedRegion };
}
export type ToolOutput<N extends ToolName> = ToolTypes[N]['output'];

/** A tool's answer or its refusal, as a value: never an exception the caller must catch. */
export type ToolOutcome<O> = { ok: true; input: unknown; output: O } | { ok: false; input: unknown; error: DomainError };

/** What was wrong with a tool's input, per field, from its zod schema's issues. */
export function inputIssues(error: z.ZodError, input: unknown): InputIssue[] {
  return error.issues.map((issue) => {
    const field = String(issue.path.at(-1) ?? '');
    const value = issue.path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), input);
    const kind: InputIssue['kind'] = issue.code === 'too_big' ? 'too_big' : issue.code === 'too_small' ? 'too_small' : value === undefined ? 'missing' : 'invalid';
    return { field, kind, ...(value !== undefined && typeof value !== 'object' ? { value } : {}) };
  });
}

/**
 * The deterministic tools by name, typed: `run('arrears', …)` returns an ArrearsResult, no casts
 * at the call sites. Every call is recorded (input and output, or the refusal) for the response.
 */
export class ToolRegistry {
  private readonly byName: ReadonlyMap<string, Tool>;

  constructor(tools: readonly Tool[]) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The input issues a value would raise, checked against the tool's own zod schema. */
  check<N extends ToolName>(name: N, input: unknown): InputIssue[] {
    const parsed = this.tool(name).input.safeParse(input);
    return parsed.success ? [] : inputIssues(parsed.error, input);
  }

  run<N extends ToolName>(name: N, input: unknown, record: ToolCallRecord[]): ToolOutcome<ToolOutput<N>> {
    const tool = this.tool(name);
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      const issues = inputIssues(parsed.error, input);
      const error = new DomainError('VALIDATION_FAILED', 400, '输入的数值不完整或超出可以计算的范围', { cause: parsed.error, details: { issues } });
      record.push({ name, input, output: { error: { code: error.code, message: error.message, issues } } });
      return { ok: false, input, error };
    }
    try {
      // The registry's types pair each name with its tool's output (see ToolTypes).
      const output = tool.run(parsed.data) as ToolOutput<N>;
      record.push({ name, input: parsed.data, output });
      return { ok: true, input: parsed.data, output };
    } catch (err) {
      if (!DomainError.isInstance(err)) throw err;
      record.push({ name, input: parsed.data, output: { error: { code: err.code, message: err.message, ...(err.details ?? {}) } } });
      return { ok: false, input: parsed.data, error: err };
    }
  }

  private tool(name: string): Tool {
    const tool = this.byName.get(name);
    if (!tool) throw new Error(`未知工具 ${name}`);
    return tool;
  }
}
