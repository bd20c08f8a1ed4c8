import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** WeChat pads to a 32-byte block (PKCS#7 with k = 32), not AES's 16. */
const BLOCK_SIZE = 32;
const RANDOM_PREFIX_BYTES = 16;

export class WechatCryptoError extends Error {
  override readonly name = 'WechatCryptoError';
}

/** Decodes an EncodingAESKey (43 characters of base64 without the trailing '=') into the 32-byte AES key. */
export function decodeAesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new WechatCryptoError('EncodingAESKey must be 43 base64 characters');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WechatCryptoError('EncodingAESKey must decode to 32 bytes');
  return key;
}

function pad(data: Buffer): Buffer {
  const amount = BLOCK_SIZE - (data.length % BLOCK_SIZE);
  return Buffer.concat([data, Buffer.alloc(amount, amount)]);
}

function unpad(data: Buffer): Buffer {
  const amount = data[data.length - 1];
  if (amount === undefined || amount < 1 || amount > BLOCK_SIZE || amount > data.length) throw new WechatCryptoError('bad padding');
  return data.subarray(0, data.length - amount);
}

/**
 * The AES-256-CBC envelope of WeChat's safe mode: key from the EncodingAESKey, IV = first 16 bytes
 * of the key, plaintext = 16 random bytes + 4-byte big-endian message length + message + appId.
 */
export class WechatCipher {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  /** `appId` is checked on decrypt when given; without it any appId is accepted and echoed back. */
  constructor(encodingAesKey: string, private readonly appId?: string) {
    this.key = decodeAesKey(encodingAesKey);
    this.iv = this.key.subarray(0, 16);
  }

  /** Encrypts `message` for `appId` (defaults to the configured one); returns base64. */
  encrypt(message: string, appId = this.appId, random: Buffer = randomBytes(RANDOM_PREFIX_BYTES)): string {
    if (!appId) throw new WechatCryptoError('appId is required to encrypt');
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const plain = pad(Buffer.concat([random.subarray(0, RANDOM_PREFIX_BYTES), length, body, Buffer.from(appId, 'utf8')]));
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  }

  /** Decrypts a base64 <Encrypt> payload; throws WechatCryptoError on any malformed or foreign input. */
  decrypt(encrypted: string): { message: string; appId: string } {
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('ciphertext is not a whole number of blocks');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
      decipher.setAutoPadding(false);
      plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
    } catch (err) {
      throw err instanceof WechatCryptoError ? err : new WechatCryptoError('decryption failed', { cause: err });
    }
    if (plain.length < RANDOM_PREFIX_BYTES + 4) throw new WechatCryptoError('plaintext too short');
    const length = plain.readUInt32BE(RANDOM_PREFIX_BYTES);
    const start = RANDOM_PREFIX_BYTES + 4;
    if (start + length > plain.length) throw new WechatCryptoError('declared length exceeds plaintext');
    const message = plain.subarray(start, start + length).toString('utf8');
    const appId = plain.subarray(start + length).toString('utf8');
    if (this.appId && appId !== this.appId) throw new WechatCryptoError('appId mismatch');
    return { message, appId };
  }
}
