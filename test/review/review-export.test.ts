import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFileError, loadCases } from '../../eval/load-cases.js';
import { chinaToday } from '../../src/dialogue/chat-engine.js';
import { projectRoot } from '../../src/paths.js';
import { postJson, startApp } from '../helpers/app.js';

const scratch = mkdtempSync(join(tmpdir(), 'review-export-'));
const dataDir = join(scratch, 'data');
const outDir = join(scratch, 'drafts');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs an npm script in the project as an operator would, without Redis, on the test's data directory. */
function npmRun(args: string[]): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** What an operator writes in place of each `todo`, by the case's category. */
const expectations: Record<string, Record<string, unknown>> = {
  out_of_scope: { intent: 'out_of_scope', negative: true, facts: ['医保|医疗保险'], citations: ['scope-what-we-cover'] },
  transfer: {
    intent: 'transfer',
    facts: ['跨省'],
    slots: { insuranceType: 'employee' },
    citations: ['transfer-preconditions'],
    // Everything a correct answer to this move may rely on (the eval also gates on citation precision).
    alsoRelevant: [
      'transfer-three-situations',
      'balance-employee-moves-with-relationship',
      'law-social-insurance-art32-years-cumulate',
      'apply-online-national-platform',
      'apply-offline-either-window',
    ],
  },
};

describe('from review to test: npm run review:export', () => {
  beforeAll(async () => {
    const server = await startApp({ config: { ADMIN_TOKEN: 'export-test-token-0123456789', DATA_DIR: dataDir } });
    try {
      await postJson(`${server.url}/v1/chat`, { message: '讲个笑话' });
      const first = await postJson(`${server.url}/v1/chat`, { message: '医保能从青岛转到南京吗？我身份证110101199003071234' });
      const second = await postJson(`${server.url}/v1/chat`, { sessionId: first.body.sessionId, message: '职工医保' });
      await postJson(`${server.url}/v1/feedback`, { sessionId: first.body.sessionId, turn: second.body.turn, rating: 'down', comment: '太长了' });
      // An unflagged conversation is not exported.
      await postJson(`${server.url}/v1/chat`, { message: '医保转移要带什么材料？' });
    } finally {
      await server.close();
    }
  });

  it('writes drafts the eval loader refuses until expectations are filled, then loads and passes with npm run eval', async () => {
    const exported = await npmRun(['review:export', '--', '--since', chinaToday(), '--out', outDir]);
    expect(exported.code, exported.output).toBe(0);
    expect(exported.output).toContain('已写入 2 个会话的评测用例草稿');
    const [name] = readdirSync(outDir);
    const file = join(outDir, name!);
    const draft = readFileSync(file, 'utf8');
    expect(draft).toContain('# 评测用例草稿');
    expect(draft).not.toContain('110101199003071234');
    expect(draft).toContain('110101********1234');

    // As exported, the draft cannot pass as a test: the loader names the unfinished turn.
    expect(() => loadCases(file)).toThrow(CaseFileError);
    expect(() => loadCases(file)).toThrow(/turns\[\d\]\.todo 有误：这一轮是复核导出的草稿，期望尚未填写/);

    // The operator writes what the answers must say and deletes the todo lines.
    const doc = parseDocument(draft);
    for (const node of (doc.get('cases') as YAMLSeq<YAMLMap>).items) {
      const category = String(node.get('category'));
      for (const turn of (node.get('turns') as YAMLSeq<YAMLMap>).items) {
        if (!turn.has('todo')) continue;
        turn.delete('todo');
        for (const [key, value] of Object.entries(expectations[category]!)) turn.set(key, doc.createNode(value));
      }
    }
    writeFileSync(file, doc.toString());
    const cases = loadCases(file);
    expect(cases.map((c) => [c.category, c.turns.length])).toEqual([
      ['out_of_scope', 1],
      ['transfer', 2],
    ]);

    const evaluated = await npmRun(['eval', '--', '--cases', file]);
    expect(evaluated.output).toMatch(/2 cases, 3 turns/);
    expect(evaluated.output).toMatch(/pass rate\s+100\.0% \(2\/2\)/);
    expect(evaluated.code, evaluated.output).toBe(0);
  });

  it('refuses a bad date and says when there is nothing to export', async () => {
    const bad = await npmRun(['review:export', '--', '--since', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--since 2026-02-30 不是有效日期');
    const none = await npmRun(['review:export', '--', '--since', '2999-01-01', '--out', join(scratch, 'none')]);
    expect(none.code).toBe(0);
    expect(none.output).toContain('没有需要导出的会话');
  });
});
