import type { FallbackReason } from '../dialogue/chat-engine.js';

/** A model answer we cannot use, with the reason the engine counts in /metrics. */
export class RewriteFailure extends Error {
  override readonly name = 'RewriteFailure';
  constructor(
    readonly reason: FallbackReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An error's name (its class for our own errors), or '' for anything that is not an error object. */
const nameOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' ? (err as { name: string }).name : '';

const isRewriteFailure = (err: unknown): err is RewriteFailure => nameOf(err) === 'RewriteFailure';

const hasStatus = (err: unknown): err is { status: number } =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';

/**
 * Maps whatever ended a model call to a fallback reason. `timedOut` is true when our own deadline
 * fired: then it is a timeout whatever the client library threw while being aborted.
 */
export function fallbackReasonOf(err: unknown, timedOut: boolean): FallbackReason {
  if (timedOut) return 'timeout';
  if (isRewriteFailure(err)) return err.reason;
  if (nameOf(err) === 'ToolFailure') return 'tool_error';
  const name = nameOf(err);
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  // An HTTP status, or the request never got one (connection refused or reset, DNS).
  const kind = typeof err === 'object' && err !== null ? err.constructor.name : '';
  if (hasStatus(err) || kind === 'APIConnectionError' || kind === 'APIError') return 'http_error';
  // A 200 whose body is not JSON, an SSE event that does not parse, or JSON without the fields of a
  // chat completion: the endpoint answered, but not with anything usable.
  if (name === 'SyntaxError' || name === 'TypeError') return 'malformed';
  return 'http_error';
}
