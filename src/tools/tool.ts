import type { z } from 'zod';
import type { Confidence, Source, Verification } from '../knowledge/schema.js';

/**
 * Where a tool's answer comes from. Every tool output carries one or more of these so that the
 * chat can cite the rule behind each date, amount and yes/no.
 */
export interface Basis {
  /** Short human line, e.g. "医保办发〔2021〕43号（基本医疗保险关系转移接续暂行办法）". */
  label: string;
  source: Source;
  scope: 'national' | 'province' | 'city';
  /** How the source was read (原文, 原文转载, 官方摘句 …). */
  verification: Verification;
  /** Legacy coarse label, derived from `verification`. */
  confidence: Confidence;
  /** Knowledge entry that states the same rule in words, when there is one. */
  entryId?: string;
}

/**
 * A deterministic tool: a pure function with a zod input schema. The same definitions are
 * exposed over HTTP (`POST /v1/tools/<route>`), called by the rule-based dialogue, and bound to
 * the optional language model.
 */
export interface Tool<I extends z.ZodType = z.ZodType, O = unknown> {
  /** snake_case name used in `toolCalls[].name`, figure sources (`tool:<name>`) and model binding. */
  name: string;
  /** Path segment under /v1/tools/. */
  route: string;
  /** What it does, in Chinese, for the model and the OpenAPI docs. */
  description: string;
  input: I;
  run: (input: z.output<I>) => O;
}

export function defineTool<I extends z.ZodType, O>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}
