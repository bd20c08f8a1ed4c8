import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenAIEmbeddings } from '@langchain/openai';
import { OfflineEmbedder, type Embedder } from '../retrieval/offline-embedder.js';

/**
 * Embeddings through an OpenAI-compatible `/embeddings` endpoint (OpenAI, DashScope, a local vLLM
 * or Ollama), with vectors cached on disk, and the offline hashing embedder as the fallback.
 * Lives in src/llm so that src/retrieval never depends on LangChain.
 */

export interface RemoteEmbedderOptions {
  model: string;
  baseURL?: string;
  apiKey?: string;
  /** Directory for cached vectors (one file per text: sha256(model + text).json). */
  cacheDir: string;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** Expected dimension; a response of another size is an error. Learned from the first vector if absent. */
  dim?: number;
  batchSize?: number;
}

export type WarningLogger = (message: string, cause?: unknown) => void;

const cacheKey = (model: string, text: string) => createHash('sha256').update(model).update('\u0000').update(text).digest('hex');

/**
 * Embedder backed by the endpoint. embed() (index texts) serves cached vectors from disk and asks
 * the endpoint only for the rest; it throws on any failure (HTTP error, timeout, wrong or inconsistent
 * dimension) so the caller can fall back. It has no embedOne: a query needs a network call.
 */
export class RemoteEmbedder implements Embedder {
  readonly id: string;
  private knownDim: number | undefined;
  private readonly client: OpenAIEmbeddings;

  constructor(private readonly options: RemoteEmbedderOptions) {
    this.id = `openai-compatible:${options.model}`;
    this.knownDim = options.dim;
    this.client = new OpenAIEmbeddings({
      model: options.model,
      apiKey: options.apiKey ?? 'not-needed',
      timeout: options.timeoutMs ?? 10_000,
      batchSize: options.batchSize ?? 64,
      maxRetries: 0,
      // Plain floats: some OpenAI-compatible servers (vLLM, Ollama) do not implement base64 output.
      encodingFormat: 'float',
      configuration: options.baseURL ? { baseURL: options.baseURL } : {},
    });
  }

  get dim(): number {
    if (this.knownDim === undefined) throw new Error('dimension unknown until the first vector is fetched');
    return this.knownDim;
  }

  /** A query's vector: fetched every time and never written to disk (queries can hold personal data). */
  async embedQuery(text: string): Promise<Float32Array> {
    const vector = Float32Array.from(await this.client.embedQuery(text));
    this.checkDim(vector);
    return vector;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = await Promise.all(texts.map((t) => this.readCache(t)));
    const missing = texts.map((t, i) => ({ t, i })).filter(({ i }) => out[i] === undefined);
    if (missing.length > 0) {
      const vectors = await this.client.embedDocuments(missing.map((m) => m.t));
      if (vectors.length !== missing.length) throw new Error(`endpoint returned ${vectors.length} vectors for ${missing.length} texts`);
      for (let j = 0; j < missing.length; j++) {
        const vector = Float32Array.from(vectors[j]!);
        this.checkDim(vector);
        out[missing[j]!.i] = vector;
        await this.writeCache(missing[j]!.t, vector);
      }
    }
    return out.map((v) => {
      this.checkDim(v!);
      return v!;
    });
  }

  private checkDim(vector: Float32Array): void {
    if (vector.length === 0) throw new Error('endpoint returned an empty vector');
    this.knownDim ??= vector.length;
    if (vector.length !== this.knownDim) throw new Error(`vector has ${vector.length} dimensions, expected ${this.knownDim}`);
  }

  private path(text: string): string {
    return join(this.options.cacheDir, `${cacheKey(this.options.model, text)}.json`);
  }

  private async readCache(text: string): Promise<Float32Array | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.path(text), 'utf8'));
      if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((x) => typeof x === 'number')) return Float32Array.from(parsed as number[]);
    } catch {
      // Missing or unreadable cache file: fetch the vector again.
    }
    return undefined;
  }

  private async writeCache(text: string, vector: Float32Array): Promise<void> {
    await mkdir(this.options.cacheDir, { recursive: true });
    const path = this.path(text);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(Array.from(vector)));
    await rename(tmp, path);
  }
}

export interface EmbeddingsSettings {
  OPENAI_EMBEDDINGS_MODEL?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_API_KEY?: string;
  EMBEDDINGS_CACHE_DIR: string;
  /** Per-request timeout (ms); default 10 s. */
  timeoutMs?: number;
}

/**
 * Picks the embedder for the whole index: the endpoint when OPENAI_EMBEDDINGS_MODEL is set and it
 * embeds every index text (which also fills the disk cache, so building the index afterwards
 * makes no request), the offline embedder otherwise. On any endpoint failure the WHOLE index
 * uses the offline embedder — vectors from two spaces must never be mixed — and `warn` says why.
 */
export async function chooseIndexEmbedder(
  indexTexts: string[],
  settings: EmbeddingsSettings,
  warn: WarningLogger,
  offline: Embedder = new OfflineEmbedder(),
): Promise<Embedder> {
  if (!settings.OPENAI_EMBEDDINGS_MODEL) return offline;
  const remote = new RemoteEmbedder({
    model: settings.OPENAI_EMBEDDINGS_MODEL,
    baseURL: settings.OPENAI_BASE_URL,
    apiKey: settings.OPENAI_API_KEY,
    cacheDir: settings.EMBEDDINGS_CACHE_DIR,
    timeoutMs: settings.timeoutMs,
  });
  try {
    await remote.embed(indexTexts);
    return remote;
  } catch (err) {
    warn(`向量接口不可用（${settings.OPENAI_EMBEDDINGS_MODEL}），整个索引改用离线向量`, err);
    return offline;
  }
}
