/**
 * `/api/v1/audit-events`: the business's audit log for an auditor (issue 6 point 6). Thin: the
 * rules are audit-log.service.ts's.
 *
 * The view's response schema is the allow-list of what leaves: sequence number, id, time, actor
 * (type and id), action, target (type and id), request id and the event's `data` (which by the
 * catalogue's rule holds ids, counts, codes and hashes only). It never carries the chain's hashes
 * or MACs, and not the client IP address: the row holds it encrypted, it is the personal data of
 * the business's own people, and a search view (open to API clients with `audit:read`) does not
 * need it. The export, for owners and admins only and itself audited as `audit.exported`,
 * carries the decrypted address and the hashes so the auditor can recompute the chain.
 */
import { PassThrough } from 'node:stream';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { assertMayExport, exportAuditLogFor, listAuditLog } from './audit-log.service.ts';

const Query = Type.Object(
  {
    action: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'An exact action, or a prefix ending in a dot (`invoice.`)',
      }),
    ),
    actor: Type.Optional(Type.String({ maxLength: 100, description: 'The id of the acting user or client' })),
    entityId: Type.Optional(Type.String({ maxLength: 100, description: 'The id of the record acted on' })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601, inclusive' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601, exclusive' })),
    cursor: Type.Optional(Type.String({ maxLength: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const EventOut = Type.Object(
  {
    seq: Type.Integer(),
    id: Type.String(),
    occurredAt: Type.String(),
    actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
    action: Type.String(),
    target: Type.Union([Type.Object({ type: Type.String(), id: Nullable(Type.String()) }), Type.Null()]),
    requestId: Nullable(Type.String()),
    data: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  },
  { additionalProperties: false },
);

const PageOut = Type.Object({ items: Type.Array(EventOut), nextCursor: Nullable(Type.String()) });

/** Registers the audit log routes. */
export function auditLogRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/audit-events',
    { schema: { querystring: Query, response: { 200: PageOut } } },
    async (request) => {
      const page = await listAuditLog(ctxOf(request, services), request.query);
      return {
        items: page.items.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get('/api/v1/audit-events/export', async (request, reply) => {
    const ctx = ctxOf(request, services);
    assertMayExport(ctx);
    const out = new PassThrough();
    exportAuditLogFor(ctx, out).then(
      () => out.end(),
      (e: unknown) => {
        request.log.error({ err: e }, 'audit export failed');
        out.destroy(e instanceof Error ? e : new Error('audit export failed'));
      },
    );
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="kluis-audit-log.ndjson"')
      .header('cache-control', 'no-store')
      .send(out);
  });
}
