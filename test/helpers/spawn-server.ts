import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './redis-server.js';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  terminate(): Promise<number | null>;
  /** SIGTERM, and SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the service as `npm start` does (`src/server.ts` through tsx) in a child process on a free
 * loopback port, and waits until /readyz answers 200. Its logs are captured, not shown.
 */
export async function spawnServer(env: Record<string, string> = {}, options: { readyTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => chunks.push(d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => chunks.push(d));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const timeout = options.readyTimeoutMs ?? 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${chunks.join('').slice(-2000)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > timeout) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${timeout} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const terminate = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return {
    child,
    port,
    url,
    output: () => chunks.join(''),
    terminate,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await terminate();
      clearTimeout(timer);
    },
  };
}
