/**
 * Text meant for us, not for the person asking: English, tool and field names (working_days,
 * acceptedDate), error codes (DATE_OUT_OF_RANGE), `undefined`/`null`/`NaN`, JSON or template
 * braces. A reply with any of it is never sent.
 */

// Latin letters that belong in a Chinese reply: the official name of the national app,
// 国家医保服务平台App, as users see it in the app stores.
const ALLOWED_WORDS = new Set(['App', 'APP']);

const LATIN_WORD = /[A-Za-z][A-Za-z0-9_]*/g;
const MACHINE_TEXT = /[{}<>]|\[object |\bNaN\b/;

/** The internal fragments found in a reply (empty when there are none). */
export function internalTextIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(LATIN_WORD)) if (!ALLOWED_WORDS.has(m[0])) found.push(m[0]);
  const machine = MACHINE_TEXT.exec(text);
  if (machine) found.push(machine[0]);
  return found;
}

/** True when a reply holds anything internal. */
export const hasInternalText = (text: string): boolean => internalTextIn(text).length > 0;
