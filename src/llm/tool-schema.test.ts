import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workingDaysInputSchema } from '../tools/working-days.js';
import { functionParameters } from './tool-schema.js';

describe('function parameters for the model', () => {
  it('keeps an object schema as it is, without the $schema header', () => {
    const params = functionParameters(z.object({ name: z.string().describe('地名') }));
    expect(params).toEqual({ type: 'object', properties: { name: { type: 'string', description: '地名' } }, required: ['name'] });
  });

  it('flattens working_days’ union of ops into one object keyed by an op enum', () => {
    const variants = workingDaysInputSchema.options.map((o) => o.shape as Record<string, unknown>);
    const ops = workingDaysInputSchema.options.map((o) => o.shape.op.value);
    const params = functionParameters(workingDaysInputSchema);
    expect(params.type).toBe('object');
    const props = params.properties as Record<string, { enum?: string[]; description?: string }>;
    expect(Object.keys(props).sort()).toEqual([...new Set(variants.flatMap((v) => Object.keys(v)))].sort());
    expect(props.op!.enum).toEqual(ops);
    for (const op of ops) expect(props.op!.description).toContain(`${op}：`);
    expect(params.required).toEqual(['op']);
  });
});
