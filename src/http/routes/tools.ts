import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Tool } from '../../tools/tool.js';

/**
 * One POST route per deterministic tool: `POST /v1/tools/<route>` with the tool's own zod input
 * schema, answering `{"result": …}`. Domain errors (422 out-of-range date, 404 unknown region …)
 * pass through the shared error handler.
 */
export async function toolRoutes(app: FastifyInstance, opts: { tools: readonly Tool[] }): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const tool of opts.tools) {
    typed.post(
      `/v1/tools/${tool.route}`,
      { schema: { tags: ['tools'], summary: tool.description, body: tool.input } },
      async (request) => ({ result: tool.run(request.body) }),
    );
  }
}
