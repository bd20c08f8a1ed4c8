/**
 * Masking of personal data in what users type (身份证号, mobile numbers, self-introduced names),
 * so it is never logged, stored or echoed. Pure string functions with no I/O: the logger calls
 * them on every line and must not depend on files being readable.
 */

export interface MaskResult {
  text: string;
  found: { idNumbers: number; phones: number };
}

// Full-width digits, X, spaces and dashes are matched through a same-length half-width copy, so
// offsets line up with the original text and the original characters are kept where not masked.
function halfWidthDigits(text: string): string {
  return text.replace(/[０-９Ｘｘ－\u3000]/g, (c) => {
    if (c === '\u3000') return ' ';
    if (c === '－') return '-';
    return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
  });
}

const SEP = '[ \\-]?';
/** 18-digit resident ID (last character may be X) or the old 15-digit form, digits possibly grouped 6-8-4 / 6-6-3. */
const ID_NUMBER = new RegExp(`(?<![\\dA-Za-z])(?:\\d{6}${SEP}\\d{8}${SEP}\\d{3}[\\dXx]|\\d{6}${SEP}\\d{6}${SEP}\\d{3})(?![\\dA-Za-z])`, 'g');
/** Mainland mobile number, optionally +86 / 86 prefixed and grouped 3-4-4. */
const MOBILE = new RegExp(`(?<![\\dA-Za-z])(?:\\+?86${SEP})?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}(?![\\dA-Za-z])`, 'g');

function maskRange(original: string, keepStart: number, keepEnd: number): string {
  const chars = [...original];
  const digitIdx = chars.map((c, i) => (/[\dXx０-９Ｘｘ]/.test(c) ? i : -1)).filter((i) => i >= 0);
  const keep = new Set([...digitIdx.slice(0, keepStart), ...digitIdx.slice(digitIdx.length - keepEnd)]);
  // Separators inside the masked part are dropped so the digit count does not leak the grouping.
  return digitIdx
    .map((i, n) => (keep.has(i) ? chars[i] : n >= keepStart && n < digitIdx.length - keepEnd ? '*' : ''))
    .join('');
}

/**
 * Masks ID numbers (first 6 and last 4 kept: 110101********1234) and mobile numbers
 * (138****5678), also when typed with spaces or dashes or in full-width digits.
 * @example maskPersonalData('电话138 1234 5678').text // '电话138****5678'
 */
export function maskPersonalData(text: string): MaskResult {
  const probe = halfWidthDigits(text);
  const ranges: Array<{ start: number; end: number; kind: 'id' | 'phone' }> = [];
  ID_NUMBER.lastIndex = 0;
  for (let m = ID_NUMBER.exec(probe); m; m = ID_NUMBER.exec(probe)) ranges.push({ start: m.index, end: m.index + m[0].length, kind: 'id' });
  MOBILE.lastIndex = 0;
  for (let m = MOBILE.exec(probe); m; m = MOBILE.exec(probe)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!ranges.some((r) => start < r.end && end > r.start)) ranges.push({ start, end, kind: 'phone' });
  }
  ranges.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const r of ranges) {
    const original = text.slice(r.start, r.end);
    let masked: string;
    if (r.kind === 'id') masked = maskRange(original, 6, 4);
    else {
      // Keep a country prefix as typed, then 3 + **** + 4.
      const prefix = /^(?:\+?(?:86|８６)[ \-\u3000－]?)(?=.{11,})/.exec(original)?.[0] ?? '';
      masked = prefix + maskRange(original.slice(prefix.length), 3, 4);
    }
    out += text.slice(at, r.start) + masked;
    at = r.end;
  }
  out += text.slice(at);
  return {
    text: out,
    found: { idNumbers: ranges.filter((r) => r.kind === 'id').length, phones: ranges.filter((r) => r.kind === 'phone').length },
  };
}

/** True when the text holds an ID number or a mobile number. */
export function containsPersonalData(text: string): boolean {
  const { found } = maskPersonalData(text);
  return found.idNumbers + found.phones > 0;
}

// Common surnames (single and compound). A self-introduction is masked only when the name starts
// with one, so "我是职工" or "我是说居民医保" stay readable in the logs.
const COMPOUND_SURNAMES = '欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|独孤|南宫|西门|轩辕';
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪辛柯庄葛樊牛申祝路单包左关岳季车聂鲁安霍尤凌兰阮华耿焦倪温梅柴甘成齐伍殷盛童谷饶管鲍蒙骆';
// Words that follow 我是 and are not names even when they start with a surname-like character.
const NOT_NAMES = /^(?:职工|居民|退休|在职|灵活|学生|新生|说|想|要|问|从|在|来|去|刚|已|本地|外地|外省|个体|单位|公司|江苏|江西|浙江|广东|广西|湖南|湖北|河南|河北|山东|山西|安徽|福建|四川|贵州|云南|陕西|甘肃|青海|辽宁|吉林|黑龙江|海南|台湾|香港|澳门|北京|上海|天津|重庆)/;
const NAME_AFTER_INTRO = new RegExp(
  `(我叫|我的名字是|我的名字叫|名字叫|本人叫|姓名[:：]?|名字[:：]|联系人[:：]?|我是)\\s*((?:${COMPOUND_SURNAMES}|[${SURNAMES}])[\\u4e00-\\u9fa5]{1,2})`,
  'g',
);
// Characters that end a name rather than continue it ("我叫张三想问一下" → 张三).
const NOT_NAME_TAIL = /[想要问的是在了和跟去来从今现已刚因请帮我你他她人,，。.!！?？:：\s]/;

const COMPOUND_ONLY = new RegExp(`^(?:${COMPOUND_SURNAMES})$`);
// After 我是 a name must end the clause or be followed by one of these ("我是李四，想问…"), so
// "我是张家港的" or "我是黄石人" are left alone.
const AFTER_BARE_NAME = /^(?:$|[,，。.!！?？:：;；\s~]|想|要|问|咨询|身份证|电话|手机|今年|现在)/;

/**
 * Masks names users give in a self-introduction (我叫张三, 我是李四, 姓名：王五 → 我叫**).
 * Best effort for the logs: it only looks at the wording of an introduction, never guesses names
 * elsewhere.
 * @example maskNames('我叫张三，想问医保') // '我叫**，想问医保'
 */
export function maskNames(text: string): string {
  return text.replace(NAME_AFTER_INTRO, (whole: string, intro: string, rawName: string, offset: number) => {
    if (NOT_NAMES.test(rawName)) return whole;
    let name = rawName;
    if (name.length === 3 && NOT_NAME_TAIL.test(name[2]!)) name = name.slice(0, 2);
    if (NOT_NAME_TAIL.test(name[1]!) || COMPOUND_ONLY.test(name)) return whole;
    const nameEnd = offset + whole.length - (rawName.length - name.length);
    if (intro === '我是' && !AFTER_BARE_NAME.test(text.slice(nameEnd))) return whole;
    return whole.slice(0, whole.length - rawName.length) + '**' + rawName.slice(name.length);
  });
}
