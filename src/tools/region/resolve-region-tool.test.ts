import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.js';
import { loadRegionResolver } from './load-regions.js';
import { createResolveRegionTool } from './resolve-region-tool.js';

const tool = createResolveRegionTool(loadRegionResolver());

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (DomainError.isInstance(err)) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('resolve_region tool', () => {
  it('is exposed as resolve_region at /v1/tools/resolve-region', () => {
    expect(tool.name).toBe('resolve_region');
    expect(tool.route).toBe('resolve-region');
  });

  it('returns the place with its province and pooling area', () => {
    expect(tool.run(tool.input.parse({ name: '昆山' }))).toEqual({
      name: '昆山市',
      city: '苏州市',
      province: '江苏省',
      code: '320583',
      level: 'county',
      poolingArea: { code: '320500', name: '苏州市' },
      shortName: '昆山',
      provinceCode: '320000',
    });
  });

  it('rejects an empty, blank or over-long name', () => {
    expect(tool.input.safeParse({ name: '' }).success).toBe(false);
    expect(tool.input.safeParse({ name: '   ' }).success).toBe(false);
    expect(tool.input.safeParse({ name: '山'.repeat(51) }).success).toBe(false);
    expect(tool.input.safeParse({}).success).toBe(false);
  });

  it('answers an ambiguous name with 409 and the candidates, named in Chinese', () => {
    const err = thrown(() => tool.run({ name: '朝阳' }));
    expect(err.code).toBe('REGION_AMBIGUOUS');
    expect(err.status).toBe(409);
    expect(err.message).toContain('朝阳市（辽宁省）');
    expect(err.message).toContain('朝阳区（北京市）');
    expect(err.message).toContain('朝阳区（吉林省长春市）');
    const candidates = err.details?.candidates as { code: string }[];
    expect(candidates.map((c) => c.code)).toEqual(['211300', '110105', '220104']);
  });

  it('answers an unknown name with 404 and suggestions', () => {
    const err = thrown(() => tool.run({ name: '苏洲' }));
    expect(err.code).toBe('REGION_NOT_FOUND');
    expect(err.status).toBe(404);
    expect(err.message).toContain('苏州市');
    expect(err.details?.suggestions).toContain('苏州市');
    expect(err.toBody().error).toMatchObject({ code: 'REGION_NOT_FOUND', suggestions: expect.any(Array) });
  });
});
