import { describe, expect, it } from 'vitest';
import { loadRegionResolver } from '../tools/region/load-regions.js';
import { applicabilityOf, citationOf } from './citation.js';
import { loadEntries } from './load.js';

const regions = loadRegionResolver();
const entries = new Map(loadEntries({ regionName: (code) => regions.byCode(code) }).map((e) => [e.id, e]));
const entry = (id: string) => entries.get(id)!;

describe('citation labels: how a fact was verified, and where and when it applies', () => {
  it('labels Shanghai’s 2025 rules as read on the bureau’s page, in force in Shanghai until 2030-09-09', () => {
    const c = citationOf(entry('shanghai-flexible-waiting-6-months'), '2026-12-06');
    expect(c).toMatchObject({ verification: 'original', verificationLabel: '原文', confidence: 'official', scope: 'province' });
    expect(c.applies).toMatchObject({ level: 'province', places: ['上海市'], effective: '2025-09-10', expires: '2030-09-09', ended: false });
    expect(c.applies.label).toBe('上海市 · 施行期2025年9月10日至2030年9月9日');
  });

  it('says when a measure’s term has ended (Guangdong 6号 after 2025-06-30)', () => {
    const c = citationOf(entry('balance-guangdong-intra-province'), '2026-12-06');
    expect(c.applies).toMatchObject({ ended: true, label: '广东省 · 施行期2022年7月1日至2025年6月30日（已期满）' });
    expect(applicabilityOf(entry('balance-guangdong-intra-province'), '2024-01-01').ended).toBe(false);
  });

  it('keeps a news report, a draft and a not-found finding apart from official text', () => {
    expect(citationOf(entry('guangxi-resident-waiting-report'), '2026-12-06')).toMatchObject({ verificationLabel: '报道转述（未读到原文）', confidence: 'secondary' });
    expect(citationOf(entry('resident-incentives-sichuan-draft'), '2026-12-06')).toMatchObject({ verificationLabel: '征求意见稿（非正式规定）', confidence: 'secondary' });
    expect(citationOf(entry('payout-resettled-retiree-not-found'), '2026-12-06')).toMatchObject({ verificationLabel: '未查到规定', applies: { label: '全国' } });
  });

  it('labels the national 43号 rules read in a verbatim reprint as such, not as a second-hand report', () => {
    expect(citationOf(entry('timeline-origin-10-working-days'), '2026-12-06')).toMatchObject({ verification: 'verbatim-reprint', verificationLabel: '原文转载', confidence: 'official' });
  });

  it('gives a statute with a start date but no end its start', () => {
    expect(citationOf(entry('zhejiang-statute-employer-arrears'), '2026-12-06').applies.label).toBe('浙江省 · 自2021年7月1日起施行');
  });
});
