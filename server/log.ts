/**
 * Structured JSON logs (pino). Personal data never reaches a log line: requests are logged by
 * method, route and id only (no query string, no client address, no headers), and known
 * personal or secret keys are censored wherever they appear in logged objects.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

/** Keys censored in any logged object, at the top level and one or two levels down. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  'email',
  'iban',
  'vatNumber',
  'name',
  'phone',
  'address',
  'ip',
  'remoteAddress',
  'body',
  'query',
  'headers',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** Creates the process logger; `destination` lets tests capture every byte written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          // The query string may carry search terms (names, e-mail addresses): never log it.
          url: req.url?.split('?')[0],
          id: req.id,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: serializeError,
      },
    },
    destination,
  );
}

export type { Logger };

/**
 * Errors are logged by type, code and stack. Database errors keep only their SQLSTATE, table,
 * column and constraint: their message and detail can quote the offending value.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & Record<string, unknown>;
  const isDbError = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e;
  if (isDbError) {
    return {
      type: 'DatabaseError',
      code: e.code,
      table: e.table,
      column: e.column,
      constraint: e.constraint,
      routine: e.routine,
    };
  }
  return { type: e.name, code: e.code, message: e.message, stack: e.stack };
}
