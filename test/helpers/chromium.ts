import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package; playwright's own browser download is not used. */
const debianChromium = '/usr/bin/chromium';
const binaryNames = ['chromium', 'chromium-browser'];

// Keep the browser quiet and self-contained: no sandbox (containers, root), no GPU, no update
// checks or sync traffic while the tests run.
const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium binary to drive: `CHROMIUM_PATH` when set, else the first chromium on PATH, else
 * Debian's location. Throws with install instructions when there is none, so browser tests fail
 * loudly instead of being skipped.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CHROMIUM_PATH?.trim();
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`CHROMIUM_PATH=${explicit} 不是可执行文件。`);
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => binaryNames.map((name) => join(dir, name)));
  const found = [...onPath, debianChromium].find(isExecutable);
  if (found) return found;
  throw new Error(
    '找不到 Chromium，浏览器测试无法运行。请安装系统包：apt-get install -y chromium fonts-noto-cjk' +
      '（npm test 会自动安装），或用 CHROMIUM_PATH 指定浏览器路径。',
  );
}

/** Launches headless Chromium for the browser tests. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  return chromium.launch({ executablePath, headless: true, args: launchArgs });
}
