/**
 * `/api/v1/subscription`: the owner ends the subscription (return and/or deletion, retention
 * days), resumes it before the deadline, or confirms deletion now. Thin: the rules are
 * ending.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import {
  DEFAULT_RETENTION_DAYS,
  deleteNow,
  endSubscription,
  getSubscription,
  MAX_RETENTION_DAYS,
  resumeSubscription,
  type SubscriptionView,
} from './ending.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const SubscriptionOut = Type.Object({
  status: Type.String({ description: 'active, ending, shredded, purged, certified or deleted' }),
  ending: Type.Union([
    Type.Object({
      returnRequested: Type.Boolean(),
      deleteRequested: Type.Boolean(),
      exportId: Nullable(Type.String()),
      retentionDays: Type.Integer(),
      endedAt: Type.String(),
      deletionDeadline: Type.String(),
      resumedAt: Nullable(Type.String()),
    }),
    Type.Null(),
  ]),
  warning: Type.Object({ nl: Type.String(), en: Type.String() }),
  finalExport: Type.Object({ method: Type.String(), href: Type.String() }),
});

const EndIn = Type.Object(
  {
    return: Type.Optional(Type.Boolean({ description: 'Start an export of all data (the return)' })),
    delete: Type.Optional(Type.Boolean({ description: 'Delete at the deadline (default true)' })),
    retentionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RETENTION_DAYS })),
  },
  { additionalProperties: false },
);
const DeleteNowIn = Type.Object(
  { confirmation: Type.String({ maxLength: 100 }) },
  { additionalProperties: false },
);

function present(v: SubscriptionView) {
  return {
    ...v,
    ending: v.ending
      ? {
          ...v.ending,
          endedAt: v.ending.endedAt.toISOString(),
          deletionDeadline: v.ending.deletionDeadline.toISOString(),
          resumedAt: v.ending.resumedAt?.toISOString() ?? null,
        }
      : null,
  };
}

/** Registers the subscription routes; `retentionDays` is the configured default. */
export function endingRoutes(
  app: App,
  services: Services,
  options: { retentionDays: number } = { retentionDays: DEFAULT_RETENTION_DAYS },
): void {
  app.get('/api/v1/subscription', { schema: { response: { 200: SubscriptionOut } } }, async (request) =>
    present(await getSubscription(ctxOf(request, services))),
  );
  app.post(
    '/api/v1/subscription/end',
    { schema: { body: EndIn, response: { 200: SubscriptionOut } } },
    async (request) => present(await endSubscription(ctxOf(request, services), request.body ?? {}, options)),
  );
  app.post(
    '/api/v1/subscription/delete-now',
    { schema: { body: DeleteNowIn, response: { 200: SubscriptionOut } } },
    async (request) => present(await deleteNow(ctxOf(request, services), request.body)),
  );
  app.post(
    '/api/v1/subscription/resume',
    { schema: { response: { 200: SubscriptionOut } } },
    async (request) => present(await resumeSubscription(ctxOf(request, services))),
  );
}
