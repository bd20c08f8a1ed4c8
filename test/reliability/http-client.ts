import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  /** Parsed JSON body, or the raw text. */
  body: unknown;
  ms: number;
  started: number;
}

/**
 * Keep-alive connections, at most `perInstance` to each instance (as a load balancer's pool):
 * requests beyond that wait in the client, so sessions stay concurrent without piling hundreds
 * of turns onto one event loop at once.
 */
export const keepAliveAgent = (perInstance = 16) => new Agent({ keepAlive: true, maxSockets: perInstance });

/** POSTs JSON over node:http (keep-alive when an agent is given) and reads the whole answer. */
export function postJson(url: string, body: unknown, agent?: Agent, timeoutMs = 20_000): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length }, ...(agent ? { agent } : { agent: false }), timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - started, started });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Sum of one Prometheus counter over all its label sets, read from /metrics. */
export async function counterTotal(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
