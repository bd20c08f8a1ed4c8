import type { RunningApp } from '../helpers/app.js';

/**
 * Waits until an instance takes traffic (/readyz 200), as a load balancer would. Instances started
 * in one test process share its event loop: building one blocks the loop for seconds, and the
 * others shed load (503, event-loop delay) until the delay has settled.
 */
export async function untilReady(server: RunningApp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${server.url}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${server.url} not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
