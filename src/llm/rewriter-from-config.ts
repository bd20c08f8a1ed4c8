import { modelConfigured, type Config } from '../config.js';
import type { FallbackReason, Rewriter } from '../dialogue/chat-engine.js';
import type { Tool } from '../tools/tool.js';

/**
 * The model path's rewriter when OPENAI_BASE_URL and OPENAI_MODEL are set, else undefined (rules
 * only). LangChain is imported only then, so a service without a model never loads it. The prompt
 * files are read here, once, and a missing or empty one stops start-up.
 */
export async function createRewriterFromConfig(
  config: Config,
  tools: readonly Tool[],
  onFailure?: (reason: FallbackReason, error: unknown) => void,
): Promise<Rewriter | undefined> {
  if (!modelConfigured(config)) return undefined;
  const [{ createModelRewriter }, { loadPrompts }] = await Promise.all([import('./model-rewriter.js'), import('./prompts.js')]);
  return createModelRewriter({
    baseURL: config.OPENAI_BASE_URL!,
    // Local servers (vLLM, Ollama) accept any key; the client library insists on one.
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    model: config.OPENAI_MODEL!,
    timeoutMs: config.LLM_TIMEOUT_MS,
    tools,
    prompts: loadPrompts(),
    ...(onFailure ? { onFailure } : {}),
  });
}
