/**
 * The one error type of the domain. Every failure a client can cause is a DomainError with a
 * stable `code`, the HTTP status it maps to and a Chinese `message` that is safe to show.
 * Anything else that escapes is treated as internal and never shown as-is.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_JSON'
  | 'VALIDATION_FAILED'
  | 'EMPTY_MESSAGE'
  | 'MESSAGE_TOO_LONG'
  | 'INVALID_SESSION_ID'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'DATE_OUT_OF_RANGE'
  | 'INVALID_DATE'
  | 'REGION_NOT_FOUND'
  | 'REGION_AMBIGUOUS'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_READY'
  | 'KNOWLEDGE_INVALID'
  | 'INTERNAL';

export interface DomainErrorOptions {
  /** Extra, client-safe fields merged into the error body (e.g. region suggestions). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, status: number, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = status;
    this.details = options.details;
  }

  /** Works across module copies (tsx + vitest can load a module twice). */
  static isInstance(value: unknown): value is DomainError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'DomainError' &&
      typeof (value as { code?: unknown }).code === 'string' &&
      typeof (value as { status?: unknown }).status === 'number'
    );
  }

  toBody(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...(this.details ?? {}) } };
  }
}

/** Whether `value` was made by `type` or a subclass of it (its prototype chain includes type's). */
export function inherits<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  return typeof value === 'object' && value !== null && Object.prototype.isPrototypeOf.call(type.prototype, value);
}

export const badRequest = (message: string, options?: DomainErrorOptions) =>
  new DomainError('BAD_REQUEST', 400, message, options);
