/**
 * The `Idempotency-Key` request header (IETF draft httpapi-idempotency-key-header; ADR 0023), for
 * any route that opts in with `config: { idempotent: true }` — creating calls, so a client that
 * lost a response can retry without creating twice. Per business and key:
 * - first request: the key is reserved (in its own short transaction), the route runs, and its
 *   response (status, type, location, body) is stored encrypted before it is sent;
 * - a repeat with the same fingerprint (method, route, params, query, body and the caller) gets the
 *   stored response with `Idempotent-Replayed: true`; the route does not run, so nothing changes;
 * - the same key with another fingerprint: 422 `idempotency_key_reused`;
 * - a repeat while the first still runs: 409 `idempotency_request_in_progress`;
 * - a 4xx releases the key: Kluis refuses before or inside a transaction that rolls back, so the
 *   request changed nothing and may be retried, corrected, under the same key. A 5xx is stored
 *   like a success: whether the change committed is not known, so it is never run twice;
 * - keys expire 24 hours after the first request (the injected clock); a job removes them within
 *   the hour after (idempotency.jobs.ts), and a new reservation removes its business's expired ones.
 * A key is 1–255 visible ASCII characters, bare or as a quoted structured-field string; anything
 * else is 400 `idempotency_key_invalid`.
 */
import { AppError } from '../../domain/errors.ts';
import type { App } from '../app.ts';
import type { Services } from '../context.ts';
import { inTenant } from '../db/transactions.ts';
import { newId } from '../ids.ts';
import { enqueueKeyPurge } from '../modules/idempotency/idempotency.jobs.ts';
import {
  completeKey,
  type Reservation,
  releaseKey,
  reserveKey,
} from '../modules/idempotency/idempotency.repo.ts';

/** The request header's name. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** The response header on a replay. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key is remembered. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Creating calls: honour the Idempotency-Key header (server/http/idempotency.ts). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { tenantId: string; reservation: Reservation } | null;
  }
}

const KEY = /^[\x21\x23-\x5B\x5D-\x7E]{1,255}$/;

/** The key of a header value, or 400 `idempotency_key_invalid`. */
export function parseIdempotencyKey(raw: string | string[]): string {
  const value = Array.isArray(raw) ? undefined : raw.trim();
  const inner =
    value?.startsWith('"') && value.endsWith('"') && value.length > 1 ? value.slice(1, -1) : value;
  if (inner === undefined || !KEY.test(inner)) {
    throw new AppError(
      'invalid',
      'idempotency_key_invalid',
      'Idempotency-Key must be one value of 1 to 255 visible ASCII characters, e.g. a UUID',
    );
  }
  return inner;
}

/** JSON with sorted object keys, so the order of fields does not make another request. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** What makes two requests the same request: method, route, params, query, body, and the caller. */
export function requestFingerprint(parts: {
  method: string;
  route: string;
  params: unknown;
  query: unknown;
  body: unknown;
  actor: { type: string; id: string | null };
}): string {
  return canonical(parts);
}

/** Installs the hooks; routes opt in through their config. */
export function installIdempotency(app: App, services: Services): void {
  const { db, keyring, clock, log } = services;
  app.decorateRequest('idempotency', null);

  // After authentication and schema validation: a request that does not validate reserves nothing.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotent !== true) return;
    const raw = request.headers['idempotency-key'];
    if (raw === undefined) return;
    const key = parseIdempotencyKey(raw);
    const principal = request.principal;
    if (!principal) return;
    const fingerprint = requestFingerprint({
      method: request.method,
      route: request.routeOptions.url ?? '',
      params: request.params,
      query: request.query,
      body: request.body ?? null,
      actor: principal.actor,
    });
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS);
    const state = await inTenant(db, principal.tenantId, async (tx) => {
      const keys = await keyring.forTenant(tx, principal.tenantId);
      const found = await reserveKey(tx, keys, { id: newId(now), key, fingerprint, now, expiresAt });
      if (found.kind === 'reserved') await enqueueKeyPurge(tx, principal.tenantId, expiresAt, now);
      return found;
    });
    switch (state.kind) {
      case 'reserved':
        request.idempotency = { tenantId: principal.tenantId, reservation: state.reservation };
        return;
      case 'mismatch':
        throw new AppError(
          'unprocessable',
          'idempotency_key_reused',
          'This Idempotency-Key was used for a different request; use a new key',
        );
      case 'in_progress':
        throw new AppError(
          'conflict',
          'idempotency_request_in_progress',
          'A request with this Idempotency-Key is still being processed; retry later',
        );
      case 'completed': {
        const r = state.response;
        reply.code(r.statusCode).header(REPLAYED_HEADER, 'true');
        if (r.contentType) reply.type(r.contentType);
        if (r.location) reply.header('location', r.location);
        return reply.send(r.body);
      }
    }
  });

  // Before the response leaves: a retry that arrives once the client has it finds it stored.
  app.addHook('onSend', async (request, reply, payload) => {
    const held = request.idempotency;
    if (!held) return payload;
    request.idempotency = null;
    const status = reply.statusCode;
    try {
      await inTenant(db, held.tenantId, async (tx) => {
        const keys = await keyring.forTenant(tx, held.tenantId);
        if (status >= 400 && status < 500) return releaseKey(tx, keys, held.reservation);
        const header = (name: string) => {
          const v = reply.getHeader(name);
          return v === undefined ? null : String(v);
        };
        const body =
          typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
        return completeKey(tx, keys, held.reservation, {
          statusCode: status,
          contentType: header('content-type'),
          location: header('location'),
          body,
        });
      });
    } catch (err) {
      // The key stays in progress until it expires: never run a change twice. No body is logged.
      log.error({ err: (err as Error).message, requestId: String(request.id) }, 'idempotency store failed');
    }
    return payload;
  });
}
