/**
 * The outcome of checking one value. Validators return this instead of throwing so that callers can
 * collect every problem of a form into one `invalidInput` error, each under its own field path.
 */

/** Either the normalised value, or a stable snake_case issue code saying why it was refused. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string };

/** Wraps an accepted, normalised value. */
export function accept<T>(value: T): Checked<T> {
  return { ok: true, value };
}

/** Wraps a refusal with its issue code. */
export function refuse<T = never>(code: string): Checked<T> {
  return { ok: false, code };
}
