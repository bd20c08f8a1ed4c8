import { describe, expect, it } from 'vitest';
import { asksForDetails, loadCommands } from '../dialogue/commands.js';
import {
  CHAT_FAILED_TEXT,
  CONTINUE_WORDS,
  DETAILS_OFFER,
  EMPTY_TEXT,
  TEXT_ONLY_TEXT,
  VOICE_NOT_RECOGNISED_TEXT,
  WELCOME_TEXT,
} from './canned-replies.js';
import { MORE_POINTER, REPLY_MAX_BYTES, utf8Bytes } from './reply-text.js';

const commands = loadCommands();

describe('wechat canned replies', () => {
  it('each fits one text message', () => {
    for (const text of [WELCOME_TEXT, TEXT_ONLY_TEXT, VOICE_NOT_RECOGNISED_TEXT, EMPTY_TEXT, CHAT_FAILED_TEXT, MORE_POINTER, DETAILS_OFFER]) {
      expect(utf8Bytes(text), text.slice(0, 20)).toBeLessThanOrEqual(REPLY_MAX_BYTES);
    }
  });

  it('offers the details with a word the engine answers with them', () => {
    const word = /“(.+?)”/.exec(DETAILS_OFFER)?.[1];
    expect(word).toBe('详细');
    expect(asksForDetails(word!, commands)).toBe(true);
    // A page waiting for “继续” never swallows “详细”: it always reaches the engine.
    expect(CONTINUE_WORDS.has(word!)).toBe(false);
  });

  it('points to the next page with a word it pages on', () => {
    const word = /“(.+?)”/.exec(MORE_POINTER)?.[1];
    expect(word).toBe('继续');
    expect(CONTINUE_WORDS.has(word!)).toBe(true);
  });
});
