import type { DivisionTable } from './division-table.js';
import { shortNamesOf } from './short-name.js';
import type { Region, RegionLevel } from './types.js';

/** 北京, 天津, 上海, 重庆: each is one pooling area for all its districts and counties. */
const MUNICIPALITY_CODES = new Set(['110000', '120000', '310000', '500000']);

/** A resolved region with what the resolver needs beyond the public fields. */
export interface RegionRecord {
  region: Region;
  /** Codes of the units above it, nearest first (county → prefecture → province). */
  ancestors: string[];
  /** Spellings that name it besides its official name and short name (恩施州). */
  variants: string[];
}

const isProvinceCode = (code: string) => code.endsWith('0000');

/**
 * The statistics code numbers development and other functional zones 71–79 at county level
 * (苏州工业园区 320576, 青岛高新技术产业开发区 370271; 81–99 are county-level cities). They are
 * matched by full name only: 苏州工业园区 must not shorten to 苏州工业园.
 */
const isFunctionalZone = (code: string) => code[4] === '7';

function levelOf(code: string, name: string, parent: string | null): RegionLevel {
  if (parent === null) return 'province';
  if (isProvinceCode(parent) && code.endsWith('00')) return 'prefecture';
  // A 区 counts as a district only inside a city (仙桃's neighbour 神农架林区 sits under the province).
  const inCity = !isProvinceCode(parent) || MUNICIPALITY_CODES.has(parent);
  return inCity && name.endsWith('区') ? 'district' : 'county';
}

/**
 * Builds one Region per row of the division table, with its level, prefecture, province and
 * pooling area (统筹地区): the prefecture-level city; the municipality for its districts and
 * counties; the unit itself for 省直辖县级 units and 兵团 cities; none for a whole province.
 */
export function buildRegionRecords(table: DivisionTable, ethnicGroups: readonly string[]): Map<string, RegionRecord> {
  const rows = new Map(table.regions.map(([code, name, parent]) => [code, { name, parent }]));
  const records = new Map<string, RegionRecord>();
  for (const [code, { name, parent }] of rows) {
    const ancestors: string[] = [];
    for (let p = parent; p !== null; p = rows.get(p)?.parent ?? null) {
      if (!rows.has(p)) throw new Error(`${name}（${code}）的上级代码 ${p} 不存在`);
      ancestors.push(p);
    }
    const provinceCode = ancestors.at(-1) ?? code;
    const province = rows.get(provinceCode)!.name;
    const level = levelOf(code, name, parent);
    let poolingCode: string | null;
    if (level === 'province') poolingCode = MUNICIPALITY_CODES.has(code) ? code : null;
    else if (level === 'prefecture') poolingCode = code;
    else poolingCode = parent !== null && isProvinceCode(parent) && !MUNICIPALITY_CODES.has(parent) ? code : parent;
    const poolingName = poolingCode === null ? null : rows.get(poolingCode)!.name;
    const { shortName, variants } = isFunctionalZone(code)
      ? { shortName: name, variants: [] }
      : shortNamesOf(name, ethnicGroups);
    records.set(code, {
      region: {
        name,
        shortName,
        code,
        level,
        city: poolingName,
        province,
        provinceCode,
        poolingArea: poolingCode === null ? null : { code: poolingCode, name: poolingName! },
      },
      ancestors,
      variants,
    });
  }
  return records;
}
