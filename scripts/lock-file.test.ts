import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';

/**
 * The lock file is what a fresh clone installs from: `npm install` must leave it as it is and
 * `npm ci` (the Dockerfile's install) must accept it. Both break when it misses an optional
 * platform build that npm would add back on another machine.
 */

interface LockPackage {
  version?: string;
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };

describe('package-lock.json', () => {
  it('lists every optional platform build of every locked package', () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
        // npm resolves a dependency next to its dependent first, then up the tree.
        const candidates = [`${path}/node_modules/${name}`, `node_modules/${name}`];
        if (!candidates.some((c) => lock.packages[c])) missing.push(`${path || '(root)'} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('is in sync with package.json, as npm ci requires', () => {
    const ci = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
    expect(ci.stderr.split('\n').filter((line) => line.startsWith('npm error')), 'npm ci --dry-run').toEqual([]);
    expect(ci.status).toBe(0);
  });
});
