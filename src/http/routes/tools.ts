import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tool } from '../../tools/tool.js';
import { dateOutOfRange, jsonPostErrors, regionAmbiguous, regionNotFound } from '../openapi-responses.js';

/** Request examples shown at /docs. */
const examples: Record<string, unknown> = {
  'working-days': { op: 'add', start: '2026-04-28', days: 10 },
  'transfer-timeline': { acceptedDate: '2026-04-28' },
  'resolve-region': { name: '昆山' },
  'transfer-eligibility': { from: '烟台', to: '苏州', insuranceType: 'employee', retired: false },
  arrears: { insuranceType: 'employee', gapMonths: 4, base: 5000, rate: 7.5 },
  'payout-eligibility': { situation: 'emigration', city: '武汉' },
  'retiree-credit': { city: '深圳' },
};

/** Errors a tool's own input can cause, besides the ones every JSON route has. */
const toolErrors: Record<string, Partial<Record<404 | 409 | 422, z.ZodType>>> = {
  'working-days': { 422: dateOutOfRange },
  'transfer-timeline': { 422: dateOutOfRange },
  'resolve-region': { 404: regionNotFound, 409: regionAmbiguous },
  'transfer-eligibility': { 404: regionNotFound, 409: regionAmbiguous },
  'payout-eligibility': { 404: regionNotFound, 409: regionAmbiguous },
  'retiree-credit': { 404: regionNotFound, 409: regionAmbiguous },
};

/** The 200 response: `{"result": …}`, with the tool's real answer to the request example as the example. */
function resultResponse(tool: Tool, example: unknown) {
  const examples = example === undefined ? [] : [{ result: tool.run(tool.input.parse(example)) }];
  return z.object({ result: z.record(z.string(), z.unknown()).describe('工具的计算结果及其依据（basis）') }).meta({ description: '计算结果', examples });
}

/**
 * One POST route per deterministic tool: `POST /v1/tools/<route>` with the tool's own zod input
 * schema, answering `{"result": …}`. Domain errors (422 out-of-range date, 404 unknown region …)
 * pass through the shared error handler.
 */
export async function toolRoutes(app: FastifyInstance, opts: { tools: readonly Tool[] }): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const tool of opts.tools) {
    const example = examples[tool.route];
    typed.post(
      `/v1/tools/${tool.route}`,
      {
        schema: {
          tags: ['tools'],
          summary: tool.description,
          body: example ? tool.input.meta({ examples: [example] }) : tool.input,
          response: { 200: resultResponse(tool, example), ...jsonPostErrors, ...toolErrors[tool.route] },
        },
      },
      async (request) => ({ result: tool.run(request.body) }),
    );
  }
}
