import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workingDaysInputSchema } from '../tools/working-days.js';
import { functionParameters } from './tool-schema.js';

describe('function parameters for the model', () => {
  it('keeps an object schema as it is, without the $schema header', () => {
    const params = functionParameters(z.object({ name: z.string().describe('地名') }));
    expect(params).toEqual({ type: 'object', properties: { name: { type: 'string', description: '地名' } }, required: ['name'] });
  });

  it('flattens working_days add | count into one object keyed by an op enum', () => {
    const params = functionParameters(workingDaysInputSchema);
    expect(params.type).toBe('object');
    const props = params.properties as Record<string, { enum?: string[]; description?: string }>;
    expect(Object.keys(props).sort()).toEqual(['days', 'from', 'op', 'start', 'to']);
    expect(props.op!.enum).toEqual(['add', 'count']);
    expect(props.op!.description).toContain('add：');
    expect(props.op!.description).toContain('count：');
    expect(params.required).toEqual(['op']);
  });
});
