import { randomInt } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ChatResponse } from '../dialogue/response.js';
import { DomainError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import {
  CHAT_FAILED_TEXT,
  CONTINUE_WORDS,
  DETAILS_OFFER,
  EMPTY_TEXT,
  TEXT_ONLY_TEXT,
  VOICE_NOT_RECOGNISED_TEXT,
  WELCOME_TEXT,
} from './canned-replies.js';
import { WechatCipher, WechatCryptoError } from './crypto.js';
import { Dedupe, dedupeKey } from './dedupe.js';
import { REPLY_MAX_BYTES, fitReply } from './reply-text.js';
import { wechatSessionId } from './session-id.js';
import { isFreshTimestamp, verifyMsgSignature, verifySignature, wechatSignature } from './signature.js';
import { TtlLru } from './ttl-lru.js';
import {
  MAX_XML_BYTES,
  WechatXmlError,
  buildEncryptedReplyXml,
  buildTextReplyXml,
  encryptedEnvelopeSchema,
  parseWechatXml,
  toInboundMessage,
  type InboundMessage,
} from './xml.js';

/** WeChat gives up after 5 s; answering within 4 s leaves room for the network. */
export const REPLY_BUDGET_MS = 4000;
/** A paged answer waits this long for “继续”. */
const CONTINUATION_TTL_MS = 30 * 60_000;

export interface WechatChat {
  handle(request: { sessionId?: string; message: string }, options?: { modelBudgetMs?: number }): Promise<ChatResponse>;
}

/** Time kept for the rest of the turn (guard, session save, XML, network) after the model's budget. */
const MODEL_MARGIN_MS = 600;

export interface WechatPluginOptions {
  config: {
    /** WECHAT_TOKEN: the Token entered in the Official Account's server settings. */
    token: string;
    /** WECHAT_AES_KEY: the 43-character EncodingAESKey; enables safe (encrypted) mode. */
    aesKey?: string;
    /** WECHAT_APP_ID: checked against decrypted messages and used to encrypt replies. */
    appId?: string;
  };
  chat: WechatChat;
  metrics?: Pick<Metrics, 'wechatMessages'>;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
  /** Time allowed for an answer before replying `success` (empty). */
  replyBudgetMs?: number;
  /** Byte limit of one text reply (default REPLY_MAX_BYTES, under WeChat's 2,048). */
  replyMaxBytes?: number;
}

/** A plain reply ready to send (and to encrypt in safe mode), or nothing to say. */
type PlainReply = { kind: 'xml'; xml: string } | { kind: 'empty' };

const queryText = z.string().min(1).max(512);
const getQuerySchema = z.object({
  signature: queryText.optional(),
  timestamp: queryText.optional(),
  nonce: queryText.optional(),
  echostr: z.string().max(512).optional(),
});
const postQuerySchema = z.object({
  signature: queryText.optional(),
  timestamp: queryText.optional(),
  nonce: queryText.optional(),
  encrypt_type: queryText.optional(),
  msg_signature: queryText.optional(),
});

const unauthorized = (message: string) => new DomainError('UNAUTHORIZED', 401, message);
const forbidden = (message: string) => new DomainError('FORBIDDEN', 403, message);
const badXml = (message: string) => new DomainError('BAD_REQUEST', 400, message);

const KNOWN_TYPES = new Set(['text', 'voice', 'image', 'video', 'shortvideo', 'location', 'link', 'file']);
const KNOWN_EVENTS = new Set(['subscribe', 'unsubscribe', 'SCAN', 'CLICK', 'VIEW', 'LOCATION']);

/** A bounded metrics label for a message: never anything the sender can vary freely. */
function typeLabel(message: InboundMessage): string {
  if (message.kind === 'event') return `event_${KNOWN_EVENTS.has(message.event) ? message.event.toLowerCase() : 'other'}`;
  if (message.kind === 'other') return KNOWN_TYPES.has(message.msgType) ? message.msgType : 'other';
  return message.kind;
}

/** Resolves to `undefined` when `promise` has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the OpenID (which WeChat puts in the query string) out of request logs. */
const logSerializers = {
  req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
};

/**
 * The WeChat Official Account callback, `GET|POST /wechat`: URL verification, plain and safe
 * (AES) modes, dedupe of WeChat's retries, an answer within WeChat's 5-second window (or an empty
 * `success`, never an error WeChat would show as “该公众号暂时无法提供服务”).
 */
export async function wechatPlugin(app: FastifyInstance, options: WechatPluginOptions): Promise<void> {
  const { token } = options.config;
  if (!token) throw new Error('WECHAT_TOKEN is required for the WeChat callback');
  const now = options.now ?? Date.now;
  const budgetMs = options.replyBudgetMs ?? REPLY_BUDGET_MS;
  const maxBytes = Math.min(options.replyMaxBytes ?? REPLY_MAX_BYTES, REPLY_MAX_BYTES);
  let cipher: WechatCipher | undefined;
  try {
    cipher = options.config.aesKey ? new WechatCipher(options.config.aesKey, options.config.appId) : undefined;
  } catch (err) {
    throw new Error('WECHAT_AES_KEY must be the 43-character EncodingAESKey from the WeChat admin', { cause: err });
  }
  const replies = new Dedupe<PlainReply>({ now });
  const continuations = new TtlLru<{ text: string; citationSource?: string }>({ max: 10_000, ttlMs: CONTINUATION_TTL_MS, now });
  const count = (type: string, outcome: string) => options.metrics?.wechatMessages.inc({ type, outcome });

  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: MAX_XML_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  // Only WeChat calls this; whatever goes wrong after authentication must still look like a
  // valid answer to WeChat, so the scope answers `success` instead of a 5xx.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (DomainError.isInstance(error)) return reply.status(error.status).send(error.toBody());
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大。' } });
    if (status === 415)
      return reply.status(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '请以 XML（text/xml）发送微信消息。' } });
    if (status >= 400 && status < 500) return reply.status(status).send({ error: { code: 'BAD_REQUEST', message: '请求有误。' } });
    request.log.error({ err: error }, 'wechat callback failed');
    count('unknown', 'error');
    return reply.status(200).type('text/plain; charset=utf-8').send('success');
  });

  /**
   * Checks every signature present (at least one must be) and then freshness; throws the 4xx
   * DomainError that fits. `msgSignature` counts only together with the `encrypt` it signs.
   */
  function authenticate(query: { signature?: string; timestamp?: string; nonce?: string; msgSignature?: string; encrypt?: string }) {
    const { signature, timestamp, nonce, msgSignature, encrypt } = query;
    const checks: boolean[] = [];
    if (timestamp && nonce) {
      if (signature) checks.push(verifySignature({ token, timestamp, nonce, signature }));
      if (msgSignature && encrypt !== undefined) checks.push(verifyMsgSignature({ token, timestamp, nonce, encrypt, msgSignature }));
    }
    if (!timestamp || !nonce || checks.length === 0) throw unauthorized('缺少微信签名参数（signature、timestamp、nonce）。');
    if (!checks.every(Boolean)) throw forbidden('微信签名校验失败。');
    if (!isFreshTimestamp(timestamp, now())) throw forbidden('请求时间戳已过期或不正确，请检查服务器时间。');
  }

  function textReply(message: InboundMessage, content: string): PlainReply {
    return {
      kind: 'xml',
      xml: buildTextReplyXml({ toUser: message.fromUser, fromUser: message.toUser, createTime: Math.floor(now() / 1000), content }),
    };
  }

  async function answerText(message: InboundMessage, text: string): Promise<PlainReply> {
    if (text === '') return textReply(message, EMPTY_TEXT);
    const sessionId = wechatSessionId(message.fromUser, token);
    const pending = CONTINUE_WORDS.has(text) ? continuations.get(sessionId) : undefined;
    if (pending) {
      const page = fitReply(pending.text, { citationSource: pending.citationSource, maxBytes });
      if (page.remainder) continuations.set(sessionId, { ...pending, text: page.remainder });
      else continuations.delete(sessionId);
      return textReply(message, page.content);
    }
    let response: ChatResponse;
    try {
      // A model that is not done in time gives way to the rules' answer, so WeChat never gets silence.
      response = await options.chat.handle({ sessionId, message: text }, { modelBudgetMs: Math.max(0, budgetMs - MODEL_MARGIN_MS) });
    } catch (err) {
      // A DomainError carries a Chinese message meant for the user (e.g. the question is too long).
      if (DomainError.isInstance(err) && err.status < 500) return textReply(message, err.message);
      throw err;
    }
    // The one-line basis names a document when there is one (official texts first), not a news report.
    const citationSource = (response.citations.find((c) => c.source.startsWith('《') && c.confidence === 'official') ?? response.citations.find((c) => c.source.startsWith('《')) ?? response.citations[0])?.source;
    // The message is the short answer; what it left out is one “详细” away.
    const offer = response.details ? DETAILS_OFFER : undefined;
    const fitted = fitReply(response.reply, { citationSource, offer, maxBytes });
    if (fitted.remainder) continuations.set(sessionId, { text: fitted.remainder, ...(citationSource ? { citationSource } : {}) });
    else continuations.delete(sessionId);
    return textReply(message, fitted.content || CHAT_FAILED_TEXT);
  }

  async function answer(message: InboundMessage, log: FastifyRequest['log']): Promise<PlainReply> {
    try {
      switch (message.kind) {
        case 'text':
          return await answerText(message, message.content);
        case 'voice':
          return message.recognition ? await answerText(message, message.recognition) : textReply(message, VOICE_NOT_RECOGNISED_TEXT);
        case 'event':
          return message.event === 'subscribe' ? textReply(message, WELCOME_TEXT) : { kind: 'empty' };
        case 'other':
          return textReply(message, TEXT_ONLY_TEXT);
      }
    } catch (err) {
      log.error({ err }, 'wechat answer failed');
      return textReply(message, CHAT_FAILED_TEXT);
    }
  }

  function sendPlain(reply: FastifyReply, plain: PlainReply, appId: string | undefined, encrypted: boolean) {
    if (plain.kind === 'empty') return reply.type('text/plain; charset=utf-8').send('success');
    if (!encrypted || !cipher) return reply.type('application/xml; charset=utf-8').send(plain.xml);
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = String(randomInt(1_000_000_000, 10_000_000_000));
    const encrypt = cipher.encrypt(plain.xml, appId);
    const msgSignature = wechatSignature([token, timestamp, nonce, encrypt]);
    return reply.type('application/xml; charset=utf-8').send(buildEncryptedReplyXml({ encrypt, msgSignature, timestamp, nonce }));
  }

  const routeOptions = { logSerializers, config: { rateLimit: false }, schema: { hide: true } };

  app.get('/wechat', routeOptions, async (request, reply) => {
    const query = getQuerySchema.safeParse(request.query);
    if (!query.success) throw unauthorized('微信签名参数格式不正确。');
    const { signature, timestamp, nonce, echostr } = query.data;
    authenticate({ signature, timestamp, nonce });
    if (echostr === undefined || echostr === '') throw badXml('缺少 echostr 参数。');
    return reply.type('text/plain; charset=utf-8').send(echostr);
  });

  app.post('/wechat', { ...routeOptions, bodyLimit: MAX_XML_BYTES }, async (request, reply) => {
    const query = postQuerySchema.safeParse(request.query);
    if (!query.success) throw unauthorized('微信签名参数格式不正确。');
    const { signature, timestamp, nonce } = query.data;
    const safeMode = query.data.encrypt_type === 'aes';
    if (typeof request.body !== 'string') {
      if (request.body === undefined || request.body === null) throw badXml('请求体为空，应为微信推送的 XML。');
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 415, '请以 XML（text/xml）发送微信消息。');
    }
    // Authenticate what can be checked before parsing anything the sender controls.
    if (!safeMode || !query.data.msg_signature) authenticate({ signature, timestamp, nonce });

    let fields: Record<string, unknown>;
    try {
      fields = parseWechatXml(request.body);
    } catch (err) {
      if (err instanceof WechatXmlError) {
        count('unknown', 'rejected');
        throw badXml('XML 格式不正确。');
      }
      throw err;
    }

    let encrypted = false;
    let appId: string | undefined;
    if (safeMode && fields.Encrypt !== undefined) {
      const envelope = encryptedEnvelopeSchema.safeParse(fields);
      if (!envelope.success) throw badXml('加密消息格式不正确。');
      if (!query.data.msg_signature) throw unauthorized('缺少 msg_signature 参数。');
      authenticate({ signature, timestamp, nonce, encrypt: envelope.data.Encrypt, msgSignature: query.data.msg_signature });
      if (cipher) {
        try {
          const decrypted = cipher.decrypt(envelope.data.Encrypt);
          appId = decrypted.appId;
          fields = parseWechatXml(decrypted.message);
        } catch (err) {
          if (err instanceof WechatCryptoError || err instanceof WechatXmlError) {
            count('unknown', 'rejected');
            throw badXml('加密消息无法解密，请检查 EncodingAESKey 与 AppID。');
          }
          throw err;
        }
        encrypted = true;
      } else if (!toInboundMessage(fields)) {
        // Safe mode switched on in the admin but no key here: nothing we can read or answer.
        request.log.error('encrypted WeChat message but WECHAT_AES_KEY is not set');
        count('unknown', 'error');
        return reply.type('text/plain; charset=utf-8').send('success');
      }
      // Without a key, 兼容模式 still carries the plain fields beside <Encrypt>: answer those in plain.
    } else if (safeMode) {
      // 兼容模式 without <Encrypt> never happens; treat it as plain but require the plain signature.
      authenticate({ signature, timestamp, nonce });
    }

    const message = toInboundMessage(fields);
    if (!message) {
      count('unknown', 'rejected');
      throw badXml('微信消息缺少必要字段。');
    }
    const type = typeLabel(message);
    const { result, shared } = replies.run(dedupeKey(message), () => answer(message, request.log));
    const plain = await within(result, budgetMs);
    if (plain === undefined) {
      // Too slow for WeChat: an empty `success` now; the answer stays cached for a retry.
      request.log.warn({ type }, 'wechat answer over budget; replied success');
      count(type, 'timeout');
      return reply.type('text/plain; charset=utf-8').send('success');
    }
    count(type, shared ? 'deduplicated' : plain.kind === 'empty' ? 'ignored' : 'answered');
    return sendPlain(reply, plain, appId, encrypted);
  });
}
