import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelApp, type RunningModelApp } from '../llm/model-app.js';
import { inventNumber, startStubServer, type StubServer } from '../llm/stub-server.js';

const TOKEN = 'fallback-review-token-0123456789';
const QUESTION = '2026年4月28日受理的转移申请，转出地和转入地最晚哪天办完？';
const dataDir = mkdtempSync(join(tmpdir(), 'review-fallback-'));

describe('model fallbacks in the operator review', () => {
  let stub: StubServer;
  let service: RunningModelApp;
  beforeAll(async () => {
    stub = await startStubServer();
    service = await startModelApp(stub.url, { ADMIN_TOKEN: TOKEN, DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await service?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists a turn whose model answer was not used, with why, and not one the model answered', async () => {
    const worded = await service.chat(QUESTION);
    expect(worded.answeredBy).toBe('model');
    stub.script(inventNumber);
    const fellBack = await service.chat(QUESTION);
    expect(fellBack.answeredBy).toBe('rules');

    const res = await fetch(`${service.url}/v1/admin/review?reason=model_fallback`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const { items } = (await res.json()) as { items: { sessionId: string; fallback?: string; answeredBy: string; reason: string }[] };
    expect(items).toEqual([expect.objectContaining({ sessionId: fellBack.sessionId, reason: 'model_fallback', fallback: 'unbacked_figure', answeredBy: 'rules' })]);
  });
});
