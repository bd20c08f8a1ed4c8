import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

/** WeChat's callbacks are a few hundred bytes; 64 KB leaves room and caps parsing work. */
export const MAX_XML_BYTES = 64 * 1024;

export class WechatXmlError extends Error {
  override readonly name = 'WechatXmlError';
}

/*
 * A DOCTYPE is the only way to declare entities, so refusing it up front rules out entity
 * expansion (billion laughs) and external entities; the parser then only knows the five
 * predefined XML entities. parseTagValue:false keeps the 19-digit MsgId a string.
 */
const parser = new XMLParser({ parseTagValue: false, processEntities: true, htmlEntities: false, trimValues: true });
const builder = new XMLBuilder({ cdataPropName: '__cdata' });
const forbiddenMarkup = /<!DOCTYPE|<!ENTITY/i;

/** Parses a WeChat XML document and returns the children of its <xml> root as strings. */
export function parseWechatXml(text: string): Record<string, unknown> {
  if (Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) throw new WechatXmlError('XML body too large');
  if (forbiddenMarkup.test(text)) throw new WechatXmlError('DOCTYPE and ENTITY declarations are not accepted');
  if (XMLValidator.validate(text) !== true) throw new WechatXmlError('malformed XML');
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (err) {
    // The parser refuses names like __proto__ by throwing.
    throw new WechatXmlError('XML could not be parsed', { cause: err });
  }
  const root = (parsed as { xml?: unknown }).xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError('missing <xml> root element');
  return root as Record<string, unknown>;
}

const field = (max: number) => z.string().trim().min(1).max(max);
const digits = z.string().trim().regex(/^\d{1,20}$/);

/** The outer document of a safe-mode callback. */
export const encryptedEnvelopeSchema = z.object({
  ToUserName: z.string().max(128).optional(),
  Encrypt: z.string().trim().min(1).max(MAX_XML_BYTES),
});

const baseSchema = z.object({
  ToUserName: field(128),
  FromUserName: field(128),
  CreateTime: digits,
});

const textSchema = baseSchema.extend({
  MsgType: z.literal('text'),
  // Content may hold only spaces; that is the user's problem, not a bad request.
  Content: z.string().max(20_000),
  MsgId: digits,
});

const voiceSchema = baseSchema.extend({
  MsgType: z.literal('voice'),
  MsgId: digits.optional(),
  Recognition: z.string().max(20_000).optional(),
});

const eventSchema = baseSchema.extend({
  MsgType: z.literal('event'),
  Event: field(64),
  EventKey: z.string().max(1024).optional(),
});

const otherSchema = baseSchema.extend({
  MsgType: field(32),
  MsgId: digits.optional(),
});

interface InboundBase {
  /** The Official Account's original id (gh_…). */
  toUser: string;
  /** The user's OpenID. Never log it. */
  fromUser: string;
  createTime: string;
}

export type InboundMessage =
  | (InboundBase & { kind: 'text'; content: string; msgId: string })
  | (InboundBase & { kind: 'voice'; recognition: string; msgId?: string })
  | (InboundBase & { kind: 'event'; event: string; eventKey?: string })
  | (InboundBase & { kind: 'other'; msgType: string; msgId?: string });

/** Validates the fields of a decoded callback; returns null when required fields are missing or malformed. */
export function toInboundMessage(fields: Record<string, unknown>): InboundMessage | null {
  const base = baseSchema.safeParse(fields);
  if (!base.success) return null;
  const common: InboundBase = { toUser: base.data.ToUserName, fromUser: base.data.FromUserName, createTime: base.data.CreateTime };
  const msgType = typeof fields.MsgType === 'string' ? fields.MsgType.trim() : '';
  if (msgType === 'text') {
    const text = textSchema.safeParse(fields);
    return text.success ? { ...common, kind: 'text', content: text.data.Content.trim(), msgId: text.data.MsgId } : null;
  }
  if (msgType === 'voice') {
    const voice = voiceSchema.safeParse(fields);
    if (!voice.success) return null;
    return { ...common, kind: 'voice', recognition: (voice.data.Recognition ?? '').trim(), ...(voice.data.MsgId ? { msgId: voice.data.MsgId } : {}) };
  }
  if (msgType === 'event') {
    const event = eventSchema.safeParse(fields);
    if (!event.success) return null;
    return { ...common, kind: 'event', event: event.data.Event, ...(event.data.EventKey ? { eventKey: event.data.EventKey } : {}) };
  }
  const other = otherSchema.safeParse(fields);
  if (!other.success) return null;
  return { ...common, kind: 'other', msgType: other.data.MsgType, ...(other.data.MsgId ? { msgId: other.data.MsgId } : {}) };
}

/** The passive text reply; `toUser` is the user's OpenID and `fromUser` the account id. */
export function buildTextReplyXml(input: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return builder.build({
    xml: {
      ToUserName: { __cdata: input.toUser },
      FromUserName: { __cdata: input.fromUser },
      CreateTime: input.createTime,
      MsgType: { __cdata: 'text' },
      Content: { __cdata: input.content },
    },
  }) as string;
}

/** The safe-mode reply envelope around an encrypted passive reply. */
export function buildEncryptedReplyXml(input: { encrypt: string; msgSignature: string; timestamp: string; nonce: string }): string {
  return builder.build({
    xml: {
      Encrypt: { __cdata: input.encrypt },
      MsgSignature: { __cdata: input.msgSignature },
      TimeStamp: input.timestamp,
      Nonce: { __cdata: input.nonce },
    },
  }) as string;
}
