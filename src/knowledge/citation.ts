import { confidenceOf, formatSource, verificationLabels, type Confidence, type KnowledgeEntry, type Verification } from './schema.js';

/** Where and when an entry applies: 全国 / a province / a city, with the measure's term. */
export interface Applicability {
  level: 'national' | 'province' | 'city';
  /** Names of the places ("上海市"); empty when national. */
  places: string[];
  /** First day in force, when known. */
  effective: string | null;
  /** Last day of a fixed term, when the measure has one. */
  expires: string | null;
  /** The term ended before the day the citation was made. */
  ended: boolean;
  /** What the user reads, e.g. "上海市 · 施行期2025年9月10日至2030年9月9日". */
  label: string;
}

/** One cited entry as the HTTP responses show it (chat citations and knowledge search results). */
export interface CitationLabels {
  /** How the fact was verified. */
  verification: Verification;
  /** The same in the user's words: 原文, 原文转载, 官方摘句, 报道转述（未读到原文）… */
  verificationLabel: string;
  applies: Applicability;
  /** Legacy coarse label of contract v1, derived from `verification`. */
  confidence: Confidence;
}

const chineseDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** Where and when an entry applies, judged on `today` (YYYY-MM-DD) for whether its term has ended. */
export function applicabilityOf(entry: Pick<KnowledgeEntry, 'scope' | 'places' | 'effective' | 'expires'>, today: string): Applicability {
  const where = entry.scope.level === 'national' ? '全国' : entry.places.join('、');
  const effective = entry.effective ?? null;
  const expires = entry.expires ?? null;
  const ended = expires !== null && expires < today;
  let term = '';
  if (effective && expires) term = `施行期${chineseDate(effective)}至${chineseDate(expires)}`;
  else if (effective) term = `自${chineseDate(effective)}起施行`;
  else if (expires) term = `有效期至${chineseDate(expires)}`;
  if (ended) term += '（已期满）';
  return { level: entry.scope.level, places: entry.places, effective, expires, ended, label: term ? `${where} · ${term}` : where };
}

/** The two labels of a cited entry: how it was verified, and where and when it applies. */
export function citationLabels(entry: KnowledgeEntry, today: string): CitationLabels {
  return {
    verification: entry.verification,
    verificationLabel: verificationLabels[entry.verification],
    applies: applicabilityOf(entry, today),
    confidence: confidenceOf(entry.verification),
  };
}

/** A chat citation of an entry: its source line, snippet and both labels. */
export function citationOf(entry: KnowledgeEntry, today: string) {
  return {
    id: entry.id,
    title: entry.title,
    source: entry.source.map(formatSource).join('；'),
    snippet: entry.summary,
    scope: entry.scope.level,
    ...citationLabels(entry, today),
  };
}
