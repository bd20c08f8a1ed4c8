import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { defineTool } from '../tool.js';
import { regionLabel } from './region-label.js';
import type { Region, RegionLookup } from './types.js';

export const resolveRegionInput = z.object({
  name: z.string().trim().min(1, '请输入地名').max(50, '地名不能超过 50 个字'),
});

/** What the tool returns: the place with its province and pooling area. */
export type ResolvedRegion = Pick<
  Region,
  'name' | 'city' | 'province' | 'code' | 'level' | 'poolingArea' | 'shortName' | 'provinceCode'
>;

/**
 * `resolve_region`: a place name (province, city, county, district, 自治州, 兵团 city, short
 * name or alias) → its province and pooling area. Several matching places → REGION_AMBIGUOUS
 * (409) with the candidates; no match → REGION_NOT_FOUND (404) with suggestions.
 */
export function createResolveRegionTool(lookup: RegionLookup) {
  return defineTool({
    name: 'resolve_region',
    route: 'resolve-region',
    description:
      '把地名（省、地级市、县级市、区县、自治州、兵团城市及常用简称，如“昆山”“浦东”“恩施”）解析为行政区划代码、所属省份和医保统筹地区，用于判断跨省、省内跨统筹区还是统筹区内转移。',
    input: resolveRegionInput,
    run: ({ name }): ResolvedRegion => {
      const result = lookup.resolve(name);
      if (result.status === 'ok') {
        const { name: regionName, city, province, code, level, poolingArea, shortName, provinceCode } = result.region;
        return { name: regionName, city, province, code, level, poolingArea, shortName, provinceCode };
      }
      if (result.status === 'ambiguous') {
        const labels = result.candidates.map(regionLabel).join('、');
        throw new DomainError('REGION_AMBIGUOUS', 409, `“${name}”可能是以下多个地方：${labels}。请说明是哪一个，例如加上所在省市。`, {
          details: { candidates: result.candidates },
        });
      }
      const hint = result.suggestions.length > 0 ? `您是不是要找：${result.suggestions.join('、')}？` : '请输入省、市或区县的名称。';
      throw new DomainError('REGION_NOT_FOUND', 404, `没有找到“${name}”对应的地区。${hint}`, {
        details: { suggestions: result.suggestions },
      });
    },
  });
}
