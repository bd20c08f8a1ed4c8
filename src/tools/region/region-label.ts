import type { Region } from './types.js';

/**
 * A name that tells same-named places apart: 朝阳区（北京市）, 朝阳区（吉林省长春市）, 朝阳市（辽宁省）.
 */
export function regionLabel(region: Region): string {
  if (region.level === 'province') return region.name;
  const { city, province } = region;
  const within = city === null || city === region.name || city === province ? province : `${province}${city}`;
  return `${region.name}（${within}）`;
}
