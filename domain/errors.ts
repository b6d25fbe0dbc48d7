/**
 * The one error type of Kluis. Domain rules and use cases throw it; the HTTP layer maps its
 * `kind` to a status (server/http/errors.ts) and never leaks anything else. Codes are stable
 * snake_case strings that clients may rely on; messages are English, for developers, and never
 * contain personal data (clients translate codes for people).
 */

/** What went wrong, in the terms the HTTP layer maps to a status. */
export type ErrorKind =
  | 'invalid' // 400: the input is wrong
  | 'unprocessable' // 422: the request is valid but the record cannot become what was asked
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404: also what another tenant's record looks like
  | 'conflict' // 409: the state does not allow it
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'unavailable'; // 503

/** One problem with one input field. `path` is a JSON pointer-like dotted path, e.g. `lines.0.vatRate`. */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/** An expected failure with a stable code. Anything thrown that is not an AppError is a bug (500). */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly issues: readonly FieldIssue[];

  constructor(kind: ErrorKind, code: string, message: string, issues: readonly FieldIssue[] = []) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.issues = issues;
  }
}

/** Builds the error for input that fails validation, listing every problem at once. */
export function invalidInput(issues: readonly FieldIssue[], message = 'The input is not valid'): AppError {
  return new AppError('invalid', 'validation_failed', message, issues);
}

/** Builds the not-found error; also used for records of another tenant, so both look the same. */
export function notFound(entity: string): AppError {
  return new AppError('not_found', `${entity}_not_found`, `No such ${entity}`);
}

/** True when `value` is an AppError (also across module copies). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
