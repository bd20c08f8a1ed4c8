import type { Region, RegionLookup, RegionMention, ResolveResult } from '../../tools/region/types.js';

/**
 * A small hand-made RegionLookup for tests (real GB/T 2260 codes), so the understanding rules can
 * be tested without the full division table.
 */

const province = (code: string, name: string, shortName: string): Region => ({
  name,
  shortName,
  code,
  level: 'province',
  city: null,
  province: name,
  provinceCode: code,
  poolingArea: null,
});

const municipality = (code: string, name: string, shortName: string): Region => ({
  name,
  shortName,
  code,
  level: 'province',
  city: name,
  province: name,
  provinceCode: code,
  poolingArea: { code, name },
});

const prefecture = (code: string, name: string, shortName: string, p: Region): Region => ({
  name,
  shortName,
  code,
  level: 'prefecture',
  city: name,
  province: p.name,
  provinceCode: p.code,
  poolingArea: { code, name },
});

const county = (code: string, name: string, shortName: string, city: Region, level: 'county' | 'district' = 'county'): Region => ({
  name,
  shortName,
  code,
  level,
  city: city.name,
  province: city.province,
  provinceCode: city.provinceCode,
  poolingArea: city.poolingArea,
});

const jiangsu = province('320000', '江苏省', '江苏');
const shandong = province('370000', '山东省', '山东');
const zhejiang = province('330000', '浙江省', '浙江');
const guangdong = province('440000', '广东省', '广东');
const hubei = province('420000', '湖北省', '湖北');
const liaoning = province('210000', '辽宁省', '辽宁');
const beijing = municipality('110000', '北京市', '北京');
const shanghai = municipality('310000', '上海市', '上海');
const suzhou = prefecture('320500', '苏州市', '苏州', jiangsu);

export const fixtureRegions: readonly Region[] = [
  jiangsu,
  shandong,
  zhejiang,
  guangdong,
  hubei,
  liaoning,
  beijing,
  shanghai,
  prefecture('370200', '青岛市', '青岛', shandong),
  prefecture('370600', '烟台市', '烟台', shandong),
  prefecture('320100', '南京市', '南京', jiangsu),
  suzhou,
  county('320583', '昆山市', '昆山', suzhou),
  prefecture('330100', '杭州市', '杭州', zhejiang),
  prefecture('440100', '广州市', '广州', guangdong),
  prefecture('440300', '深圳市', '深圳', guangdong),
  prefecture('420100', '武汉市', '武汉', hubei),
  prefecture('211300', '朝阳市', '朝阳', liaoning),
  county('110105', '朝阳区', '朝阳', beijing, 'district'),
];

/** Looks places up by full or short name; "朝阳" is ambiguous (北京朝阳区 / 辽宁朝阳市). */
export function createFixtureRegionLookup(regions: readonly Region[] = fixtureRegions): RegionLookup {
  const byName = new Map<string, Region[]>();
  const add = (key: string, region: Region) => {
    const list = byName.get(key) ?? [];
    if (!list.includes(region)) list.push(region);
    byName.set(key, list);
  };
  for (const r of regions) {
    add(r.name, r);
    add(r.shortName, r);
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const resultOf = (list: Region[]): RegionMention['result'] =>
    list.length === 1 ? { status: 'ok', region: list[0]! } : { status: 'ambiguous', candidates: [...list] };
  return {
    resolve(name: string): ResolveResult {
      const list = byName.get(name.trim());
      return list ? resultOf(list) : { status: 'unknown', suggestions: [] };
    },
    findMentions(text: string): RegionMention[] {
      const out: RegionMention[] = [];
      for (let i = 0; i < text.length; ) {
        const name = names.find((n) => text.startsWith(n, i));
        if (!name) {
          i++;
          continue;
        }
        out.push({ start: i, end: i + name.length, text: name, result: resultOf(byName.get(name)!) });
        i += name.length;
      }
      return out;
    },
    byCode: (code) => regions.find((r) => r.code === code),
    knownCodes: () => new Set(regions.map((r) => r.code)),
  };
}
