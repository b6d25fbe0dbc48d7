/** The archive of a period (issue 5 point 6): one streamed ZIP of the PDFs and UBL files of the issued invoices in it. */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { invoiceArchive } from './archive.service.ts';

const ArchiveQuery = Type.Object(
  { from: Type.String({ maxLength: 10 }), to: Type.String({ maxLength: 10 }) },
  { additionalProperties: false },
);

/** Registers GET /api/v1/invoices/archive.zip. */
export function archiveRoutes(app: App, services: Services): void {
  app.get(
    '/api/v1/invoices/archive.zip',
    { schema: { querystring: ArchiveQuery } },
    async (request, reply) => {
      const { from, to } = request.query;
      const { stream } = await invoiceArchive(ctxOf(request, services), { from, to });
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="invoices-${from}-${to}.zip"`)
        .send(stream);
    },
  );
}
