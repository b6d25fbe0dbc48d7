/**
 * CSV import and export of customers (Invoicing core point 4), through the real app: a dry run
 * reports every problem by row, field and code and changes nothing; a real import is all or
 * nothing, in one transaction, audited; 5,000 rows import; the export streams every customer of
 * the business only, audited as a bulk read, with spreadsheet formulas neutralised.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { verifyAuditChain } from '../../audit/verify.ts';
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant } from '../../test/harness.ts';

let t: ApiTest;

before(async () => {
  t = await openApiTest();
});
after(() => t.close());

/** A business of its own with an owner token, so counts are exact. */
async function business(name: string): Promise<{ ctx: Ctx; token: string }> {
  const ctx = await makeTenant(t.s, name);
  return { ctx, token: await t.tokenFor(ctx, 'owner') };
}

const importCsv = (token: string, csv: string, query = '', type = 'text/csv') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/customers/import${query}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    payload: csv,
  });

const exportCsv = (token: string) =>
  t.app.inject({
    method: 'GET',
    url: '/api/v1/customers/export.csv',
    headers: { authorization: `Bearer ${token}` },
  });

async function countCustomers(ctx: Ctx): Promise<number> {
  const [row] = await inTenant(t.s.db, ctx.tenantId, (tx) =>
    queryRows<{ n: string }>(tx, sql`SELECT count(*) AS n FROM customers`),
  );
  return Number(row?.n);
}

async function auditCount(ctx: Ctx, action: string): Promise<number> {
  const [row] = await inTenant(t.s.db, ctx.tenantId, (tx) =>
    queryRows<{ n: string }>(tx, sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action}`),
  );
  return Number(row?.n);
}

const DUTCH = [
  'Naam;Soort;E-mail;IBAN;BTW-nummer;KvK;Straat;Postcode;Plaats;Land;Taal;Betaaltermijn',
  'Bakkerij De Korf B.V.;bedrijf;administratie@dekorf.example;NL91ABNA0417164300;NL004495445B01;12345678;Dorpsstraat 1;1234 AB;Amsterdam;nl;Nederlands;14',
  'Jan Jansen;particulier;jan@example.nl;;;;Laan 3;2345 CD;Leiden;NL;engels;',
  '',
  'Foute Boel;bedrijf;geen-adres;NL91ABNA0417164301;111222333;1234;Weg 1;0123 SA;Utrecht;NL;;dertig',
  ';bedrijf;;;;;;;;;;',
].join('\r\n');

describe('POST /api/v1/customers/import', () => {
  test('a dry run reports every problem by row, field and code, and changes nothing', async () => {
    const { ctx, token } = await business('Dry run');
    const res = await importCsv(token, DUTCH, '?dryRun=true');
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json();
    assert.equal(report.dryRun, true);
    assert.equal(report.rows, 4, 'the empty line is not a row');
    assert.equal(report.valid, 2);
    assert.equal(report.created, 0);
    const got = report.errors.map(
      (e: { row: number; field: string; code: string }) => `${e.row} ${e.field} ${e.code}`,
    );
    assert.deepEqual(got.sort(), ['5 paymentTermDays schema_type', '6 name schema_minLength'].sort());
    // Row 5 fails the schema (the term is text), so fix that and the API's rules speak next.
    const rules = await importCsv(token, DUTCH.replace(';dertig', ';30'), '?dryRun=true');
    const ruleIssues = rules.json().errors.filter((e: { row: number }) => e.row === 5);
    assert.deepEqual(
      Object.fromEntries(ruleIssues.map((e: { field: string; code: string }) => [e.field, e.code])),
      {
        email: 'email_format',
        iban: 'iban_checksum',
        vatNumber: 'vat_number_is_bsn',
        kvkNumber: 'kvk_format',
        'address.postalCode': 'postal_code_format',
      },
      'the same rules and codes as POST /api/v1/customers',
    );
    assert.equal(await countCustomers(ctx), 0, 'a dry run changes nothing');
    assert.equal(await auditCount(ctx, 'customer.imported'), 0);
  });

  test('a dry run previews the first rows as read, each marked valid or not', async () => {
    const { token } = await business('Preview');
    const res = await importCsv(token, DUTCH, '?dryRun=true');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      res
        .json()
        .preview.map((p: { row: number; name: string; city: string | null; valid: boolean }) => [
          p.row,
          p.name,
          p.city,
          p.valid,
        ]),
      [
        [2, 'Bakkerij De Korf B.V.', 'Amsterdam', true],
        [3, 'Jan Jansen', 'Leiden', true],
        [5, 'Foute Boel', 'Utrecht', false],
        [6, '', null, false],
      ],
    );
    assert.equal(res.json().preview[0].email, 'administratie@dekorf.example');
  });

  test('skipInvalid imports the valid rows only, counts the rest as skipped, and audits both', async () => {
    const { ctx, token } = await business('Skipping');
    const res = await importCsv(token, DUTCH, '?skipInvalid=true');
    assert.equal(res.statusCode, 201, res.body);
    const report = res.json();
    assert.deepEqual(
      [report.rows, report.valid, report.created, report.skipped, report.errorCount],
      [4, 2, 2, 2, 2],
    );
    const names = (await t.call('GET', '/api/v1/customers', token))
      .json()
      .items.map((c: { name: string }) => c.name);
    assert.deepEqual(names.sort(), ['Bakkerij De Korf B.V.', 'Jan Jansen']);
    assert.equal(await auditCount(ctx, 'customer.created'), 2);
    assert.equal(await auditCount(ctx, 'customer.imported'), 1);

    // A broken header still refuses the whole file: then no row can be trusted.
    const broken = await importCsv(token, DUTCH.replace('Naam;', 'Naam;Naam;'), '?skipInvalid=true');
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'validation_failed');
    // Only bad rows: nothing to import.
    const none = await importCsv(token, ['Naam;Betaaltermijn', 'X;dertig'].join('\n'), '?skipInvalid=true');
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error.code, 'csv_no_rows');
    assert.equal(await countCustomers(ctx), 2, 'the refused files changed nothing');
  });

  test('a real import with any problem imports nothing (400 with issues at rows.<row>.<field>)', async () => {
    const { ctx, token } = await business('Refused');
    const res = await importCsv(token, DUTCH);
    assert.equal(res.statusCode, 400);
    const { code, issues } = res.json().error;
    assert.equal(code, 'validation_failed');
    assert.ok(issues.some((i: { path: string }) => i.path === 'rows.5.paymentTermDays'));
    assert.equal(await countCustomers(ctx), 0, 'all or nothing');
  });

  test('a clean file imports in one transaction, normalised like the API, each customer audited', async () => {
    const { ctx, token } = await business('Clean');
    const clean = DUTCH.split('\r\n').slice(0, 3).join('\n');
    const res = await importCsv(token, clean);
    assert.equal(res.statusCode, 201, res.body);
    const { preview, ...counts } = res.json();
    assert.deepEqual(counts, {
      dryRun: false,
      rows: 2,
      valid: 2,
      created: 2,
      errorCount: 0,
      errors: [],
      skipped: 0,
    });
    assert.equal(preview.length, 2);
    const list = (await t.call('GET', '/api/v1/customers', token)).json().items;
    const korf = list.find((c: { name: string }) => c.name === 'Bakkerij De Korf B.V.');
    assert.equal(korf.kind, 'company');
    assert.equal(korf.address.country, 'NL');
    assert.equal(korf.paymentTermDays, 14);
    assert.equal(list.find((c: { name: string }) => c.name === 'Jan Jansen').language, 'en');
    assert.equal(await auditCount(ctx, 'customer.imported'), 1);
    assert.equal(await auditCount(ctx, 'customer.created'), 2);
  });

  test('5,000 rows import in one call', async () => {
    const { ctx, token } = await business('Bulk');
    const lines = ['name,email,kvkNumber,postalCode,city,country'];
    for (let i = 0; i < 5000; i++) {
      lines.push(`Klant ${i} B.V.,klant${i}@example.nl,${10_000_000 + i},1234 AB,Amsterdam,NL`);
    }
    const csv = lines.join('\n');
    const dry = await importCsv(token, csv, '?dryRun=true');
    assert.equal(dry.json().valid, 5000);
    const started = performance.now();
    const res = await importCsv(token, csv);
    const ms = performance.now() - started;
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().created, 5000);
    t.s.log.info({ rows: 5000, ms: Math.round(ms) }, 'customers csv import measured');
    console.log(`# 5,000-row customer import: ${Math.round(ms)} ms`);
    assert.equal(await countCustomers(ctx), 5000);
    assert.equal(await auditCount(ctx, 'customer.created'), 5000);
    // Appended in bulk, the chain is the same chain: verification finds every event intact.
    const chain = await verifyAuditChain(t.s, ctx.tenantId);
    assert.equal(chain.ok, true, JSON.stringify(chain.firstBroken));
    assert.ok(chain.events > 5000);

    const exported = await exportCsv(token);
    assert.equal(exported.statusCode, 200);
    const rows = parse(exported.body, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 5000, 'every customer, across export pages, once');
    assert.equal(new Set(rows.map((r) => r.id)).size, 5000);
  });

  test('header problems: unknown and duplicate columns, no name column', async () => {
    const { token } = await business('Headers');
    const res = await importCsv(token, 'naam,name,favourite colour\nA,B,blue', '?dryRun=true');
    const got = res
      .json()
      .errors.map((e: { row: number; field: string; code: string }) => `${e.row} ${e.field} ${e.code}`);
    assert.deepEqual(got, ['1 favourite colour unknown_column', '1 name duplicate_column']);
    const none = await importCsv(token, 'email\nx@example.nl', '?dryRun=true');
    assert.deepEqual(none.json().errors[0], {
      row: 1,
      field: 'name',
      code: 'column_missing',
      message: 'A name (naam) column is needed',
    });
  });

  test('malformed CSV, too many rows, an empty file and JSON are refused with clear codes', async () => {
    const { ctx, token } = await business('Malformed');
    const bad = await importCsv(token, 'name,email\n"Open quote,x@example.nl\n');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'csv_malformed');
    const big = await importCsv(token, `name\n${'Klant\n'.repeat(10_001)}`, '?dryRun=true');
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'import_too_many_rows');
    const empty = await importCsv(token, '');
    assert.equal(empty.statusCode, 400);
    const json = await importCsv(token, JSON.stringify({ name: 'x' }), '', 'application/json');
    assert.equal(json.statusCode, 400);
    const headerOnly = await importCsv(token, 'name\n');
    assert.equal(headerOnly.json().error.code, 'csv_no_rows');
    assert.equal(await countCustomers(ctx), 0);
  });

  test('a viewer may export but not import; import needs customers:write', async () => {
    const { ctx } = await business('Roles');
    const viewer = await t.tokenFor(ctx, 'viewer');
    const res = await importCsv(viewer, 'name\nA', '?dryRun=true');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'insufficient_permission');
    assert.equal((await exportCsv(viewer)).statusCode, 200);
  });
});

describe('GET /api/v1/customers/export.csv', () => {
  test('streams this business’s customers only, neutralises formulas, imports back, and is audited', async () => {
    const { ctx, token } = await business('Export');
    const risky = {
      kind: 'company',
      name: '=HYPERLINK("http://evil.example","klik")',
      phone: '+31 20 123 4567',
      reference: '@SUM(A1)',
      notes: '-2+3',
      otherEmails: ['a@example.nl', 'b@example.nl'],
    };
    assert.equal((await t.call('POST', '/api/v1/customers', token, risky)).statusCode, 201);
    assert.equal(
      (await t.call('POST', '/api/v1/customers', token, { kind: 'person', name: 'Gewoon; "quoted"' }))
        .statusCode,
      201,
    );
    await t.call('POST', '/api/v1/customers', t.ownerB, { kind: 'person', name: 'Van B' });

    const res = await exportCsv(token);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="customers.csv"/);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 2, "only this business's customers");
    assert.ok(!res.body.includes('Van B'));
    const r = rows.find((x) => x.name?.includes('HYPERLINK'));
    assert.equal(r?.name, `'${risky.name}`);
    assert.equal(r?.phone, "'+31 20 123 4567");
    assert.equal(r?.reference, "'@SUM(A1)");
    assert.equal(r?.notes, "'-2+3");
    assert.equal(r?.otherEmails, 'a@example.nl b@example.nl');
    assert.equal(rows.find((x) => x.kind === 'person')?.name, 'Gewoon; "quoted"');
    assert.equal(await auditCount(ctx, 'customer.exported'), 1);

    // The export imports back as it is: the same values, formulas restored, extra columns ignored.
    const back = await importCsv(token, res.body, '?dryRun=true');
    assert.deepEqual(back.json().errors, []);
    assert.equal(back.json().valid, 2);
    const { ctx: other, token: otherToken } = await business('Round trip');
    assert.equal((await importCsv(otherToken, res.body)).statusCode, 201);
    const copied = (await t.call('GET', '/api/v1/customers', otherToken)).json().items;
    const copy = copied.find((c: { name: string }) => c.name.includes('HYPERLINK'));
    assert.equal(copy.name, risky.name);
    assert.equal(copy.phone, risky.phone);
    assert.deepEqual(copy.otherEmails, risky.otherEmails);
    assert.equal(await countCustomers(other), 2);
  });
});
