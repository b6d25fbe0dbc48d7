/**
 * `/api/v1/exports`: an owner or admin starts an export of all of the business's data (202), reads
 * its progress, and downloads the archive through the signed link the progress shows once it is
 * ready. Thin: the rules are exports.service.ts's.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { downloadExport, type ExportView, getExport, requestExport } from './exports.service.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
const LinkQuery = Type.Object(
  { expires: Type.Integer({ minimum: 0 }), sig: Type.String({ maxLength: 128 }) },
  { additionalProperties: false },
);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const ExportOut = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'queued, running, ready, failed or expired' }),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
  bytes: Type.Union([Type.Integer(), Type.Null()]),
  sha256: Nullable(Type.String()),
  errorCode: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  download: Type.Union([Type.Object({ url: Type.String(), expiresAt: Type.String() }), Type.Null()]),
});

function present(e: ExportView) {
  return {
    id: e.id,
    status: e.status,
    progress: e.progress,
    bytes: e.bytes,
    sha256: e.sha256,
    errorCode: e.errorCode,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    expiresAt: e.expiresAt?.toISOString() ?? null,
    download: e.download ? { url: e.download.url, expiresAt: e.download.expiresAt.toISOString() } : null,
  };
}

/** Registers the export routes. */
export function exportsRoutes(app: App, services: Services): void {
  app.post('/api/v1/exports', { schema: { response: { 202: ExportOut } } }, async (request, reply) =>
    reply.code(202).send(present(await requestExport(ctxOf(request, services)))),
  );
  app.get(
    '/api/v1/exports/:id',
    { schema: { params: IdParams, response: { 200: ExportOut } } },
    async (request) => present(await getExport(ctxOf(request, services), request.params.id)),
  );
  app.get(
    '/api/v1/exports/:id/download',
    { schema: { params: IdParams, querystring: LinkQuery } },
    async (request, reply) => {
      const { stream } = await downloadExport(ctxOf(request, services), request.params.id, request.query);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="kluis-export-${request.params.id}.zip"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
