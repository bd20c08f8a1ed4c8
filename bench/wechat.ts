import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/app.js';
import { wechatPlugin } from '../src/wechat/plugin.js';
import { WechatClient, textMessage } from '../test/wechat/client.js';

const TOKEN = 'bench_token';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wxbench0000000000';
const MESSAGES = 600;
const WARMUP = 20;

const QUESTIONS = [
  '我从青岛调到南京工作，医保怎么转？',
  '医保转移要多久',
  '转医保需要哪些材料？',
  '断缴了还能转吗',
  '退休人员医保怎么转',
  '个人账户余额怎么处理',
  '医保转移的政策依据有哪些',
  '异地安置怎么办理',
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function run(client: WechatClient, label: string, encrypted: boolean, concurrency: number): Promise<void> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const send = async (i: number) => {
    // Several users with short conversations, as an account sees them.
    const message = textMessage(QUESTIONS[i % QUESTIONS.length]!, { FromUserName: `oBenchUser_${String(i % 50).padStart(18, '0')}` });
    const started = performance.now();
    const reply = await client.send(message, { encrypted });
    const ms = performance.now() - started;
    if (reply.status !== 200 || reply.fields?.MsgType !== 'text') failures += 1;
    return ms;
  };
  for (let i = 0; i < WARMUP; i += 1) await send(i);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < MESSAGES) latencies.push(await send(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `wechat ${label}: ${latencies.length} text messages, concurrency ${concurrency}, ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ` +
      `max ${latencies.at(-1)!.toFixed(1)} ms, ${(latencies.length / seconds).toFixed(0)} msg/s, failures ${failures}`,
  );
}

/**
 * Reply latency of POST /wechat over real HTTP: the whole app in-process on a free port, ≥ 500
 * signed text messages in plain and in safe (AES) mode, one at a time and eight at once; prints p50/p99.
 */
export async function benchWechat(): Promise<void> {
  const app = await buildApp({ config: { WECHAT_TOKEN: TOKEN, WECHAT_AES_KEY: AES_KEY, WECHAT_APP_ID: APP_ID } });
  if (!app.hasRoute({ method: 'POST', url: '/wechat' })) {
    await app.register(wechatPlugin, { config: { token: TOKEN, aesKey: AES_KEY, appId: APP_ID }, chat: app.services.chat, metrics: app.services.metrics });
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    const client = new WechatClient({ baseUrl: `http://127.0.0.1:${address.port}`, token: TOKEN, aesKey: AES_KEY, appId: APP_ID });
    // One at a time is what each WeChat delivery sees; eight at once shows queueing under load.
    for (const concurrency of [1, 8]) {
      await run(client, 'plain', false, concurrency);
      await run(client, 'safe (AES)', true, concurrency);
    }
  } finally {
    await app.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchWechat();
