import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { knowledgeDir } from '../../paths.js';
import { loadRegionResolver } from './load-regions.js';

const regionsDir = join(knowledgeDir, 'regions');
let dir: string | undefined;

function copyWithAliases(aliasesYaml: string): string {
  dir = mkdtempSync(join(tmpdir(), 'regions-'));
  copyFileSync(join(regionsDir, 'divisions.json'), join(dir, 'divisions.json'));
  writeFileSync(join(dir, 'aliases.yaml'), aliasesYaml);
  return dir;
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('loading the region knowledge files', () => {
  it('loads the committed files', () => {
    expect(loadRegionResolver().resolve('昆山').status).toBe('ok');
  });

  it('names the file and field of an alias pointing at an unknown code', () => {
    const yaml = readFileSync(join(regionsDir, 'aliases.yaml'), 'utf8').replace("codes: ['420600']", "codes: ['429999']");
    expect(() => loadRegionResolver(copyWithAliases(yaml))).toThrow(/aliases\.yaml 的字段 aliases\[\d+\]\.codes\[0\].*429999/);
  });

  it('rejects an alias file without the stop list', () => {
    expect(() => loadRegionResolver(copyWithAliases('aliases: []\nethnicGroups: [回]\n'))).toThrow(/aliases\.yaml 的字段 mentionStopList/);
  });

  it('rejects an alias that would hide an official name', () => {
    const yaml = "aliases:\n  - name: 昆山市\n    codes: ['320500']\n    note: 错误示例\nmentionStopList: []\nethnicGroups: [回]\n";
    expect(() => loadRegionResolver(copyWithAliases(yaml))).toThrow(/昆山市/);
  });
});
