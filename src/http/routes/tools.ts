import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Tool } from '../../tools/tool.js';

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
      { schema: { tags: ['tools'], summary: tool.description, body: example ? tool.input.meta({ examples: [example] }) : tool.input } },
      async (request) => ({ result: tool.run(request.body) }),
    );
  }
}
