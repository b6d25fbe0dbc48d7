/**
 * CSV import and export of customers (Invoicing core point 4). The `text/csv` body parser and the
 * larger body limit live in their own plugin scope, so no other route accepts CSV.
 */
import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import { COLUMNS, customerToRow, EXPORT_HEADER } from './customers.csv.ts';
import { exportCustomers, importCustomers, MAX_IMPORT_ROWS } from './customers.transfer.service.ts';

/** Largest CSV file accepted: room for MAX_IMPORT_ROWS rows of a few hundred bytes. */
export const MAX_CSV_BYTES = 8 * 1024 * 1024;

const RowIssue = Type.Object({
  row: Type.Integer({ description: 'As a spreadsheet numbers it: the header is row 1' }),
  field: Type.String({ description: 'The API field, e.g. iban or address.postalCode' }),
  code: Type.String(),
  message: Type.String(),
});

const PreviewRow = Type.Object({
  row: Type.Integer(),
  kind: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  country: Type.Union([Type.String(), Type.Null()]),
  valid: Type.Boolean({ description: 'False when the row has a problem (see errors)' }),
});

const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  valid: Type.Integer(),
  created: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(RowIssue),
  skipped: Type.Integer({ description: 'Rows left out by skipInvalid' }),
  preview: Type.Array(PreviewRow, { description: 'The first 20 rows as read, before normalisation' }),
});

const HEADERS_DOC = COLUMNS.map((c) => `\`${c.headers.join('` / `')}\``).join('; ');

/** Registers POST /api/v1/customers/import and GET /api/v1/customers/export.csv. */
export function customersCsvRoutes(app: App, services: Services): void {
  app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string', bodyLimit: MAX_CSV_BYTES },
      (_request, body, done) => done(null, body),
    );

    scope.post(
      '/api/v1/customers/import',
      {
        bodyLimit: MAX_CSV_BYTES,
        config: { idempotent: true },
        schema: {
          summary: 'Import customers from CSV, or check the file first with dryRun=true',
          description:
            `A \`text/csv\` body (UTF-8, comma or semicolon) with a header line; at most ${MAX_IMPORT_ROWS} ` +
            'rows. Each row is checked like POST /api/v1/customers; every problem is reported with ' +
            'its row, field and code. A dry run changes nothing. A real import creates all rows in ' +
            'one transaction, or none if any row has a problem (400 validation_failed, issues at ' +
            'rows.<row>.<field>); with skipInvalid=true the valid rows are imported and the others left ' +
            'out, counted in skipped (a header problem still refuses the file). ' +
            `Headers, in English or Dutch, case and dashes ignored: ${HEADERS_DOC}. ` +
            'A missing kind means a company; kind accepts person/persoon/particulier and ' +
            'company/bedrijf/zakelijk; otherEmails are separated by spaces. The id, createdAt and ' +
            'updatedAt columns of an export are ignored.',
          consumes: ['text/csv'],
          querystring: Type.Object(
            {
              dryRun: Type.Optional(Type.Boolean({ default: false })),
              skipInvalid: Type.Optional(Type.Boolean({ default: false })),
            },
            { additionalProperties: false },
          ),
          body: Type.String({ description: 'The CSV file' }),
          response: { 200: ImportReport, 201: ImportReport },
        },
      },
      async (request, reply) => {
        const dryRun = request.query.dryRun === true;
        const skipInvalid = request.query.skipInvalid === true;
        const report = await importCustomers(ctxOf(request, services), request.body, { dryRun, skipInvalid });
        return reply.status(dryRun ? 200 : 201).send(report);
      },
    );

    scope.get(
      '/api/v1/customers/export.csv',
      {
        schema: {
          summary: 'Export all customers as CSV',
          description:
            `Columns: ${EXPORT_HEADER.join(', ')}. Cells that a spreadsheet would run as a formula ` +
            "(starting with = + - @) begin with a ' . Streamed; recorded as customer.exported.",
          produces: ['text/csv'],
          response: { 200: Type.String({ description: 'CSV, UTF-8, with a header line' }) },
        },
      },
      async (request, reply) => {
        const customers = await exportCustomers(ctxOf(request, services));
        const rows = Readable.from(
          (async function* () {
            for await (const c of customers) yield customerToRow(c);
          })(),
        );
        const csv = rows.pipe(stringify({ header: true, columns: [...EXPORT_HEADER] }));
        // A failure halfway (the database went away) ends the download early instead of hanging it.
        rows.on('error', (err) => csv.destroy(err));
        return (
          reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="customers.csv"')
            // The schema documents a string; a stream is sent as it is, never through the serialiser.
            .send(csv as unknown as string)
        );
      },
    );
  });
}
