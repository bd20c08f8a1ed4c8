import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OfflineEmbedder } from '../retrieval/offline-embedder.js';
import { chooseIndexEmbedder, RemoteEmbedder, type EmbeddingsSettings } from './embeddings.js';

/** A tiny OpenAI-compatible POST /v1/embeddings stub: the vector of a text is [length, 1, 2]. */
function startStub(status: () => number): Promise<{ server: Server; url: string; calls: string[][] }> {
  const calls: string[][] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const input = (JSON.parse(body) as { input: string[] | string }).input;
      const texts = Array.isArray(input) ? input : [input];
      calls.push(texts);
      const code = status();
      if (code !== 200) {
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'boom' } }));
        return;
      }
      const data = texts.map((t, index) => ({ object: 'embedding', index, embedding: [t.length, 1, 2] }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: 'stub', usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` })),
  );
}

describe('OpenAI-compatible embeddings', () => {
  let cacheDir: string;
  let stub: Awaited<ReturnType<typeof startStub>> | undefined;
  let status = 200;

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'embeddings-cache-'));
    status = 200;
    stub = await startStub(() => status);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => stub?.server.close(() => resolve()));
    await rm(cacheDir, { recursive: true, force: true });
  });

  const settings = (): EmbeddingsSettings => ({
    OPENAI_EMBEDDINGS_MODEL: 'stub-embed',
    OPENAI_BASE_URL: stub!.url,
    OPENAI_API_KEY: 'sk-local',
    EMBEDDINGS_CACHE_DIR: cacheDir,
    timeoutMs: 2_000,
  });

  it('uses the vectors the endpoint returns for the index', async () => {
    const warnings: string[] = [];
    const embedder = await chooseIndexEmbedder(['医保转移', '断缴补缴规则'], settings(), (m) => warnings.push(m));
    expect(embedder.id).toBe('openai-compatible:stub-embed');
    expect(embedder.dim).toBe(3);
    const vectors = await embedder.embed(['医保转移', '断缴补缴规则']);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [4, 1, 2],
      [6, 1, 2],
    ]);
    expect(warnings).toEqual([]);
  });

  it('serves a second index build from the disk cache without calling the endpoint', async () => {
    await chooseIndexEmbedder(['医保转移', '断缴补缴规则'], settings(), () => {});
    const callsAfterFirstBuild = stub!.calls.length;
    expect(callsAfterFirstBuild).toBeGreaterThan(0);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.json'))).toHaveLength(2);

    const again = new RemoteEmbedder({ model: 'stub-embed', baseURL: stub!.url, apiKey: 'sk-local', cacheDir });
    const vectors = await again.embed(['断缴补缴规则', '医保转移']);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [6, 1, 2],
      [4, 1, 2],
    ]);
    expect(stub!.calls.length).toBe(callsAfterFirstBuild);
  });

  it('falls back to the offline embedder for the whole index when the endpoint answers 500', async () => {
    status = 500;
    const warnings: string[] = [];
    const embedder = await chooseIndexEmbedder(['医保转移'], settings(), (m) => warnings.push(m));
    expect(embedder.id).toBe(new OfflineEmbedder().id);
    expect(embedder.embedOne).toBeTypeOf('function');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('离线');
  });

  it('falls back when the endpoint returns vectors of a different dimension than expected', async () => {
    const remote = new RemoteEmbedder({ model: 'stub-embed', baseURL: stub!.url, apiKey: 'sk-local', cacheDir, dim: 8 });
    await expect(remote.embed(['医保转移'])).rejects.toThrow(/dimensions/);
  });

  it('does not write query vectors to disk', async () => {
    const remote = new RemoteEmbedder({ model: 'stub-embed', baseURL: stub!.url, apiKey: 'sk-local', cacheDir });
    expect(Array.from(await remote.embedQuery('我的身份证号是多少'))).toEqual([9, 1, 2]);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('uses the offline embedder when no embeddings model is configured', async () => {
    const embedder = await chooseIndexEmbedder(['医保转移'], { EMBEDDINGS_CACHE_DIR: cacheDir }, () => {});
    expect(embedder.id).toBe(new OfflineEmbedder().id);
    expect(stub!.calls).toEqual([]);
  });
});
