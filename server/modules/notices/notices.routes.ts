/**
 * `/api/v1/notices`: the app's notices area — the data-protection contact's state (banner), the
 * agreement gate, and the business's notices, unread first; `POST …/{id}/read` marks one read.
 * Any member of the business. Thin: the rules are notices.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { isoDate } from '../legal/documents.ts';
import { DEFAULT_LEGAL_SETTINGS, type LegalSettings } from '../legal/legal.settings.ts';
import { listNotices, markNoticeRead, type NoticeView } from './notices.service.ts';

const NoticeOut = Type.Object({
  id: Type.String(),
  kind: Type.Union([
    Type.Literal('subprocessor_announced'),
    Type.Literal('breach_notice'),
    Type.Literal('agreement_version'),
    Type.Literal('subject_request'),
  ]),
  subjectId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  subprocessor: Type.Union([
    Type.Object({ name: Type.String(), purpose: Type.String(), effectiveFrom: Type.String() }),
    Type.Null(),
  ]),
});
const NoticesOut = Type.Object({
  contact: Type.Union([Type.Literal('ok'), Type.Literal('missing'), Type.Literal('reconfirm_due')]),
  agreement: Type.Object({
    version: Type.String(),
    date: Type.String(),
    mustAccept: Type.Boolean(),
    canAccept: Type.Boolean(),
  }),
  unread: Type.Integer(),
  items: Type.Array(NoticeOut),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

function present(n: NoticeView) {
  return {
    id: n.id,
    kind: n.kind,
    subjectId: n.subjectId,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
    subprocessor: n.subprocessor
      ? {
          name: n.subprocessor.name,
          purpose: n.subprocessor.purpose,
          effectiveFrom: isoDate(n.subprocessor.effectiveFrom),
        }
      : null,
  };
}

/** Registers the notices routes. */
export function noticesRoutes(
  app: App,
  services: Services,
  settings: LegalSettings = DEFAULT_LEGAL_SETTINGS,
): void {
  app.get(
    '/api/v1/notices',
    {
      schema: {
        summary: "The business's notices (unread first), the contact banner state and the agreement gate",
        response: { 200: NoticesOut },
      },
    },
    async (request) => {
      const v = await listNotices(ctxOf(request, services), settings.agreement);
      return { ...v, items: v.items.map(present) };
    },
  );
  app.post(
    '/api/v1/notices/:id/read',
    {
      schema: {
        summary: 'Mark a notice read for the business',
        params: IdParams,
        response: { 200: NoticeOut },
      },
    },
    async (request) => present(await markNoticeRead(ctxOf(request, services), request.params.id)),
  );
}
