import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WechatCipher, WechatCryptoError, decodeAesKey } from './crypto.js';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wx1234567890abcdef';

describe('wechat AES envelope', () => {
  it('decodes the 43-character EncodingAESKey to a 32-byte key and refuses anything else', () => {
    expect(decodeAesKey(AES_KEY)).toHaveLength(32);
    expect(() => decodeAesKey(AES_KEY.slice(1))).toThrow(WechatCryptoError);
    expect(() => decodeAesKey(`${AES_KEY.slice(1)}!`)).toThrow(WechatCryptoError);
  });

  it('lays out random(16) + length(4, big-endian) + message + appId, padded to 32 bytes', () => {
    const random = Buffer.alloc(16, 7);
    const encrypted = new WechatCipher(AES_KEY, APP_ID).encrypt('<xml>你好</xml>', APP_ID, random);
    const key = decodeAesKey(AES_KEY);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    expect(plain.length % 32).toBe(0);
    const message = Buffer.from('<xml>你好</xml>');
    expect(plain.subarray(0, 16)).toEqual(random);
    expect(plain.readUInt32BE(16)).toBe(message.length);
    expect(plain.subarray(20, 20 + message.length)).toEqual(message);
    const pad = plain[plain.length - 1]!;
    expect(plain.subarray(20 + message.length, plain.length - pad).toString()).toBe(APP_ID);
    expect([...plain.subarray(plain.length - pad)].every((b) => b === pad)).toBe(true);
  });

  it('round-trips Chinese text and tells which appId it was for', () => {
    const cipher = new WechatCipher(AES_KEY, APP_ID);
    const text = '<xml><Content><![CDATA[医保关系怎么转？]]></Content></xml>';
    expect(cipher.decrypt(cipher.encrypt(text))).toEqual({ message: text, appId: APP_ID });
  });

  it('pads a message that already fills whole blocks with a full extra block', () => {
    const cipher = new WechatCipher(AES_KEY, 'x'.repeat(12));
    const encrypted = cipher.encrypt('', 'x'.repeat(12)); // 16 + 4 + 0 + 12 = 32 bytes
    expect(Buffer.from(encrypted, 'base64')).toHaveLength(64);
    expect(cipher.decrypt(encrypted).message).toBe('');
  });

  it('refuses a message for another appId, tampered ciphertext and non-block lengths', () => {
    const other = new WechatCipher(AES_KEY, 'wxOTHER').encrypt('hi');
    expect(() => new WechatCipher(AES_KEY, APP_ID).decrypt(other)).toThrow(/appId/);
    expect(new WechatCipher(AES_KEY).decrypt(other).appId).toBe('wxOTHER');
    const bytes = Buffer.from(new WechatCipher(AES_KEY, APP_ID).encrypt('hello'), 'base64');
    bytes[bytes.length - 1]! ^= 0xff;
    expect(() => new WechatCipher(AES_KEY, APP_ID).decrypt(bytes.toString('base64'))).toThrow(WechatCryptoError);
    expect(() => new WechatCipher(AES_KEY, APP_ID).decrypt('YWJj')).toThrow(WechatCryptoError);
  });
});
