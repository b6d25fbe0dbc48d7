/**
 * `/api/v1/outbox`: owners and admins list and open the mails Kluis kept for their business instead
 * of sending them (no SMTP_URL). Thin: the rules are outbox.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { getBusinessMail, listBusinessOutbox, type OutboxEntry } from './outbox.service.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const EntryOut = Type.Object({
  id: Type.String(),
  date: Nullable(Type.String()),
  to: Type.Array(Type.String()),
  subject: Type.String(),
});
const MailOut = Type.Object({
  id: Type.String(),
  date: Nullable(Type.String()),
  from: Nullable(Type.String()),
  to: Type.Array(Type.String()),
  subject: Type.String(),
  text: Type.String(),
  html: Nullable(Type.String()),
  attachments: Type.Array(
    Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() }),
  ),
});

const iso = <T extends OutboxEntry>(e: T) => ({ ...e, date: e.date?.toISOString() ?? null });

/** Registers the outbox routes. */
export function outboxRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/outbox',
    { schema: { response: { 200: Type.Object({ items: Type.Array(EntryOut) }) } } },
    async (request) => ({ items: (await listBusinessOutbox(ctxOf(request, services))).map(iso) }),
  );
  app.get(
    '/api/v1/outbox/:id',
    { schema: { params: IdParams, response: { 200: MailOut } } },
    async (request) => iso(await getBusinessMail(ctxOf(request, services), request.params.id)),
  );
}
