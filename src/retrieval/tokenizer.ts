import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { knowledgeDir } from '../paths.js';

/**
 * Chinese tokenizer shared by BM25, the lexicon matcher and the offline embedder.
 *
 * One @node-rs/jieba instance (creating one costs about 0.2 s) with the default dictionary plus
 * the domain words in knowledge/jieba-dict.txt (统筹区, 转移接续, 12393 …), so that the words the
 * knowledge base is about are never split.
 */

/** Function words that carry no retrieval signal. Domain words (转, 补, 取, 退 …) are kept on purpose. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  '的', '了', '吗', '呢', '吧', '啊', '呀', '嘛', '哦', '哈', '么', '啦', '噢',
  '我', '我们', '你', '你们', '您', '他', '她', '它', '他们', '咱', '自己的',
  '能', '能不能', '可以', '可不可以', '可', '会', '会不会', '要', '要不要', '想', '想问', '请问', '问', '问一下', '一下',
  '怎么', '怎么样', '怎样', '如何', '怎么办', '咋', '咋办', '啥', '什么', '哪', '哪些', '哪个', '是不是', '有没有',
  '是', '不是', '有', '在', '和', '与', '及', '或', '或者', '还是', '就', '都', '也', '还', '又', '再', '才', '而',
  '这', '那', '这个', '那个', '这样', '那样', '一个', '个', '些', '之', '其', '把', '被', '给', '让', '对', '向',
  '从', '到', '以', '为', '于', '跟', '比', '着', '过', '得', '地', '等', '等等', '如果', '的话', '那么', '所以',
  '但是', '但', '然后', '现在', '已经', '一般', '应该', '需要', '里', '中', '上', '下', '后', '前',
  '谢谢', '你好', '您好', '请', '麻烦', '急', '在线等', '求助', '求', '帮忙', '大家', '知道',
]);

const WORD_CHAR = /[\p{L}\p{N}]/u;

let shared: Jieba | undefined;

/** Reads the domain dictionary, dropping comment and blank lines (jieba's loader knows neither). */
export function readDomainDictionary(path = join(knowledgeDir, 'jieba-dict.txt')): string {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .join('\n');
}

/** The process-wide jieba instance: default dictionary plus the domain dictionary. */
export function getJieba(): Jieba {
  if (!shared) {
    const jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(readDomainDictionary(), 'utf8'));
    shared = jieba;
  }
  return shared;
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** A small Chinese number (1–99) directly before a unit of time: 三个月, 两年, 十五个工作日. */
const CHINESE_COUNT = /([一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])(?=个月|个工作日|个自然日|年|天|周|日)/g;

function chineseCountToNumber(text: string): number {
  const ten = text.indexOf('十');
  if (ten < 0) return CHINESE_DIGITS[text]!;
  const tens = ten === 0 ? 1 : CHINESE_DIGITS[text[0]!]!;
  const ones = ten === text.length - 1 ? 0 : CHINESE_DIGITS[text[ten + 1]!]!;
  return tens * 10 + ones;
}

/**
 * NFKC folds full-width letters, digits and punctuation to half-width (１２３９３ → 12393,
 * ？ → ?); lower-casing makes APP/app and Q&A forms compare equal; small Chinese counts before
 * a unit of time become digits (三个月 → 3个月, 半年 → 6个月), because the knowledge base writes
 * periods in digits.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/半年/g, '6个月')
    .replace(CHINESE_COUNT, (m) => String(chineseCountToNumber(m)));
}

export const isStopWord = (token: string): boolean => STOP_WORDS.has(token);

function keep(token: string): boolean {
  return WORD_CHAR.test(token) && !STOP_WORDS.has(token);
}

/** Words of `text` (jieba precise mode), normalised, without stop words and punctuation. */
export function segmentWords(text: string): string[] {
  return getJieba().cut(normalizeText(text), true).filter(keep);
}

/**
 * Search-mode tokens (jieba cutForSearch: long words plus their dictionary sub-words, so
 * 个人账户 also yields 个人 / 账户), normalised, without stop words and punctuation.
 * Used for both the index and the query so that both sides split the same way.
 */
export function segmentForSearch(text: string): string[] {
  return getJieba().cutForSearch(normalizeText(text), true).filter(keep);
}

/** segmentForSearch on text that is already normalised (saves one NFKC pass on the hot path). */
export function segmentNormalizedForSearch(normalized: string): string[] {
  return getJieba().cutForSearch(normalized, true).filter(keep);
}
