import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/redis-server.js';

export { freePort };

export interface Spawned {
  child: ChildProcess;
  port: number;
  url: string;
  /** Milliseconds from spawn until /readyz answered 200. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts the server (by default `npm start`'s entry point) as a child process and waits for /readyz. */
export async function startServer(env: Record<string, string> = {}, script = 'src/server.ts', readyTimeoutMs = 60_000): Promise<Spawned> {
  const port = await freePort();
  const started = performance.now();
  // Compiled JavaScript (dist/) runs as the image runs it; TypeScript through tsx, as npm start does.
  const child = spawn(process.execPath, [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '100000000', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${readyTimeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - started;
  return {
    child,
    port,
    url,
    readyMs,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

/** Runs autocannon for a bounded duration and returns throughput and latency (ms). */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections: 20, duration: 6, ...options }, (err, res) => (err ? reject(err) : resolve(res)));
    // autocannon's summary has no p95; collect every response time to compute exact percentiles.
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
