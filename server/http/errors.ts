/**
 * The one error shape Kluis answers with (STYLE rule 6):
 *   { "error": { "code": "snake_case", "message": "…", "issues": [...], "requestId": "…" } }
 * AppError kinds map to statuses here and nowhere else. Fastify's own client errors (bad JSON,
 * schema validation, body too large, wrong content type) get stable codes too; anything else is a
 * 500 whose body says nothing about the cause — the cause goes to the log, without personal data.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorKind, type FieldIssue, isAppError } from '../../domain/errors.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: readonly FieldIssue[]; requestId: string };
}

/** Maps Fastify's client errors to stable codes. */
function fromFastify(err: FastifyError): AppError | undefined {
  if (err.validation) {
    const issues = err.validation.map((v) => ({
      path:
        (v.instancePath || '').replace(/^\//, '').replaceAll('/', '.') ||
        String(v.params?.missingProperty ?? ''),
      code: `schema_${v.keyword}`,
      message: v.message ?? 'Not valid',
    }));
    return new AppError('invalid', 'validation_failed', 'The request does not match the schema', issues);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid', 'malformed_json', 'The body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('too_large', 'payload_too_large', 'The body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('invalid', 'unsupported_media_type', 'Send application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('invalid', 'invalid_content_length', 'The Content-Length does not match the body');
    default:
      break;
  }
  // Any other 4xx that Fastify or a plugin raises is the client's doing; keep it a 4xx.
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const kind: ErrorKind = status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'invalid';
    return new AppError(
      kind,
      status === 429 ? 'rate_limited' : 'bad_request',
      'The request cannot be processed',
    );
  }
  return undefined;
}

/** Sends an AppError in the standard shape. */
export function sendError(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.issues.length > 0 ? { issues: err.issues } : {}),
      requestId: String(request.id),
    },
  };
  const status = err.kind === 'invalid' && err.code === 'unsupported_media_type' ? 415 : STATUS[err.kind];
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** Installs the error and not-found handlers on an app. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = isAppError(err) ? err : fromFastify(err);
    if (known) return sendError(reply, request, known);
    request.log.error({ err }, 'unhandled error');
    return sendError(
      reply,
      request,
      new AppError('unavailable', 'internal_error', 'Something went wrong on our side; quote the request id'),
    ).status(500);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new AppError('not_found', 'route_not_found', 'No such route')),
  );
}
