import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KnowledgeError, validateOrThrow } from '../../knowledge/load.js';
import { knowledgeDir, projectRoot } from '../../paths.js';
import { aliasTableSchema } from './alias-table.js';
import { divisionTableSchema } from './division-table.js';
import { createRegionResolver } from './resolver.js';
import type { RegionLookup } from './types.js';

function readData(path: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(relative(projectRoot, path), '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Reads knowledge/regions/divisions.json and aliases.yaml, validates both (an alias pointing at
 * an unknown code stops start-up with the file and field named) and builds the region lookup.
 */
export function loadRegionResolver(dir = join(knowledgeDir, 'regions')): RegionLookup {
  const divisionsPath = join(dir, 'divisions.json');
  const aliasesPath = join(dir, 'aliases.yaml');
  const divisions = validateOrThrow(divisionTableSchema, readData(divisionsPath, JSON.parse), divisionsPath);
  const aliases = validateOrThrow(aliasTableSchema, readData(aliasesPath, parseYaml), aliasesPath);
  const codes = new Set(divisions.regions.map(([code]) => code));
  aliases.aliases.forEach((alias, i) =>
    alias.codes.forEach((code, j) => {
      if (!codes.has(code))
        throw new KnowledgeError(relative(projectRoot, aliasesPath), `aliases[${i}].codes[${j}]`, `未知的地区代码 ${code}`);
    }),
  );
  return createRegionResolver(divisions, aliases);
}
