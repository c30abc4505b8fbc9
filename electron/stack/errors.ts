/**
 * The one error type the stack throws on purpose. `code` is stable (UI, CLI and tests match on it),
 * `message` is written for the user, `remedy` says what to change. The cause chain is kept for logs.
 */
export class BulkheadError extends Error {
  readonly code: string;
  readonly remedy: string | undefined;

  constructor(code: string, message: string, options: { remedy?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BulkheadError';
    this.code = code;
    this.remedy = options.remedy;
  }
}

export function isBulkheadError(error: unknown): error is BulkheadError {
  return error instanceof BulkheadError;
}

/** A readable one-line description of any thrown value, for logs and last-resort messages. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0) {
    // node's happy-eyeballs connect failures come as AggregateError with an empty message.
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
