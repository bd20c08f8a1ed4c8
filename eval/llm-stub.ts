/**
 * `npm run eval -- --llm-stub`: the whole evaluation with the model path switched on and pointed
 * at a local OpenAI-compatible stub that paraphrases every answer and invents a number in about
 * one answer in five. The guard must catch every invention (unbacked figures stay 0) and the pass
 * rate must match the rules path. Prints the model's share of answers and fallbacks by reason.
 */
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { startStubServer } from '../test/llm/stub-server.js';
import type { PreparedRun } from './run-eval.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

export async function prepare(ctx: { llmStub: boolean; mode: 'in-process' | 'url' }): Promise<PreparedRun | void> {
  if (!ctx.llmStub) return;
  if (ctx.mode === 'url') {
    console.warn('--llm-stub works in-process only; start the server with OPENAI_BASE_URL pointing at a stub instead.');
    return;
  }
  const stub = await startStubServer({ mode: 'paraphrase-sometimes-invent' });
  const config = loadConfig({ OPENAI_BASE_URL: `${stub.url}/v1`, OPENAI_API_KEY: 'sk-local', OPENAI_MODEL: 'stub-model', LLM_TIMEOUT_MS: '3000', RATE_LIMIT_MAX: '1000000' });
  const services = await createServices(config, silent);
  return {
    appOptions: { config, services },
    async cleanup() {
      const turns = (await services.metrics.turns.get()).values;
      const fallbacks = (await services.metrics.modelFallbacks.get()).values;
      const byPath = (path: string) => turns.filter((v) => v.labels.answered_by === path).reduce((n, v) => n + v.value, 0);
      console.log(`\nmodel path (stub at ${stub.url}): ${byPath('model')} turns worded by the model, ${byPath('rules')} by the rules`);
      console.log(`fallbacks by reason: ${fallbacks.map((v) => `${v.labels.reason} ${v.value}`).join(', ') || 'none'}`);
      console.log(`stub requests: ${stub.requests.length}`);
      await services.close();
      await stub.close();
    },
  };
}
