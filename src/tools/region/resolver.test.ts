import { describe, expect, it } from 'vitest';
import { loadRegionResolver } from './load-regions.js';
import type { Region, ResolveResult } from './types.js';

const lookup = loadRegionResolver();

function expectOk(result: ResolveResult): Region {
  if (result.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result).slice(0, 300)}`);
  return result.region;
}

function expectAmbiguous(result: ResolveResult): Region[] {
  if (result.status !== 'ambiguous') throw new Error(`expected ambiguous, got ${JSON.stringify(result).slice(0, 300)}`);
  return result.candidates;
}

// [typed name, official name, code, level, province, pooling area (null for a whole province)]
const RESOLVED: [string, string, string, Region['level'], string, string | null][] = [
  // short names and full names of prefecture-level cities
  ['青岛', '青岛市', '370200', 'prefecture', '山东省', '青岛市'],
  ['南京', '南京市', '320100', 'prefecture', '江苏省', '南京市'],
  ['南京市', '南京市', '320100', 'prefecture', '江苏省', '南京市'],
  ['烟台', '烟台市', '370600', 'prefecture', '山东省', '烟台市'],
  ['苏州', '苏州市', '320500', 'prefecture', '江苏省', '苏州市'],
  ['杭州市', '杭州市', '330100', 'prefecture', '浙江省', '杭州市'],
  ['深圳', '深圳市', '440300', 'prefecture', '广东省', '深圳市'],
  ['东莞', '东莞市', '441900', 'prefecture', '广东省', '东莞市'],
  ['嘉峪关', '嘉峪关市', '620200', 'prefecture', '甘肃省', '嘉峪关市'],
  ['锡林郭勒', '锡林郭勒盟', '152500', 'prefecture', '内蒙古自治区', '锡林郭勒盟'],
  ['阿克苏', '阿克苏地区', '652900', 'prefecture', '新疆维吾尔自治区', '阿克苏地区'],
  // provinces: no single pooling area
  ['江苏', '江苏省', '320000', 'province', '江苏省', null],
  ['广东省', '广东省', '440000', 'province', '广东省', null],
  ['黑龙江', '黑龙江省', '230000', 'province', '黑龙江省', null],
  ['内蒙古', '内蒙古自治区', '150000', 'province', '内蒙古自治区', null],
  ['内蒙', '内蒙古自治区', '150000', 'province', '内蒙古自治区', null],
  ['广西', '广西壮族自治区', '450000', 'province', '广西壮族自治区', null],
  ['新疆', '新疆维吾尔自治区', '650000', 'province', '新疆维吾尔自治区', null],
  ['西藏', '西藏自治区', '540000', 'province', '西藏自治区', null],
  ['宁夏', '宁夏回族自治区', '640000', 'province', '宁夏回族自治区', null],
  ['海南', '海南省', '460000', 'province', '海南省', null],
  ['吉林', '吉林省', '220000', 'province', '吉林省', null],
  // municipalities are one pooling area each, districts and counties included
  ['北京', '北京市', '110000', 'province', '北京市', '北京市'],
  ['上海市', '上海市', '310000', 'province', '上海市', '上海市'],
  ['天津', '天津市', '120000', 'province', '天津市', '天津市'],
  ['重庆', '重庆市', '500000', 'province', '重庆市', '重庆市'],
  ['巫山县', '巫山县', '500237', 'county', '重庆市', '重庆市'],
  ['巫山', '巫山县', '500237', 'county', '重庆市', '重庆市'],
  ['石柱', '石柱土家族自治县', '500240', 'county', '重庆市', '重庆市'],
  ['浦东', '浦东新区', '310115', 'district', '上海市', '上海市'],
  ['浦东新区', '浦东新区', '310115', 'district', '上海市', '上海市'],
  ['滨海新区', '滨海新区', '120116', 'district', '天津市', '天津市'],
  ['海淀区', '海淀区', '110108', 'district', '北京市', '北京市'],
  ['北京朝阳', '朝阳区', '110105', 'district', '北京市', '北京市'],
  ['北京市朝阳区', '朝阳区', '110105', 'district', '北京市', '北京市'],
  ['渝中区', '渝中区', '500103', 'district', '重庆市', '重庆市'],
  // districts of prefecture-level cities
  ['天河区', '天河区', '440106', 'district', '广东省', '广州市'],
  ['天河', '天河区', '440106', 'district', '广东省', '广州市'],
  ['南京鼓楼', '鼓楼区', '320106', 'district', '江苏省', '南京市'],
  ['南京市鼓楼区', '鼓楼区', '320106', 'district', '江苏省', '南京市'],
  ['莱芜', '莱芜区', '370116', 'district', '山东省', '济南市'],
  ['苏州工业园区', '苏州工业园区', '320576', 'district', '江苏省', '苏州市'],
  ['余杭区', '余杭区', '330110', 'district', '浙江省', '杭州市'],
  // county-level cities and counties
  ['昆山', '昆山市', '320583', 'county', '江苏省', '苏州市'],
  ['昆山市', '昆山市', '320583', 'county', '江苏省', '苏州市'],
  ['义乌', '义乌市', '330782', 'county', '浙江省', '金华市'],
  ['张家港', '张家港市', '320582', 'county', '江苏省', '苏州市'],
  ['晋江', '晋江市', '350582', 'county', '福建省', '泉州市'],
  ['石狮', '石狮市', '350581', 'county', '福建省', '泉州市'],
  ['江阴', '江阴市', '320281', 'county', '江苏省', '无锡市'],
  ['巢湖', '巢湖市', '340181', 'county', '安徽省', '合肥市'],
  ['恩施市', '恩施市', '422801', 'county', '湖北省', '恩施土家族苗族自治州'],
  ['雄县', '雄县', '130638', 'county', '河北省', '保定市'],
  ['江苏苏州昆山', '昆山市', '320583', 'county', '江苏省', '苏州市'],
  // 自治州: the 州 wins over the same-named 市 inside it
  ['恩施', '恩施土家族苗族自治州', '422800', 'prefecture', '湖北省', '恩施土家族苗族自治州'],
  ['恩施州', '恩施土家族苗族自治州', '422800', 'prefecture', '湖北省', '恩施土家族苗族自治州'],
  ['延边', '延边朝鲜族自治州', '222400', 'prefecture', '吉林省', '延边朝鲜族自治州'],
  ['大理', '大理白族自治州', '532900', 'prefecture', '云南省', '大理白族自治州'],
  ['凉山', '凉山彝族自治州', '513400', 'prefecture', '四川省', '凉山彝族自治州'],
  ['湘西', '湘西土家族苗族自治州', '433100', 'prefecture', '湖南省', '湘西土家族苗族自治州'],
  ['西双版纳', '西双版纳傣族自治州', '532800', 'prefecture', '云南省', '西双版纳傣族自治州'],
  ['海南州', '海南藏族自治州', '632500', 'prefecture', '青海省', '海南藏族自治州'],
  // 省直辖县级 units are their own pooling area
  ['仙桃', '仙桃市', '429004', 'county', '湖北省', '仙桃市'],
  ['潜江市', '潜江市', '429005', 'county', '湖北省', '潜江市'],
  ['神农架', '神农架林区', '429021', 'county', '湖北省', '神农架林区'],
  ['济源', '济源市', '419001', 'county', '河南省', '济源市'],
  ['琼海', '琼海市', '469002', 'county', '海南省', '琼海市'],
  ['文昌', '文昌市', '469005', 'county', '海南省', '文昌市'],
  // 兵团 cities
  ['石河子', '石河子市', '659001', 'county', '新疆维吾尔自治区', '石河子市'],
  ['五家渠', '五家渠市', '659004', 'county', '新疆维吾尔自治区', '五家渠市'],
  ['北屯', '北屯市', '659005', 'county', '新疆维吾尔自治区', '北屯市'],
  ['新星', '新星市', '659011', 'county', '新疆维吾尔自治区', '新星市'],
  ['白杨', '白杨市', '659012', 'county', '新疆维吾尔自治区', '白杨市'],
  // old names
  ['襄樊', '襄阳市', '420600', 'prefecture', '湖北省', '襄阳市'],
  ['思茅', '普洱市', '530800', 'prefecture', '云南省', '普洱市'],
];

describe('region resolver', () => {
  it.each(RESOLVED)('resolves %s to %s (%s, %s) in %s, pooling area %s', (typed, name, code, level, province, pooling) => {
    const region = expectOk(lookup.resolve(typed));
    expect(region).toMatchObject({ name, code, level, province });
    expect(region.poolingArea?.name ?? null).toBe(pooling);
  });

  it('fills city, province code and pooling-area code', () => {
    expect(expectOk(lookup.resolve('昆山'))).toEqual({
      name: '昆山市',
      shortName: '昆山',
      code: '320583',
      level: 'county',
      city: '苏州市',
      province: '江苏省',
      provinceCode: '320000',
      poolingArea: { code: '320500', name: '苏州市' },
    });
    expect(expectOk(lookup.resolve('江苏'))).toMatchObject({ city: null, provinceCode: '320000', poolingArea: null });
    expect(expectOk(lookup.resolve('浦东'))).toMatchObject({ city: '上海市', poolingArea: { code: '310000', name: '上海市' } });
    expect(expectOk(lookup.resolve('仙桃'))).toMatchObject({ city: '仙桃市', poolingArea: { code: '429004', name: '仙桃市' } });
  });

  it('derives short names by stripping suffixes and ethnic names', () => {
    expect(expectOk(lookup.resolve('广西壮族自治区')).shortName).toBe('广西');
    expect(expectOk(lookup.resolve('恩施土家族苗族自治州')).shortName).toBe('恩施');
    expect(expectOk(lookup.resolve('雄县')).shortName).toBe('雄县');
  });

  it('answers 雄安 with one of its three 保定 counties, since they share the pooling area 保定市', () => {
    for (const typed of ['雄安', '雄安新区']) {
      const region = expectOk(lookup.resolve(typed));
      expect(['130629', '130632', '130638']).toContain(region.code);
      expect(region.poolingArea).toEqual({ code: '130600', name: '保定市' });
    }
  });

  it('normalises full-width characters, spaces, punctuation and 中国', () => {
    expect(expectOk(lookup.resolve('\u3000昆山市！')).code).toBe('320583');
    expect(expectOk(lookup.resolve(' 中国 青岛 ')).code).toBe('370200');
    expect(expectOk(lookup.resolve('（上海）')).code).toBe('310000');
    expect(expectOk(lookup.resolve('恩施那边')).code).toBe('422800');
  });

  it('lists same-named districts in different cities as ambiguous', () => {
    const gulou = expectAmbiguous(lookup.resolve('鼓楼'));
    expect(gulou.map((r) => r.city).sort()).toEqual(['南京市', '开封市', '徐州市', '福州市'].sort());
    expect(expectAmbiguous(lookup.resolve('鼓楼区'))).toHaveLength(4);
    const jiangbei = expectAmbiguous(lookup.resolve('江北'));
    expect(jiangbei.map((r) => r.city).sort()).toEqual(['宁波市', '重庆市'].sort());
  });

  it('ranks prefecture-level candidates before districts and drops a county inside a candidate city', () => {
    const chaoyang = expectAmbiguous(lookup.resolve('朝阳'));
    expect(chaoyang.map((r) => `${r.city}${r.name}`)).toEqual(['朝阳市朝阳市', '北京市朝阳区', '长春市朝阳区']);
    expect(chaoyang[0]).toMatchObject({ name: '朝阳市', level: 'prefecture', province: '辽宁省' });
    expect(chaoyang.slice(1).every((r) => r.level === 'district')).toBe(true);
    expect(chaoyang.some((r) => r.name === '朝阳县')).toBe(false);
  });

  it('prefers an exact official name over short names', () => {
    expect(expectOk(lookup.resolve('朝阳县')).code).toBe('211321');
    expect(expectAmbiguous(lookup.resolve('朝阳区')).map((r) => r.city).sort()).toEqual(['北京市', '长春市'].sort());
  });

  it('lists the twelve 兵团 cities for 兵团, each its own pooling area', () => {
    for (const typed of ['兵团', '新疆兵团', '新疆生产建设兵团']) {
      const cities = expectAmbiguous(lookup.resolve(typed));
      expect(cities.map((r) => r.code)).toEqual(Array.from({ length: 12 }, (_, i) => `6590${String(i + 1).padStart(2, '0')}`));
      expect(new Set(cities.map((r) => r.poolingArea?.code)).size).toBe(12);
    }
  });

  it('returns unknown with close names as suggestions', () => {
    const typo = lookup.resolve('苏洲');
    expect(typo.status).toBe('unknown');
    if (typo.status === 'unknown') {
      expect(typo.suggestions[0]).toBe('苏州市');
      expect(typo.suggestions.length).toBeLessThanOrEqual(5);
    }
    const hangzhou = lookup.resolve('杭洲');
    expect(hangzhou.status === 'unknown' && hangzhou.suggestions[0]).toBe('杭州市');
  });

  it('qualifies a suggested name that several places share, so it resolves when sent back', () => {
    const result = lookup.resolve('鼓搂区');
    expect(result.status).toBe('unknown');
    if (result.status !== 'unknown') return;
    const gulou = result.suggestions.filter((s) => s.endsWith('鼓楼区'));
    expect(gulou.length).toBeGreaterThan(1);
    for (const s of gulou) expect(lookup.resolve(s).status).toBe('ok');
  });

  it('treats places outside the data and empty input as unknown', () => {
    expect(lookup.resolve('香港').status).toBe('unknown');
    expect(lookup.resolve('火星').status).toBe('unknown');
    expect(lookup.resolve('   ')).toEqual({ status: 'unknown', suggestions: [] });
  });

  it('does not treat a city followed by an unrelated place as one place', () => {
    expect(lookup.resolve('青岛南京').status).toBe('unknown');
  });

  it('looks regions up by code and lists every known code', () => {
    expect(lookup.byCode('320583')?.name).toBe('昆山市');
    expect(lookup.byCode('659001')?.poolingArea?.name).toBe('石河子市');
    expect(lookup.byCode('999999')).toBeUndefined();
    const codes = lookup.knownCodes();
    expect(codes.size).toBeGreaterThan(3000);
    for (const code of ['110000', '370200', '110105', '500237', '429004', '659012']) expect(codes.has(code)).toBe(true);
    // placeholder rows (市辖区, 县, 省直辖县级行政区划) are not places
    for (const code of ['110100', '500200', '429000', '659000']) expect(codes.has(code)).toBe(false);
  });
});
