import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema sent to the model as a function's `parameters`. OpenAI and most compatible servers
 * require a top-level object, so a union of objects (e.g. working_days' add | count, keyed by `op`) is
 * flattened into one object: every property, the discriminator as an enum, and only the properties
 * all variants require. The tool still validates calls with its own zod schema, so nothing is lost.
 */
export function functionParameters(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const variants = (json.oneOf ?? json.anyOf) as JsonSchema[] | undefined;
  if (json.type === 'object' || !Array.isArray(variants)) return json;
  return flattenVariants(variants, typeof json.description === 'string' ? json.description : undefined);
}

function flattenVariants(variants: JsonSchema[], description: string | undefined): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const requiredSets: string[][] = [];
  for (const variant of variants) {
    const props = (variant.properties ?? {}) as Record<string, JsonSchema>;
    requiredSets.push((variant.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      const existing = properties[name];
      if (!existing) properties[name] = { ...prop };
      else if ('const' in prop) properties[name] = mergeConst(existing, prop);
    }
  }
  for (const prop of Object.values(properties)) {
    if ('const' in prop) {
      prop.enum = [prop.const];
      delete prop.const;
    }
  }
  const required = requiredSets.reduce((common, set) => common.filter((name) => set.includes(name)), requiredSets[0] ?? []);
  return { type: 'object', ...(description ? { description } : {}), properties, required };
}

/** Two variants' `op: const` become one enum, with both descriptions ("add：…；count：…"). */
function mergeConst(existing: JsonSchema, next: JsonSchema): JsonSchema {
  const values = [...((existing.enum as unknown[] | undefined) ?? [existing.const]), next.const];
  const describe = (p: JsonSchema, value: unknown) => (typeof p.description === 'string' ? `${String(value)}：${p.description}` : String(value));
  const descriptions = [existing.enum ? String(existing.description ?? '') : describe(existing, existing.const), describe(next, next.const)].filter(Boolean);
  const { const: _c, ...rest } = existing;
  return { ...rest, enum: values, description: descriptions.join('；') };
}
