import { describe, expect, it } from 'vitest';
import { shortNamesOf } from './short-name.js';

const ETHNIC = ['壮', '维吾尔', '回', '土家', '苗', '朝鲜', '白', '蒙古', '藏', '土', '鄂伦春', '鄂温克'];
const short = (name: string) => shortNamesOf(name, ETHNIC).shortName;

describe('short names', () => {
  it.each([
    ['江苏省', '江苏'],
    ['北京市', '北京'],
    ['广西壮族自治区', '广西'],
    ['新疆维吾尔自治区', '新疆'],
    ['宁夏回族自治区', '宁夏'],
    ['内蒙古自治区', '内蒙古'],
    ['西藏自治区', '西藏'],
    ['恩施土家族苗族自治州', '恩施'],
    ['延边朝鲜族自治州', '延边'],
    ['大理白族自治州', '大理'],
    ['海西蒙古族藏族自治州', '海西'],
    ['巴音郭楞蒙古自治州', '巴音郭楞'],
    ['互助土族自治县', '互助'],
    ['鄂伦春自治旗', '鄂伦春'],
    ['锡林郭勒盟', '锡林郭勒'],
    ['阿克苏地区', '阿克苏'],
    ['神农架林区', '神农架'],
    ['浦东新区', '浦东'],
    ['昆山市', '昆山'],
    ['天河区', '天河'],
    ['巫山县', '巫山'],
  ])('%s → %s', (name, expected) => {
    expect(short(name)).toBe(expected);
  });

  it('keeps a name whose stripped form would be a single character', () => {
    expect(short('雄县')).toBe('雄县');
    expect(short('东区')).toBe('东区');
    expect(short('鄂温克族自治旗')).toBe('鄂温克族');
  });

  it('never strips a one-character ethnic name without 族', () => {
    expect(short('大白自治县')).toBe('大白');
  });

  it('offers 州/县/旗 forms of autonomous units', () => {
    expect(shortNamesOf('恩施土家族苗族自治州', ETHNIC).variants).toEqual(['恩施州']);
    expect(shortNamesOf('鄂伦春自治旗', ETHNIC).variants).toEqual(['鄂伦春旗']);
    expect(shortNamesOf('昆山市', ETHNIC).variants).toEqual([]);
  });
});
