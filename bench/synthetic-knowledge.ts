import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { knowledgeDir } from '../src/paths.js';

/**
 * Synthetic city rules for the scale benchmark: what the knowledge base will look like once every
 * pooling area has its own entries (time limits, materials, windows, payouts, waiting periods, …),
 * written like the curated city entries and valid for the same loader. They are generated into a
 * temporary folder and never committed: every figure in them is invented, so the service must
 * never load them outside a benchmark.
 */

interface City {
  code: string;
  name: string;
  short: string;
  province: string;
  /** Its districts and counties, for variants of a rule handled by one of them. */
  districts: string[];
}

/** Prefecture-level pooling areas (code ends in 00, not 0000) from the region table. */
export function poolingAreas(): City[] {
  const table = JSON.parse(readFileSync(join(knowledgeDir, 'regions', 'divisions.json'), 'utf8')) as { regions: [string, string, string | null][] };
  const provinces = new Map(table.regions.filter(([code]) => code.endsWith('0000')).map(([code, name]) => [code, name]));
  const districtsOf = new Map<string, string[]>();
  for (const [code, name] of table.regions) {
    if (code.endsWith('00') || name === '市辖区') continue;
    const city = `${code.slice(0, 4)}00`;
    districtsOf.set(city, [...(districtsOf.get(city) ?? []), name]);
  }
  return table.regions
    .filter(([code, name]) => code.endsWith('00') && !code.endsWith('0000') && !/市辖区|县$|直辖县级/.test(name))
    .map(([code, name]) => ({
      code,
      name,
      short: name.replace(/(市|地区|盟|自治州|林区)$/, '').replace(/(藏族|回族|蒙古族|彝族|苗族|土家族|布依族|傣族|哈尼族|壮族|朝鲜族|哈萨克|柯尔克孜|白族|景颇族|傈僳族|羌族|侗族)+$/, ''),
      province: provinces.get(`${code.slice(0, 2)}0000`) ?? '',
      districts: districtsOf.get(code) ?? [],
    }));
}

type Topic = 'timeline' | 'materials' | 'online' | 'payout' | 'residents' | 'arrears' | 'hotline' | 'personal_account' | 'balance' | 'retiree';

type Figures = [number, number, number, number, number];

interface Template {
  slug: string;
  topic: Topic;
  title: (c: City, n: Figures) => string;
  body: (c: City, n: Figures) => string;
  keywords: (c: City) => string[];
}

/** Rule shapes the curated city entries have, with the figures varied per city and variant. */
const TEMPLATES: readonly Template[] = [
  {
    slug: 'timeline-out',
    topic: 'timeline',
    title: (c, n) => `${c.short}：转出${n[0]}个工作日内办结，另${n[1]}个工作日内拨付个人账户资金`,
    body: (c, n) =>
      `${c.short}医保经办机构的办事指南承诺：受理转出申请后${n[0]}个工作日内出具信息表并办结转出，此后${n[1]}个工作日内把个人账户余额划转到转入地。\n\n这是${c.province}${c.short}的地方承诺，只适用于${c.short}经办的转出业务；全国上限仍为转出地10个工作日。`,
    keywords: (c) => [c.short, c.province, `${c.short}转出`, '多久', '几个工作日'],
  },
  {
    slug: 'timeline-in',
    topic: 'timeline',
    title: (c, n) => `${c.short}：跨省转入${n[0]}个工作日，省内转入${n[2]}个工作日办结`,
    body: (c, n) =>
      `${c.short}对转入业务的承诺时限：收到转出地信息表后，跨省转入${n[0]}个工作日内办结，省内转入${n[2]}个工作日内办结，个人账户资金到账后${n[1]}个工作日内记入个人账户。\n\n具体以${c.short}医保经办机构的最新公告为准。`,
    keywords: (c) => [c.short, `转入${c.short}`, '转入要多久', '办结时限'],
  },
  {
    slug: 'materials',
    topic: 'materials',
    title: (c, n) => `${c.short}：办理医保转移需携带身份证或社保卡，线下办理另需${n[2]}份申请表`,
    body: (c, n) =>
      `在${c.short}线下办理基本医疗保险关系转移接续，需要携带本人有效身份证件或社会保障卡，填写转移申请表${n[2]}份；委托他人办理的，另需受托人身份证件。\n\n网上办理的不需要纸质材料。${c.short}部分区县窗口还要求提供参保凭证，以当地窗口说明为准。`,
    keywords: (c) => [c.short, '材料', '带什么', '申请表', c.province],
  },
  {
    slug: 'window',
    topic: 'online',
    title: (c, n) => `${c.short}：医保转移可在市医保服务中心${n[2]}号窗口或各区县经办点办理`,
    body: (c, n) =>
      `${c.short}医疗保障事务中心设有转移接续专窗（${n[2]}号窗口），各区县医保经办点也可受理。也可以通过国家医保服务平台App的${c.province}专区在线申请。\n\n工作日办理时间以窗口公示为准，节假日不受理。`,
    keywords: (c) => [c.short, '在哪办', '窗口', '线下办理', '网上办理'],
  },
  {
    slug: 'payout',
    topic: 'payout',
    title: (c) => `${c.short}：转入地无法接收个人账户的，余额可按${c.short}规定一次性退还本人`,
    body: (c, n) =>
      `按${c.short}的经办规定，转入地为居民医保等无法接收个人账户资金的，参保人可申请将个人账户余额一次性退还本人社会保障卡金融账户，办理时限为${n[0]}个工作日。\n\n这是${c.short}的地方做法，其他城市不一定相同。`,
    keywords: (c) => [c.short, '余额取出', '退还', '提现', '个人账户'],
  },
  {
    slug: 'resident-waiting',
    topic: 'residents',
    title: (c, n) => `${c.short}：居民医保集中参保期外参保的，待遇等待期为${n[3]}个月`,
    body: (c, n) =>
      `${c.short}规定，在集中参保期外参加居民医保或中断后再次参保的，设置${n[3]}个月的待遇等待期；连续参保满${n[4]}年的，可相应缩短。\n\n新生儿在出生后${n[1]}个月内参保的，不设等待期。具体以${c.province}和${c.short}当年的参保通知为准。`,
    keywords: (c) => [c.short, '居民医保', '等待期', '断保', '新农合'],
  },
  {
    slug: 'backpay',
    topic: 'arrears',
    title: (c, n) => `${c.short}：职工医保中断不超过${n[3]}个月的，可在${n[1]}个月内补缴`,
    body: (c, n) =>
      `${c.short}的职工医保经办规定：因工作变动中断缴费不超过${n[3]}个月的，新单位可在参保后${n[1]}个月内为职工补缴中断期间的费用，补缴后中断期间发生的医疗费用可按规定报销。\n\n补缴基数和费率按${c.short}当年公布的标准执行。`,
    keywords: (c) => [c.short, '补缴', '断缴', '断交', '中断'],
  },
  {
    slug: 'hotline',
    topic: 'hotline',
    title: (c) => `${c.short}：医保咨询可拨打12393或${c.short}医保经办机构电话`,
    body: (c, n) =>
      `${c.short}的医保咨询电话为12393（需加拨当地区号），工作日上午${n[2]}点起接听。转移进度也可以在国家医保服务平台App查询。\n\n12333是人力资源和社会保障热线，医保问题以12393为准。`,
    keywords: (c) => [c.short, '电话', '热线', '12393', '咨询'],
  },
  {
    slug: 'family',
    topic: 'personal_account',
    title: (c) => `${c.short}：职工医保个人账户可在家庭成员间共济使用`,
    body: (c, n) =>
      `${c.short}已开通职工医保个人账户家庭共济，配偶、父母和子女在${c.short}参加基本医疗保险的，可以使用职工本人的个人账户支付医疗费用。绑定关系最多${n[2]}人。\n\n共济绑定在${c.short}医保经办窗口或线上办理。`,
    keywords: (c) => [c.short, '家庭共济', '家人用', '个人账户'],
  },
  {
    slug: 'balance',
    topic: 'balance',
    title: (c) => `${c.short}：转出时个人账户余额随关系一并划转`,
    body: (c, n) =>
      `${c.short}办理职工医保转出时，个人账户余额随基本医疗保险关系一并划转至转入地，不退还本人。转出后${n[1]}个月内仍可在${c.short}查询历史缴费记录。\n\n转入地为居民医保的，按${c.short}规定另行处理。`,
    keywords: (c) => [c.short, '余额', '转走', '个人账户'],
  },
  {
    slug: 'retiree',
    topic: 'retiree',
    title: (c, n) => `${c.short}：异地安置退休人员备案后${n[2]}个工作日内生效`,
    body: (c, n) =>
      `${c.short}参保的退休人员异地安置的，在国家医保服务平台或${c.short}医保窗口办理异地就医备案，备案后${n[2]}个工作日内生效；备案有效期内在安置地就医直接结算。\n\n退休人员不办理医保关系转移，个人账户仍由${c.short}按月划入。`,
    keywords: (c) => [c.short, '退休', '异地安置', '备案'],
  },
  {
    slug: 'flexible',
    topic: 'arrears',
    title: (c, n) => `${c.short}：灵活就业人员职工医保按上年度社平工资的${n[4] + 5}%缴费`,
    body: (c, n) =>
      `${c.short}灵活就业人员参加职工基本医疗保险，以上年度全省全口径城镇单位就业人员平均工资的60%至300%为缴费基数，费率为${n[4] + 5}%，按月缴纳。\n\n断缴后再次参保的，等待期按${c.short}规定执行，一般为${n[3]}个月。`,
    keywords: (c) => [c.short, '灵活就业', '个人交', '费率', '缴费基数'],
  },
];

/** Deterministic small figures for one entry (so the same n gives the same knowledge base). */
function figures(seed: number): Figures {
  let x = (seed * 2654435761) >>> 0;
  const next = (lo: number, hi: number) => {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    x = (x ^ (x >>> 12)) >>> 0;
    return lo + (x % (hi - lo + 1));
  };
  return [next(3, 15), next(2, 10), next(1, 9), next(2, 6), next(1, 4)];
}

/**
 * Writes `count` synthetic city entries under `dir` (one Markdown file each, as in
 * knowledge/entries) and returns their ids. Entries cycle over the pooling areas, then over rule
 * shapes, then over variants (the same rule as one district or county handles it, with other
 * figures), so every city gets a similar share. `skipCities` (6-digit codes) get none.
 */
export async function writeSyntheticEntries(dir: string, count: number, options: { skipCities?: ReadonlySet<string> } = {}): Promise<string[]> {
  const cities = poolingAreas().filter((c) => !options.skipCities?.has(c.code));
  const ids: string[] = [];
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const city = cities[i % cities.length]!;
    const round = Math.floor(i / cities.length);
    const template = TEMPLATES[round % TEMPLATES.length]!;
    const variant = Math.floor(round / TEMPLATES.length);
    const n = figures(i + 1);
    const id = `synthetic-${city.code}-${template.slug}-${variant}`;
    const district = variant > 0 && city.districts.length > 0 ? city.districts[(variant - 1) % city.districts.length]! : undefined;
    const title = template.title(city, n);
    const body = template.body(city, n);
    const text = [
      '---',
      `id: ${id}`,
      `title: ${JSON.stringify(district ? title.replace(`${city.short}：`, `${city.short}${district}：`) : variant > 0 ? `${title}（第${variant + 1}版）` : title)}`,
      `topic: ${template.topic}`,
      `scope: { level: city, regions: ["${city.code}"] }`,
      'verification: report',
      'source:',
      `  - title: ${JSON.stringify(`${district ? `${city.name}${district}` : city.name}医疗保障局办事指南（合成测试数据）`)}`,
      '    via: 合成数据，仅供性能测试',
      'effective: null',
      'reviewed: 2026-11-01',
      `keywords: ${JSON.stringify(district ? [...template.keywords(city), district] : template.keywords(city))}`,
      '---',
      district ? `${district}医保经办点办理时：${body}` : body,
      '',
    ].join('\n');
    await writeFile(join(dir, `${id}.md`), text);
    ids.push(id);
  }
  return ids;
}
