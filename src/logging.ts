import type { FastifyRequest } from 'fastify';
import type { DestinationStream, LoggerOptions } from 'pino';
import { inherits } from './errors.js';
import { maskNames, maskPersonalData } from './privacy/mask.js';

/**
 * Logging that never writes what users type: 身份证号, mobile numbers and self-introduced names are
 * masked in every log line (messages, bound fields, errors with their stacks, any string nested in
 * a logged object), and request bodies and credentials are never logged at all.
 *
 * pino's `redact` only knows key paths; a user's message can reach a log line through any free
 * text (an error message quoting input, a URL), so every string is masked on its way out.
 */

/** Masks ID numbers, mobile numbers and names in one string. */
export function maskLogText(text: string): string {
  return maskNames(maskPersonalData(text).text);
}

const MAX_DEPTH = 8;
const MAX_KEYS = 200;
const MAX_STRING = 4000;

/** An Error as plain, masked fields (pino would otherwise serialise its raw message and stack). */
function maskError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: maskLogText(err.message) };
  if (err.stack) out.stack = maskLogText(err.stack.slice(0, MAX_STRING));
  for (const key of ['code', 'statusCode', 'status', 'validationContext'] as const) {
    const value = (err as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = maskValue(value, depth + 1, seen);
  }
  if (err.cause !== undefined) out.cause = maskValue(err.cause, depth + 1, seen);
  return out;
}

/**
 * Deep copy of a logged value with every string masked. Plain objects, arrays and errors are
 * walked (bounded in depth and width, cycles cut); other class instances are left to pino's
 * serializers, which are masked too.
 */
export function maskValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return maskLogText(value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value);
  // An ID or phone number logged as a number still is one.
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 1e10) {
    const text = String(value);
    const masked = maskLogText(text);
    return masked === text ? value : masked;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (inherits(value, Error)) return maskError(value, depth, seen);
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => maskValue(v, depth + 1, seen));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key of Object.keys(value)) {
    if (++n > MAX_KEYS) break;
    out[maskLogText(key)] = maskValue((value as Record<string, unknown>)[key], depth + 1, seen);
  }
  return out;
}

/** Only what identifies a request: never its body, query string or headers. */
function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: maskLogText((req.url ?? '').split('?')[0] ?? ''),
    ...(req.routeOptions?.url ? { route: req.routeOptions.url } : {}),
  };
}

function serializeError(err: unknown): unknown {
  return inherits(err, Error) ? maskError(err, 0, new WeakSet()) : maskValue(err);
}

/** Masks every string of one serialised log line (JSON), keeping it one valid JSON line. */
export function maskLogLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return maskLogText(line);
  }
  const masked = JSON.stringify(maskValue(parsed));
  return line.endsWith('\n') ? masked + '\n' : masked;
}

/** Keys that never reach a log line, whatever logs them. */
export const REDACT_PATHS = [
  'req.body',
  'body',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
];

/**
 * pino options for Fastify's logger (and for any pino instance): masked messages, bindings and
 * fields, minimal request serializer, redacted credentials and bodies.
 * @example Fastify({ logger: loggerOptions({ level: 'info' }) })
 */
export function loggerOptions(options: { level: string; stream?: DestinationStream }): LoggerOptions & { stream?: DestinationStream } {
  return {
    level: options.level,
    ...(options.stream ? { stream: options.stream } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: serializeRequest,
      err: serializeError,
      error: serializeError,
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    formatters: {
      log: (object) => maskValue(object) as Record<string, unknown>,
      bindings: (bindings) => maskValue(bindings) as Record<string, unknown>,
    },
    hooks: {
      // The last pass over the finished line: child-logger bindings (which pino writes without
      // formatters) and whatever a route-level serializer produced are masked here too.
      streamWrite: maskLogLine,
      // The message (and printf-style arguments) are not part of the object formatters.log sees.
      logMethod(args, method) {
        const list: unknown[] = [...args];
        // pino takes the message of a logged error (`log.error(err)`, `log.error({ err })`) from
        // the raw error when none is given; supply it, masked, before pino does.
        const first = list[0];
        const err = inherits(first, Error) ? first : (first as { err?: unknown } | null)?.err;
        if (inherits(first, Error)) list[0] = { err: first };
        const errMessage = (err as { message?: unknown } | null | undefined)?.message;
        if (typeof errMessage === 'string' && typeof list[1] !== 'string') list.splice(1, 0, errMessage);
        const masked = list.map((arg) => (typeof arg === 'string' ? maskLogText(arg) : arg));
        method.apply(this, masked as typeof args);
      },
    },
  };
}

type FastifyLoggerSetting = boolean | (LoggerOptions & { stream?: DestinationStream }) | undefined;

/**
 * Applies the masking options to whatever logger setting a caller gives Fastify: `false` stays
 * off, `true` becomes info level, an options object keeps its level and stream.
 */
export function withLogPrivacy(logger: FastifyLoggerSetting): false | (LoggerOptions & { stream?: DestinationStream }) {
  if (!logger) return false;
  const given = logger === true ? {} : logger;
  const privacy = loggerOptions({ level: given.level ?? 'info', ...(given.stream ? { stream: given.stream } : {}) });
  return { ...given, ...privacy, serializers: { ...given.serializers, ...privacy.serializers } };
}
