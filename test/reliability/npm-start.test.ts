import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';

/**
 * An operator (or a process manager) stops the service by sending SIGTERM to the PID it
 * started: `npm start`'s own process. Nothing of the service may outlive it: the server must be
 * that signal's receiver, not a grandchild that npm's shell leaves behind.
 */

/** PIDs of every live descendant of `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may contain spaces) start with state, then ppid.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      /* exited while listing */
    }
  }
  const out: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        out.push(child);
        frontier.push(child);
      }
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** True when something accepts TCP connections on the loopback port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

let npm: ChildProcess | undefined;
let started: number[] = [];
afterAll(() => {
  // Only if the test failed: nothing this test started may be left running.
  for (const pid of [npm?.pid ?? 0, ...started]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
});

describe('npm start', () => {
  it('stops completely when its own PID gets SIGTERM: no process left and nothing listening within 5 s', async () => {
    const port = await freePort();
    npm = spawn('npm', ['start'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    npm.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}: ${stderr.slice(-2000)}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error('npm start not ready after 90 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    started = descendants(npm.pid!);
    expect(started.length).toBeGreaterThan(0);

    const signalled = Date.now();
    process.kill(npm.pid!, 'SIGTERM');
    let gone = false;
    while (Date.now() - signalled < 5_000) {
      if (!(await listening(port)) && !alive(npm.pid!) && started.every((pid) => !alive(pid))) {
        gone = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stoppedAfterMs = Date.now() - signalled;
    console.log(`[npm start] ${started.length} descendant process(es); all gone and port closed ${stoppedAfterMs} ms after SIGTERM`);
    expect(await listening(port)).toBe(false);
    expect(started.filter(alive)).toEqual([]);
    expect(gone).toBe(true);
  }, 120_000);
});
