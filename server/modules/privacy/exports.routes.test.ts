/**
 * Export at any time (Privacy center point 9): an owner starts an export, a durable job writes it
 * with visible progress, the archive (unzipped here) holds every entity with the right content and
 * nothing of another business, the link is signed and expires with the archive, whose blob is then
 * deleted. Viewers are refused and another business's export answers 404.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Ctx } from '../../context.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import type { TestServices } from '../../test/harness.ts';
import { createCustomer } from '../customers/customers.service.ts';
import { createInvoice, issueInvoice } from '../invoices/index.ts';
import { auditActions, prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { createExportArchive } from './export-archive.ts';
import { EXPORT_TTL_MS, registerExportJobs } from './exports.service.ts';

let t: ApiTest;
let s: TestServices;
let a: Ctx;
let b: Ctx;
let runner: JobRunner;
let invoiceId: string;
let invoiceNumber: string;

const B_CUSTOMER = 'Zuivelhandel Van Buuren';

before(async () => {
  t = await openApiTest();
  ({ s, a, b } = t);
  runner = registerExportJobs(new JobRunner(s, { workerId: 'export-test' }));
  const customerId = await prepareBusiness(a);
  await createCustomer(a, {
    kind: 'person',
    name: 'Anna de Vries',
    email: 'anna@example.nl',
    iban: 'NL91ABNA0417164300',
  });
  const draft = await createInvoice(a, workedExample(customerId));
  const issued = await issueInvoice(a, draft.id);
  invoiceId = issued.id;
  invoiceNumber = issued.number ?? '';
  await createInvoice(a, workedExample(customerId)); // a draft: exported as data, without documents
  const bCustomer = await prepareBusiness(b);
  await createCustomer(b, { kind: 'company', name: B_CUSTOMER, email: 'kaas@buuren.example' });
  await issueInvoice(b, (await createInvoice(b, workedExample(bCustomer))).id);
});
after(() => t.close());

type ExportBody = {
  id: string;
  status: string;
  progress: { done: number; total: number };
  download: { url: string; expiresAt: string } | null;
};

describe('exports', () => {
  let exp: ExportBody;
  let files: Record<string, Uint8Array>;

  test('an owner starts an export; it is queued, and a job writes it with its progress', async () => {
    const started = await t.call('POST', '/api/v1/exports', t.ownerA);
    assert.equal(started.statusCode, 202, started.body);
    exp = started.json();
    assert.equal(exp.status, 'queued');
    assert.equal(exp.download, null);

    assert.ok((await runner.runDueJobs()) >= 1);
    const done = await t.call('GET', `/api/v1/exports/${exp.id}`, t.ownerA);
    assert.equal(done.statusCode, 200);
    exp = done.json();
    assert.equal(exp.status, 'ready');
    assert.ok(exp.progress.total > 10);
    assert.equal(exp.progress.done, exp.progress.total);
    assert.ok(exp.download?.url.startsWith(`/api/v1/exports/${exp.id}/download?`));
    assert.equal(new Date(exp.download?.expiresAt ?? 0).getTime(), s.clock.now().getTime() + EXPORT_TTL_MS);
  });

  test('progress is reported part by part, up to the total', async () => {
    const seen: [number, number][] = [];
    const stream = await createExportArchive(s, a.tenantId, async (d, total) => {
      seen.push([d, total]);
    });
    for await (const _ of stream) {
      // drain: reading drives the work
    }
    const total = seen[0]?.[1] ?? 0;
    assert.deepEqual(
      seen.map(([d]) => d),
      Array.from({ length: total + 1 }, (_, i) => i),
    );
  });

  test('the download link gives the archive, and the download is audited', async () => {
    const res = await t.call('GET', exp.download?.url ?? '', t.ownerA);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/zip');
    files = unzipSync(new Uint8Array(res.rawPayload));
    assert.deepEqual(await auditActions(a, exp.id), ['export.requested', 'export.downloaded']);
  });

  test('every entity is there, decrypted, as JSON and CSV, with a schema', () => {
    const json = (name: string) =>
      JSON.parse(strFromU8(files[name] ?? new Uint8Array())) as Record<string, unknown>[];
    const text = (name: string) => strFromU8(files[name] ?? new Uint8Array());

    const [tenant] = json('data/tenants.json');
    assert.equal(tenant?.name, 'A');
    assert.equal(tenant?.id, a.tenantId);

    const customers = json('data/customers.json');
    assert.deepEqual(customers.map((c) => c.name).sort(), ['Anna de Vries', 'Bakkerij De Korf B.V.']);
    const anna = customers.find((c) => c.name === 'Anna de Vries');
    assert.equal(anna?.email, 'anna@example.nl');
    assert.equal(anna?.iban, 'NL91ABNA0417164300');
    assert.ok(!('iban_bidx' in (anna ?? {})) && !('email_bidx' in (anna ?? {})), 'blind indexes never leave');

    const invoices = json('data/invoices.json');
    assert.equal(invoices.length, 2);
    const issued = invoices.find((i) => i.id === invoiceId);
    assert.equal(issued?.number, invoiceNumber);
    assert.equal(issued?.buyer_name, 'Bakkerij De Korf B.V.');
    assert.equal(issued?.seller_name, 'Testbedrijf B.V.');
    assert.equal(issued?.payable_minor, 25715);
    const lines = json('data/invoice_lines.json').filter((l) => l.invoice_id === invoiceId);
    assert.deepEqual(lines.map((l) => l.description).sort(), ['Advies', 'Broodjes']);

    const [settings] = json('data/invoice_settings.json');
    assert.equal(settings?.seller_name, 'Testbedrijf B.V.');
    assert.equal(settings?.seller_iban, 'NL91ABNA0417164300');

    const csv = text('data/customers.csv');
    assert.match(csv.split('\n')[0] ?? '', /^tenant_id,id,kind,name,/);
    assert.match(csv, /Anna de Vries/);

    const members = json('members.json');
    assert.equal(members.length, 1);
    assert.equal(members[0]?.role, 'owner');
    assert.ok(!JSON.stringify(members).includes('password'));

    assert.equal(text(`documents/${invoiceId}.pdf`).slice(0, 5), '%PDF-');
    assert.match(text(`documents/${invoiceId}.ubl.xml`), new RegExp(`<cbc:ID>${invoiceNumber}</cbc:ID>`));
    assert.equal(
      Object.keys(files).filter((f) => f.startsWith('documents/')).length,
      2,
      'drafts have no documents',
    );

    const audit = text('audit/audit-log.ndjson').trim().split('\n');
    const last = JSON.parse(audit.at(-1) ?? '{}') as { verification?: { ok: boolean } };
    assert.equal(last.verification?.ok, true);
    assert.ok(audit.some((l) => l.includes('"invoice.issued"')));

    const schema = JSON.parse(text('schema.json')) as {
      files: Record<string, string>;
      tables: Record<string, { columns: { name: string; personal?: boolean }[] }>;
    };
    for (const name of Object.keys(files).filter((f) => f.startsWith('data/'))) {
      assert.ok(name in schema.files, `${name} is described`);
    }
    assert.equal(schema.tables.customers?.columns.find((c) => c.name === 'iban')?.personal, true);
    assert.ok(!('tenant_keys' in schema.tables), 'key material never leaves');
    assert.ok(files['README.txt']);
  });

  test("another business's data is absent", () => {
    for (const [name, bytes] of Object.entries(files)) {
      const body = Buffer.from(bytes).toString('latin1');
      assert.ok(!body.includes(B_CUSTOMER), `${name} holds nothing of B`);
      assert.ok(!body.includes(b.tenantId), `${name} holds nothing of B`);
    }
  });

  test("another business's export answers 404; a viewer gets 403; a bad signature 403", async () => {
    assert.equal((await t.call('GET', `/api/v1/exports/${exp.id}`, t.ownerB)).statusCode, 404);
    assert.equal((await t.call('GET', exp.download?.url ?? '', t.ownerB)).statusCode, 404);
    const viewer = await t.tokenFor(a, 'viewer');
    const post = await t.call('POST', '/api/v1/exports', viewer);
    assert.equal(post.statusCode, 403);
    assert.equal((await t.call('GET', `/api/v1/exports/${exp.id}`, viewer)).statusCode, 403);
    assert.equal((await t.call('GET', exp.download?.url ?? '', viewer)).statusCode, 403);
    const forged = (exp.download?.url ?? '').replace(/sig=[0-9a-f]/, (m) =>
      m.endsWith('0') ? 'sig=1' : 'sig=0',
    );
    const bad = await t.call('GET', forged, t.ownerA);
    assert.equal(bad.statusCode, 403);
    assert.equal(bad.json().error.code, 'export_link_invalid');
    const stretched = (exp.download?.url ?? '').replace(
      /expires=(\d+)/,
      (_, n) => `expires=${Number(n) + 3600}`,
    );
    assert.equal((await t.call('GET', stretched, t.ownerA)).json().error.code, 'export_link_invalid');
    assert.equal((await t.call('GET', '/api/v1/exports/not-a-uuid', t.ownerA)).statusCode, 404);
  });

  test('the link expires with the archive, whose encrypted blob is then deleted', async () => {
    const stored = await s.blobs.list(a.tenantId, 'exports/');
    assert.deepEqual(stored, [`exports/${exp.id}.zip`]);
    s.clock.advance(EXPORT_TTL_MS + 1000);
    const owner = await t.tokenFor(a, 'owner'); // the first owner's token expired meanwhile
    const late = await t.call('GET', exp.download?.url ?? '', owner);
    assert.equal(late.statusCode, 403);
    assert.equal(late.json().error.code, 'export_link_expired');
    assert.equal((await t.call('GET', `/api/v1/exports/${exp.id}`, owner)).json().download, null);

    assert.ok((await runner.runDueJobs()) >= 1);
    assert.deepEqual(await s.blobs.list(a.tenantId, 'exports/'), []);
    const after = (await t.call('GET', `/api/v1/exports/${exp.id}`, owner)).json();
    assert.equal(after.status, 'expired');
    assert.deepEqual(await auditActions(a, exp.id), [
      'export.requested',
      'export.downloaded',
      'export.expired',
    ]);
  });
  test('progress is visible through the API while the job writes the archive', async () => {
    const owner = await t.tokenFor(a, 'owner');
    const started: ExportBody = (await t.call('POST', '/api/v1/exports', owner)).json();
    const seen: { status: string; done: number; total: number }[] = [];
    const put = s.blobs.put.bind(s.blobs);
    // Between the archive's chunks, ask the API what it shows (each read is awaited, so this is deterministic).
    s.blobs.put = async (keys, key, data) => {
      if (Buffer.isBuffer(data)) return put(keys, key, data);
      const observed = new PassThrough();
      const pump = (async () => {
        for await (const chunk of data) {
          const now: ExportBody = (await t.call('GET', `/api/v1/exports/${started.id}`, owner)).json();
          seen.push({ status: now.status, ...now.progress });
          observed.write(chunk);
        }
        observed.end();
      })();
      await Promise.all([put(keys, key, observed), pump]);
    };
    try {
      assert.ok((await runner.runDueJobs()) >= 1);
    } finally {
      s.blobs.put = put;
    }
    assert.ok(
      seen.some((p) => p.status === 'running' && p.done > 0 && p.done < p.total),
      JSON.stringify(seen),
    );
    const done: ExportBody = (await t.call('GET', `/api/v1/exports/${started.id}`, owner)).json();
    assert.equal(done.status, 'ready');
  });
});
