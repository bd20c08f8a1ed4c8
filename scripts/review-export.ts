/**
 * `npm run review:export -- --since 2026-12-05`: writes the conversations the operator review
 * flagged as eval case drafts (YAML, eval/case-schema.ts), one case per conversation, with the
 * flagged turns marked `todo` for an operator to fill in. Reads the review store directly (the
 * file under DATA_DIR, read-only, or Redis with REDIS_URL), so it works beside a running service.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chinaToday } from '../src/dialogue/chat-engine.js';
import { intents } from '../src/dialogue/types.js';
import { loadConfig } from '../src/config.js';
import { projectRoot } from '../src/paths.js';
import { evalDrafts } from '../src/review/eval-drafts.js';
import { createReviewStore } from '../src/review/create-review.js';
import { reasonLabels, reviewReasons, type ReviewReason } from '../src/review/review-record.js';
import { findFlagged, parseBound } from '../src/review/review-query.js';
import { closeRedisClient, createRedisClient, waitForRedis } from '../src/sessions/redis-client.js';

const USAGE = `Usage: npm run review:export -- [options]

  --since <YYYY-MM-DD>   first day (China time) of the conversations to export (default: yesterday)
  --until <YYYY-MM-DD>   last day, included (default: now)
  --reason <reason>      only turns flagged for this reason: ${reviewReasons.join(', ')}
  --intent <intent>      only turns answered as this intent
  --out <path>           a .yaml file or a directory (default: eval/drafts/review-<since>.yaml)
  -h, --help             this text

Reads DATA_DIR (default ./data) or, with REDIS_URL, Redis. Exits 2 on bad arguments.`;

const yesterday = () => new Date(Date.parse(`${chinaToday()}T12:00:00+08:00`) - 86_400_000).toISOString().slice(0, 10);

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        reason: { type: 'string' },
        intent: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const since = args.since ?? yesterday();
  const sinceMs = parseBound(since, 'since');
  const untilMs = args.until ? parseBound(args.until, 'until') : Date.now();
  const problems = [
    Number.isNaN(sinceMs) ? `--since ${since} 不是有效日期（YYYY-MM-DD）` : '',
    Number.isNaN(untilMs) ? `--until ${args.until} 不是有效日期（YYYY-MM-DD）` : '',
    args.reason && !(reviewReasons as readonly string[]).includes(args.reason) ? `--reason 须为 ${reviewReasons.join('、')} 之一` : '',
    args.intent && !(intents as readonly string[]).includes(args.intent) ? `--intent 须为 ${intents.join('、')} 之一` : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n\n${USAGE}`);
    return 2;
  }

  const config = loadConfig();
  const log = { info: () => {}, warn: (obj: object, msg: string) => console.warn(msg, obj) };
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL, log) : undefined;
  try {
    if (redis && !(await waitForRedis(redis, 3000))) {
      console.error('Redis 连接不上（REDIS_URL），无法读取复核记录。');
      return 1;
    }
    const store = await createReviewStore(config, redis, log, { readOnly: true });
    const reason = args.reason as ReviewReason | undefined;
    const { records } = await findFlagged(store, { sinceMs, untilMs, ...(reason ? { reason } : {}), ...(args.intent ? { intent: args.intent } : {}) });
    const selection = [`${since} 起`, args.until ? `至 ${args.until}` : '', reason ? `原因：${reasonLabels[reason]}` : '', args.intent ? `意图：${args.intent}` : '']
      .filter(Boolean)
      .join('，');
    const drafts = await evalDrafts(store, records, { generatedAt: new Date().toISOString(), selection });
    await store.close();
    if (drafts.cases === 0) {
      console.log(`没有需要导出的会话（${selection}，复核记录在 ${redis ? 'Redis' : config.DATA_DIR}）。`);
      return 0;
    }
    const out = resolve(args.out ?? join(projectRoot, 'eval', 'drafts', `review-${since}.yaml`));
    const file = /\.ya?ml$/.test(out) ? out : join(out, `review-${since}.yaml`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, drafts.yaml);
    const todo = (drafts.yaml.match(/^\s+todo: /gm) ?? []).length;
    console.log(`已写入 ${drafts.cases} 个会话的评测用例草稿：${relative(process.cwd(), file) || file}`);
    console.log(`其中 ${todo} 轮标有 todo：写好期望、删除 todo 行后移入 eval/cases/，用 npm run eval -- --cases <文件> 检查。`);
    return 0;
  } finally {
    if (redis) await closeRedisClient(redis);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
