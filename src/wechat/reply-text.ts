/**
 * WeChat's passive-reply docs limit Content to 2,048 bytes; longer text is silently dropped (the
 * user sees nothing). Chinese is 3 bytes per character in UTF-8, so that is about 680 characters.
 * We stay well under the limit.
 */
export const WECHAT_TEXT_LIMIT_BYTES = 2048;
export const REPLY_MAX_BYTES = 2000;
export const MORE_POINTER = '（内容较长，回复“继续”或换个问法查看更多）';
/** A citation line longer than this many characters is shortened with an ellipsis. */
const CITATION_MAX_CHARS = 80;
const SENTENCE_ENDS = new Set(['。', '！', '？', '!', '?', '\n']);

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

export interface FittedReply {
  /** What to send now, within the byte limit. */
  content: string;
  /** What did not fit, for a later “继续”; empty when everything was sent. */
  remainder: string;
}

/**
 * The longest prefix of `text` within `maxBytes` that ends at a sentence boundary (。！？ or a line
 * break); when no boundary fits, the longest prefix that does not split a character.
 */
export function cutAtSentence(text: string, maxBytes: number): { head: string; tail: string } {
  let bytes = 0;
  let index = 0;
  let lastBoundary = -1;
  let lastFit = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    index += char.length;
    lastFit = index;
    if (SENTENCE_ENDS.has(char)) lastBoundary = index;
  }
  const end = lastBoundary > 0 ? lastBoundary : lastFit;
  return { head: text.slice(0, end), tail: text.slice(end) };
}

function citationLine(source: string | undefined): string {
  // Sources may chain several documents with '；'; the first names the main one.
  const clean = source?.split('；')[0]?.replace(/\s+/g, ' ').trim();
  if (!clean) return '';
  const chars = [...clean];
  const short = chars.length > CITATION_MAX_CHARS ? `${chars.slice(0, CITATION_MAX_CHARS - 1).join('')}…` : clean;
  return `依据：${short}`;
}

export interface FitOptions {
  /** Source of the entry the reply relies on most, for one “依据：” line. */
  citationSource?: string | undefined;
  /** A last line pointing to more (the offer of the details): never dropped, unlike the citation line. */
  offer?: string | undefined;
  maxBytes?: number;
}

/**
 * Fits a chat reply into one WeChat text message. Text that fits is sent whole, followed by one
 * “依据：<source>” line when it fits and the offer line. Longer text (offer included) is cut at a
 * sentence boundary and ends with MORE_POINTER; the rest is returned for the next page, so the
 * offer lands on the last page, where the citation line goes too when it fits.
 */
export function fitReply(reply: string, options: FitOptions = {}): FittedReply {
  const maxBytes = options.maxBytes ?? REPLY_MAX_BYTES;
  const fits = (content: string) => utf8Bytes(content) <= maxBytes;
  const withFooter = (body: string, lines: string[]) => {
    const footer = lines.filter(Boolean).join('\n');
    return footer ? `${body}\n\n${footer}` : body;
  };
  const text = reply.trim();
  const offer = options.offer?.trim() ?? '';
  const whole = withFooter(text, [citationLine(options.citationSource), offer]);
  if (fits(whole)) return { content: whole, remainder: '' };
  const body = withFooter(text, [offer]);
  if (fits(body)) return { content: body, remainder: '' };
  const pointer = `\n\n${MORE_POINTER}`;
  const { head, tail } = cutAtSentence(body, maxBytes - utf8Bytes(pointer));
  return { content: `${head.trimEnd()}${pointer}`, remainder: tail.trim() };
}
