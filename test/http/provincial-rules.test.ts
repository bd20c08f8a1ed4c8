import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startApp, type RunningApp } from '../helpers/app.js';

// People ask about their own province. Where the province's own text was read, the answer cites
// it; where it was not, the answer gives the national rule, says so in one sentence and names the
// province's bureau — never another province's rule. Questions are worded as people type them.

let server: RunningApp;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => server.close());

interface Citation {
  id: string;
  source: string;
  scope: 'national' | 'province' | 'city';
  verification: string;
  verificationLabel: string;
  applies: { level: string; places: string[]; label: string; ended: boolean };
  confidence: string;
}

async function ask(message: string, sessionId?: string): Promise<{ sessionId: string; reply: string; needs: string[]; citations: Citation[]; detailsCitations?: Citation[] }> {
  const res = await postJson(`${server.url}/v1/chat`, sessionId ? { sessionId, message } : { message });
  expect(res.status).toBe(200);
  return res.body;
}

/**
 * Asks a question that does not name the scheme. Before a verdict the bot may ask 职工 or 居民 (it
 * may also read it from the wording); either way, the answer that follows is the one checked.
 */
async function askAsEmployee(message: string): Promise<{ reply: string; citations: Citation[]; detailsCitations?: Citation[] }> {
  const first = await ask(message);
  if (!first.needs.includes('insuranceType')) return first;
  expect(first.reply).toMatch(/职工医保.{0,12}(还是|也可以参加)居民医保/);
  return ask('职工医保', first.sessionId);
}

const provinces = ['北京', '天津', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '上海', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南', '湖北', '湖南', '广东', '广西', '海南', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆'];

/** Every citation is national or lies in the given province (by the names of its places). */
function onlyNationalOr(citations: Citation[], province: string, cities: string[] = []): void {
  for (const c of citations) {
    if (c.scope === 'national') continue;
    expect(c.applies.places.every((p) => p.startsWith(province) || cities.includes(p)), `${c.id} (${c.applies.label})`).toBe(true);
  }
}

describe('Shanghai: a flexible worker’s waiting period cites 沪医保规〔2025〕7号 with its 6 months', () => {
  it.each([
    '上海灵活就业交职工医保多久能报销',
    '我在上海自己交职工医保（灵活就业），交了以后要等几个月才能用医保看病？',
    '上海个体户以灵活就业身份参加职工医保，有没有等待期？',
    '在上海做自由职业，刚开始交职工医保，什么时候开始能报销',
    '上海灵活就业人员参加职工医保要等多长时间才有待遇',
  ])('%s', async (message) => {
    const { reply, citations } = await ask(message);
    expect(reply).toMatch(/沪医保规〔2025〕7号/);
    expect(reply).toMatch(/等待期为6个月/);
    const rule = citations.find((c) => c.id === 'shanghai-flexible-waiting-6-months');
    expect(rule?.source).toContain('沪医保规〔2025〕7号');
    expect(rule).toMatchObject({ verificationLabel: '原文', applies: { label: '上海市 · 施行期2025年9月10日至2030年9月9日', ended: false } });
    onlyNationalOr(citations, '上海');
  });
});

describe('Zhejiang: a gap question cites the Zhejiang statute', () => {
  // A company that pays is 职工医保, so that answer comes at once (art. 28: an employer's arrears);
  // 灵活就业 may be either scheme, and a bare gap says none, so the bot may ask first. A flexible
  // worker's gap is art. 29 (from the third calendar month), not the employer's article.
  it.each([
    ['我在杭州上班，公司欠了两个月医保没交，补上之后什么时候能恢复报销？', ask, /《浙江省医疗保障条例》第二十八条[^\n]*第二个自然月/],
    ['宁波灵活就业，医保断了半年，现在接着交，要等多久才能报销', askAsEmployee, /《浙江省医疗保障条例》第二十九条[^\n]*第三个自然月/],
    ['浙江这边职工医保中间停了几个月，补缴后多久能用', ask, /《浙江省医疗保障条例》第(二十八|二十九|三十)条[^\n]*第(二|三)个自然月/],
    ['浙江断缴补上以后哪个月能用', askAsEmployee, /《浙江省医疗保障条例》第(二十八|二十九|三十)条[^\n]*第(二|三)个自然月/],
  ] as const)('%s', async (message, asking, statuteSays) => {
    const { reply, citations } = await asking(message);
    expect(reply).toMatch(statuteSays);
    const statute = citations.filter((c) => c.source.includes('浙江省医疗保障条例'));
    expect(statute.length).toBeGreaterThan(0);
    for (const c of statute) expect(c).toMatchObject({ verificationLabel: '原文转载', applies: { label: '浙江省 · 自2021年7月1日起施行' } });
    onlyNationalOr(citations, '浙江');
  });
});

describe('Henan and Gansu: an intra-province balance question says the provincial rule was not verified', () => {
  it.each([
    ['河南省内从郑州转到洛阳，个人账户的钱怎么办', '河南', '洛阳'],
    ['我在河南，从郑州调去洛阳上班，职工医保个人账户的余额到洛阳还能用吗', '河南', '洛阳'],
    ['开封的医保转到郑州，账户余额会不会清零', '河南', '郑州'],
    ['甘肃省内从兰州调到天水上班，职工医保个人账户的余额怎么转', '甘肃', '天水'],
    ['从天水换到兰州工作，医保卡里的钱会跟着过去吗？', '甘肃', '兰州'],
  ])('%s', async (message, province, destination) => {
    const { reply, citations, detailsCitations } = await askAsEmployee(message);
    expect(reply).toMatch(new RegExp(`${province}省关于“省内转移时个人账户余额的处理”的规定，?本助手没有核实到原文`));
    expect(reply).toContain(`${province}省医疗保障局`);
    expect(reply).toMatch(/当地医保经办机构/);
    // The first sentence answers the balance question, for the right destination.
    expect(reply.split('\n')[0]).toMatch(/个人账户余额/);
    expect(reply.split('\n')[0]).toContain(destination);
    // The national rule is what is stated, and nothing from any other province.
    expect(citations.map((c) => c.id)).toContain('balance-employee-moves-with-relationship');
    expect(citations.every((c) => c.scope === 'national')).toBe(true);
    for (const other of provinces.filter((p) => p !== province)) expect(reply).not.toContain(other);
    // What "not verified" means is explained with the details.
    expect((detailsCitations ?? []).find((c) => c.id === 'provincial-rule-not-verified')).toMatchObject({ verificationLabel: '未查到规定' });
  });
});

describe('Jiangsu: a 居民医保 waiting question shows the 2-month and the national 3-month statements with their sources', () => {
  it.each([
    '我在江苏，居民医保断了一年，现在补交要等几个月才能报销？',
    '南京的城乡居民医保错过了集中缴费，现在交有等待期吗，多长？',
    '苏州居民医保去年没交，今年重新参保多久能用',
    '江苏新农合断保后再交，是等2个月还是3个月？',
    '我在无锡，孩子的居民医保断了两年，现在补上要等几个月',
  ])('%s', async (message) => {
    const { reply, citations } = await ask(message);
    expect(reply).toMatch(/江苏省医疗保障局[^\n]*2个月/);
    expect(reply).toMatch(/国办发〔2024〕38号[^\n]*3个月/);
    expect(reply).toMatch(/不一致/);
    expect(reply).toMatch(/以江苏当地医保经办机构的答复为准/);
    const ids = citations.map((c) => c.id);
    expect(ids).toContain('jiangsu-resident-waiting-2-months-conflict');
    expect(ids).toContain('resident-waiting-fixed-3-months');
    expect(citations.find((c) => c.id === 'jiangsu-resident-waiting-2-months-conflict')).toMatchObject({ verificationLabel: '原文', applies: { places: ['江苏省'] } });
    expect(citations.find((c) => c.id === 'resident-waiting-fixed-3-months')).toMatchObject({ verificationLabel: '官方摘句', applies: { label: '全国' } });
    // No total is computed from another place's way of counting gap years.
    expect(reply).not.toMatch(/青岛/);
    onlyNationalOr(citations, '江苏', ['南京市', '苏州市', '无锡市']);
  });
});

describe('citation labels over HTTP', () => {
  it('every chat citation and knowledge search result carries both labels', async () => {
    const { citations } = await ask('广州的职工医保转到深圳，个人账户的钱要划转吗？');
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) {
      expect(c.verificationLabel).toMatch(/^(原文|原文转载|官方摘句|报道转述（未读到原文）|征求意见稿（非正式规定）|未查到规定)$/);
      expect(c.applies.label.length).toBeGreaterThan(1);
      expect(c.confidence).toBe(['original', 'verbatim-reprint', 'quoted-phrases'].includes(c.verification) ? 'official' : 'secondary');
    }
    const res = await fetch(`${server.url}/v1/knowledge/search?q=${encodeURIComponent('广东省内转移个人账户')}&k=5&region=${encodeURIComponent('广州')}`);
    const { results } = (await res.json()) as { results: (Citation & { scope: { level: string } })[] };
    const guangdong = results.find((r) => r.id === 'balance-guangdong-intra-province');
    expect(guangdong).toMatchObject({ verification: 'original', verificationLabel: '原文', applies: { ended: true, label: '广东省 · 施行期2022年7月1日至2025年6月30日（已期满）' } });
  });
});
