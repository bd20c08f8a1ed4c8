import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { DomainError } from '../errors.js';
import { KnowledgeError, validateOrThrow } from '../knowledge/load.js';
import { knowledgeDir, projectRoot } from '../paths.js';
import { hasInternalText } from './guard/internal-text.js';

/** One problem with a tool's input, as the tool runner records it from the tool's zod schema. */
export interface InputIssue {
  /** The input field, e.g. `gapMonths`. */
  field: string;
  kind: 'too_big' | 'too_small' | 'missing' | 'invalid';
  /** The value given, when there was one. */
  value?: unknown;
}

const textSchema = z.string().min(2);
export const toolErrorTextsSchema = z.object({
  fields: z.record(z.string(), z.object({ label: z.string().min(1), unit: z.string().optional() })),
  issues: z.object({ too_big: textSchema, too_small: textSchema, missing: textSchema, invalid: textSchema }),
  codes: z.record(z.string(), textSchema),
  fallback: textSchema,
});
export type ToolErrorTexts = z.output<typeof toolErrorTextsSchema>;

/** Reads knowledge/dialogue/tool-errors.yaml (once, at start-up); a bad file stops start-up. */
export function loadToolErrorTexts(path = join(knowledgeDir, 'dialogue', 'tool-errors.yaml')): ToolErrorTexts {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(path.replace(`${projectRoot}/`, ''), '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
  }
  return validateOrThrow(toolErrorTextsSchema, data, path);
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? '');

/**
 * The one place a tool's refusal becomes words for the user: a question about the value that
 * could not be used ("断缴1000个月超出了可以计算的范围，请确认断缴月数。"), or a plain statement —
 * never the tool's error text with its field names and codes.
 */
export function toolErrorText(texts: ToolErrorTexts, error: DomainError): string {
  const details = (error.details ?? {}) as { issues?: InputIssue[]; name?: unknown };
  const issue = details.issues?.[0];
  if (issue) {
    const field = texts.fields[issue.field];
    if (!field) return texts.fallback;
    const value = typeof issue.value === 'number' || typeof issue.value === 'string' ? String(issue.value) : '';
    const sentence = fill(texts.issues[issue.kind], { label: field.label, value, unit: value ? (field.unit ?? '') : '' });
    return hasInternalText(sentence) ? texts.fallback : sentence;
  }
  const template = texts.codes[error.code];
  if (template === 'message') return hasInternalText(error.message) ? texts.fallback : error.message;
  if (template) {
    const sentence = fill(template, { name: typeof details.name === 'string' ? details.name : '' });
    return hasInternalText(sentence) ? texts.fallback : sentence;
  }
  return texts.fallback;
}
