/**
 * Short names as people write them: the official name without its administrative suffix
 * (江苏省 → 江苏, 昆山市 → 昆山, 恩施土家族苗族自治州 → 恩施), kept only when at least two
 * characters remain (雄县 stays 雄县).
 */

/** Longest first, so 自治州 wins over 州-less readings and 新区 over 区. */
const SUFFIXES = ['特别行政区', '自治区', '自治州', '自治县', '自治旗', '新区', '地区', '林区', '特区', '省', '市', '盟', '区', '县', '旗'];

/** After these suffixes the name ends with the ethnic groups of the autonomy (广西壮族, 恩施土家族苗族). */
const AUTONOMY_SUFFIXES = new Set(['自治区', '自治州', '自治县', '自治旗']);

/** What people add to a stripped autonomous name: 恩施州, 大厂县, 鄂伦春旗. */
const AUTONOMY_SHORT_FORMS: Record<string, string> = { 自治州: '州', 自治县: '县', 自治旗: '旗' };

const MIN_LENGTH = 2;

function stripEthnicGroups(name: string, ethnicGroups: readonly string[]): string {
  let rest = name;
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of ethnicGroups) {
      // A one-character group (回, 白, 水…) is stripped only with 族, never bare.
      const forms = group.length >= 2 ? [`${group}族`, group] : [`${group}族`];
      const form = forms.find((f) => rest.endsWith(f) && rest.length - f.length >= MIN_LENGTH);
      if (form) {
        rest = rest.slice(0, -form.length);
        changed = true;
      }
    }
  }
  return rest;
}

export interface ShortNames {
  /** The preferred short name (the official name itself when nothing can be stripped). */
  shortName: string;
  /** Further spellings that name the same unit, e.g. 恩施州 for 恩施土家族苗族自治州. */
  variants: string[];
}

/** Derives the short name and common variants of an official division name. */
export function shortNamesOf(name: string, ethnicGroups: readonly string[]): ShortNames {
  const suffix = SUFFIXES.find((s) => name.endsWith(s) && name.length - s.length >= MIN_LENGTH);
  if (!suffix) return { shortName: name, variants: [] };
  let shortName = name.slice(0, -suffix.length);
  if (AUTONOMY_SUFFIXES.has(suffix)) shortName = stripEthnicGroups(shortName, ethnicGroups);
  const shortForm = AUTONOMY_SHORT_FORMS[suffix];
  return { shortName, variants: shortForm ? [shortName + shortForm] : [] };
}
