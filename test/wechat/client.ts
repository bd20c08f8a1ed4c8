import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

/**
 * A stand-in for WeChat's servers: builds signed callbacks (plain or safe mode) and reads the
 * replies. Written independently of src/wechat so that tests and the benchmark check the service
 * against WeChat's published rules rather than against itself.
 */

export interface WechatClientOptions {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  token: string;
  /** The 43-character EncodingAESKey; needed for encrypted requests. */
  aesKey?: string;
  appId?: string;
  /** The callback path (default /wechat). */
  path?: string;
  /** Clock in seconds for the timestamp parameter (default: now). */
  nowSeconds?: () => number;
}

export interface WechatReply {
  status: number;
  contentType: string;
  /** The raw response body. */
  body: string;
  /** The fields of the reply XML (decrypted in safe mode), or null for `success`/empty/non-XML. */
  fields: Record<string, string> | null;
}

export interface MessageOptions {
  encrypted?: boolean;
  timestamp?: string;
  nonce?: string;
  /** Send no signature at all. */
  unsigned?: boolean;
  /** Corrupt the signature. */
  badSignature?: boolean;
}

const parser = new XMLParser({ parseTagValue: false, processEntities: false, trimValues: false });

export const sha1Sorted = (parts: string[]): string => createHash('sha1').update([...parts].sort().join('')).digest('hex');

const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** A WeChat-style XML document; numeric-looking fields (CreateTime, MsgId) are written bare. */
export function toWechatXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([name, value]) => (typeof value === 'number' || /^(CreateTime|MsgId|TimeStamp)$/.test(name) ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`))
    .join('');
  return `<xml>${body}</xml>`;
}

let msgIdCounter = BigInt(Date.now()) * 1_000_000n;
/** A fresh 19-digit MsgId. */
export const nextMsgId = (): string => String(++msgIdCounter).padStart(19, '7').slice(-19);

/** The fields of a text message as WeChat sends it. */
export function textMessage(content: string, overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    ToUserName: 'gh_test_account',
    FromUserName: 'oTestUser_0000000000000000001',
    CreateTime: String(Math.floor(Date.now() / 1000)),
    MsgType: 'text',
    Content: content,
    MsgId: nextMsgId(),
    ...overrides,
  } as Record<string, string>;
}

function aesKeyBytes(aesKey: string): Buffer {
  return Buffer.from(`${aesKey}=`, 'base64');
}

/** WeChat's envelope: AES-256-CBC, IV = key[0..16), 32-byte PKCS#7, random(16) + len(4, BE) + msg + appId. */
export function wechatEncrypt(aesKey: string, appId: string, message: string): string {
  const key = aesKeyBytes(aesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.from([(msg.length >>> 24) & 0xff, (msg.length >>> 16) & 0xff, (msg.length >>> 8) & 0xff, msg.length & 0xff]);
  const raw = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId, 'utf8')]);
  const padLength = 32 - (raw.length % 32);
  const padded = Buffer.concat([raw, Buffer.alloc(padLength, padLength)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

export function wechatDecrypt(aesKey: string, encrypted: string): { message: string; appId: string } {
  const key = aesKeyBytes(aesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
  const raw = padded.subarray(0, padded.length - padded[padded.length - 1]!);
  const length = raw.readUInt32BE(16);
  return { message: raw.subarray(20, 20 + length).toString('utf8'), appId: raw.subarray(20 + length).toString('utf8') };
}

export function parseXmlFields(xml: string): Record<string, string> | null {
  if (!xml.trim().startsWith('<xml>')) return null;
  const root = (parser.parse(xml) as { xml?: Record<string, unknown> }).xml;
  if (!root) return null;
  return Object.fromEntries(Object.entries(root).map(([k, v]) => [k, String(v)]));
}

export class WechatClient {
  constructor(private readonly options: WechatClientOptions) {}

  private url(): string {
    return `${this.options.baseUrl}${this.options.path ?? '/wechat'}`;
  }

  private timestamp(): string {
    return String(this.options.nowSeconds ? this.options.nowSeconds() : Math.floor(Date.now() / 1000));
  }

  /** The query string WeChat appends: signature, timestamp, nonce (and openid). */
  signedQuery(options: { timestamp?: string; nonce?: string; badSignature?: boolean } = {}): URLSearchParams {
    const timestamp = options.timestamp ?? this.timestamp();
    const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e10));
    let signature = sha1Sorted([this.options.token, timestamp, nonce]);
    if (options.badSignature) signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    return new URLSearchParams({ signature, timestamp, nonce });
  }

  /** GET /wechat as the admin's “提交” button does when saving the server URL. */
  async verifyUrl(echostr: string, options: { timestamp?: string; badSignature?: boolean; unsigned?: boolean } = {}): Promise<{ status: number; body: string }> {
    const query = options.unsigned ? new URLSearchParams() : this.signedQuery(options);
    query.set('echostr', echostr);
    const res = await fetch(`${this.url()}?${query}`);
    return { status: res.status, body: await res.text() };
  }

  /** POSTs a message (fields as WeChat sends them) and returns the reply, decrypted in safe mode. */
  async send(fields: Record<string, string>, options: MessageOptions = {}): Promise<WechatReply> {
    const plainXml = toWechatXml(fields);
    return this.sendRaw(plainXml, options, fields.FromUserName);
  }

  /** POSTs a raw body (already XML, or anything else) with a valid signature unless told otherwise. */
  async sendRaw(plainXml: string, options: MessageOptions & { contentType?: string } = {}, openid?: string): Promise<WechatReply> {
    const timestamp = options.timestamp ?? this.timestamp();
    const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e10));
    const query = options.unsigned ? new URLSearchParams() : this.signedQuery({ timestamp, nonce, ...(options.badSignature ? { badSignature: true } : {}) });
    if (openid) query.set('openid', openid);
    let body = plainXml;
    if (options.encrypted) {
      const { aesKey, appId } = this.requireKey();
      const encrypt = wechatEncrypt(aesKey, appId, plainXml);
      query.set('encrypt_type', 'aes');
      let msgSignature = sha1Sorted([this.options.token, timestamp, nonce, encrypt]);
      if (options.badSignature) msgSignature = msgSignature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      if (!options.unsigned) query.set('msg_signature', msgSignature);
      body = toWechatXml({ ToUserName: 'gh_test_account', Encrypt: encrypt });
    }
    const res = await fetch(`${this.url()}?${query}`, {
      method: 'POST',
      headers: { 'content-type': options.contentType ?? 'text/xml' },
      body,
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    return { status: res.status, contentType, body: text, fields: res.status === 200 ? this.readReply(text, Boolean(options.encrypted)) : null };
  }

  private requireKey(): { aesKey: string; appId: string } {
    const { aesKey, appId } = this.options;
    if (!aesKey || !appId) throw new Error('aesKey and appId are needed for safe mode');
    return { aesKey, appId };
  }

  /** Reads a reply body: in safe mode checks msg_signature and the appId, then decrypts. */
  readReply(body: string, encrypted: boolean): Record<string, string> | null {
    const outer = parseXmlFields(body);
    if (!outer || !encrypted) return outer;
    const { aesKey, appId } = this.requireKey();
    const { Encrypt, MsgSignature, TimeStamp, Nonce } = outer;
    if (!Encrypt || !MsgSignature || !TimeStamp || !Nonce) throw new Error('encrypted reply lacks Encrypt/MsgSignature/TimeStamp/Nonce');
    if (sha1Sorted([this.options.token, TimeStamp, Nonce, Encrypt]) !== MsgSignature) throw new Error('reply msg_signature does not verify');
    const decrypted = wechatDecrypt(aesKey, Encrypt);
    if (decrypted.appId !== appId) throw new Error(`reply encrypted for appId ${decrypted.appId}`);
    return parseXmlFields(decrypted.message);
  }
}
