import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REVIEW_FILE_NAME } from '../../src/review/file-review-store.js';
import { postJson } from '../helpers/app.js';
import { spawnServer, type ServerProcess } from '../helpers/spawn-server.js';

const TOKEN = 'restart-test-token-0123456789';
const ID_NUMBER = '11010519491231002X';
const PHONE = '15912345678';
const dataDir = mkdtempSync(join(tmpdir(), 'review-restart-'));
// No Redis: the review store is the file under DATA_DIR.
const env = { ADMIN_TOKEN: TOKEN, DATA_DIR: dataDir, REDIS_URL: '', LOG_LEVEL: 'debug' };

let server: ServerProcess | undefined;
const logs: string[] = [];
afterEach(async () => {
  if (server) logs.push(server.output());
  await server?.stop();
  server = undefined;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
async function review(url: string): Promise<any[]> {
  const res = await fetch(`${url}/v1/admin/review`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: unknown[] }).items;
}

describe('the review store without Redis survives a restart of the service', () => {
  let sessionId: string;

  it('records a thumbs-down with its comment and an out-of-scope turn', async () => {
    server = await spawnServer(env);
    const first = await postJson(`${server.url}/v1/chat`, { message: `医保转移要多久？我电话${PHONE}` });
    sessionId = first.body.sessionId;
    await postJson(`${server.url}/v1/feedback`, { sessionId, turn: 1, rating: 'down', comment: `身份证${ID_NUMBER}，没说从哪天开始算` });
    await postJson(`${server.url}/v1/chat`, { sessionId, message: '讲个笑话' });
    expect((await review(server.url)).map((i) => [i.turn, i.reasons])).toEqual([
      [2, ['out_of_scope']],
      [1, ['thumbs_down']],
    ]);
  });

  it('lists them again after a graceful restart, with the rating and the comment', async () => {
    server = await spawnServer(env);
    const items = await review(server.url);
    expect(items.map((i) => [i.sessionId, i.turn, i.reasons])).toEqual([
      [sessionId, 2, ['out_of_scope']],
      [sessionId, 1, ['thumbs_down']],
    ]);
    expect(items[1]).toMatchObject({ question: '医保转移要多久？我电话159****5678', comment: '身份证110105********002X，没说从哪天开始算', rating: 'down' });
    expect(items[0].context.map((t: { turn: number }) => t.turn)).toEqual([1]);
    // The conversation continues in a new process (its session is gone, the review keeps the old turns).
    await postJson(`${server.url}/v1/chat`, { sessionId: 'after-restart', message: '医保卡丢了怎么补办' });
    expect((await review(server.url)).length).toBe(3);
  });

  it('keeps a listed turn through a crash (SIGKILL, no graceful close)', async () => {
    server = await spawnServer(env);
    expect((await review(server.url)).length).toBe(3);
    await postJson(`${server.url}/v1/chat`, { sessionId: 'before-crash', message: '帮我算算养老金' });
    expect((await review(server.url)).length).toBe(4);
    server.child.kill('SIGKILL');
    await server.stop();
    server = await spawnServer(env);
    expect((await review(server.url)).map((i) => i.sessionId)).toContain('before-crash');
  });

  it('never wrote the ID or phone number to the store file or the logs', () => {
    const stored = readFileSync(join(dataDir, REVIEW_FILE_NAME), 'utf8');
    expect(stored).toContain('159****5678');
    expect(stored).toContain('110105********002X');
    const log = logs.join('\n');
    expect(log).toContain('"msg":"operator review recording"');
    for (const text of [stored, log]) {
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain(ID_NUMBER);
    }
  });
});
