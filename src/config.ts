import { z } from 'zod';

/**
 * Settings, parsed once from the environment at the edge. Everything optional has an embedded
 * default so that `npm start` serves with no model endpoint, no Redis and no network.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());

export const configSchema = z.object({
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  REDIS_URL: optionalUrl,
  /**
   * The address other instances reach this one at (e.g. http://10.0.0.5:3000), announced through
   * Redis so that instances can share sessions while Redis is down; derived from HOST and PORT
   * when unset.
   */
  INSTANCE_URL: optionalUrl,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString,
  OPENAI_EMBEDDINGS_MODEL: optionalString,
  LLM_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(8000)),
  /**
   * How long a streamed reply (the widget) waits for the model before the rules' answer is sent;
   * WeChat waits at most its own reply window minus a margin.
   */
  MODEL_REPLY_BUDGET_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(3000)),
  RATE_LIMIT_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(120)),
  SESSION_TTL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(7200)),
  SESSION_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(10000)),
  WECHAT_TOKEN: optionalString,
  WECHAT_AES_KEY: optionalString,
  WECHAT_APP_ID: optionalString,
  EMBEDDINGS_CACHE_DIR: z.preprocess(emptyToUndefined, z.string().default('.cache/embeddings')),
  /** Operator review (/admin, /v1/admin/*): on only with a token, and only then are turns recorded. */
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'ADMIN_TOKEN 至少需要 16 个字符').optional()),
  /** Where the review store's file lives when Redis is not configured. */
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  REVIEW_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  /** Most turns the local review store keeps (oldest dropped first; about 1.5 kB of memory each); Redis is bounded by retention alone. */
  REVIEW_MAX_TURNS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(1_000_000).default(20_000)),
  /** Understanding confidence below which a turn is listed as low_confidence. */
  REVIEW_LOW_CONFIDENCE: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1).default(0.3)),
  /** Prefix that turns a knowledge file path into a link to edit it (e.g. a Git web editor). */
  KB_EDIT_BASE_URL: optionalUrl,
  /** Where `npm run kb:build` writes the search index and start-up reads it (relative to the project). */
  INDEX_DIR: z.preprocess(emptyToUndefined, z.string().default('.cache/index')),
  /** A folder of more knowledge entries, loaded after knowledge/entries with the same checks. */
  KNOWLEDGE_EXTRA_DIR: optionalString,
});

export type Config = z.infer<typeof configSchema>;

/** Parses the given environment; throws a readable error naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`配置错误（环境变量）:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** True when the optional model path is fully configured. */
export const modelConfigured = (c: Config): boolean => Boolean(c.OPENAI_BASE_URL && c.OPENAI_MODEL);
