/**
 * The archive of a period (issue 5 point 6): `GET /api/v1/invoices/archive.zip?from&to` streams one
 * ZIP with the stored PDF and the UBL of each issued invoice dated in the period — no drafts, nothing
 * outside the period, nothing of another business — and audits the bulk read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { BlobStore } from '../../blobs/blob-store.ts';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant, type TestServices } from '../../test/harness.ts';
import { invoiceArchive } from './archive.service.ts';
import { pdfBlobKey } from './documents.service.ts';
import { SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let s: TestServices;
let a: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];
let keysA: TenantKeys;

before(async () => {
  t = await openApiTest();
  ({ s, a, ownerA, ownerB, call } = t);
  await setInvoiceSettings(a, SELLER);
  await setInvoiceSettings(t.b, SELLER);
  keysA = await inTenant(s.db, a.tenantId, (tx) => s.keyring.forTenant(tx, a.tenantId));
});
after(() => t.close());

const COMPANY = {
  kind: 'company',
  name: 'Bakkerij De Korf B.V.',
  email: 'administratie@dekorf.example',
  address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
};
const CONSUMER = {
  kind: 'person',
  name: 'J. de Boer',
  address: { street: 'Lindelaan 4', postalCode: '9712 AA', city: 'Groningen', country: 'NL' },
};

/** An invoice for a new customer dated `issueDate`; issued unless `draft`. */
async function invoiceOn(
  token: string,
  customer: object,
  issueDate: string,
  draft = false,
): Promise<{ id: string; number: string }> {
  const c = await call('POST', '/api/v1/customers', token, customer);
  assert.equal(c.statusCode, 201, c.body);
  const res = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    issueDate,
    currency: 'EUR',
    lines: [{ description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' }],
  });
  assert.equal(res.statusCode, 201, res.body);
  if (draft) return res.json();
  const issued = await call('POST', `/api/v1/invoices/${res.json().id}/issue`, token);
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json();
}

const archive = (token: string, query: string) => call('GET', `/api/v1/invoices/archive.zip?${query}`, token);

describe('GET /api/v1/invoices/archive.zip', () => {
  test('holds the PDF and UBL of each issued invoice of the period, and nothing else', async () => {
    const company = await invoiceOn(ownerA, COMPANY, '2026-11-02');
    const consumer = await invoiceOn(ownerA, CONSUMER, '2026-11-30');
    const earlier = await invoiceOn(ownerA, COMPANY, '2026-10-31');
    const draft = await invoiceOn(ownerA, COMPANY, '2026-11-10', true);
    const theirs = await invoiceOn(ownerB, COMPANY, '2026-11-15');
    const credit = await call('POST', `/api/v1/invoices/${company.id}/credit-notes`, ownerA, {});
    assert.equal(credit.statusCode, 201, credit.body);
    const note = await call('POST', `/api/v1/invoices/${credit.json().id}/issue`, ownerA);
    assert.equal(note.statusCode, 200, note.body);
    const noteNumber: string = note.json().number;
    const noteDate: string = note.json().issueDate;

    const res = await archive(ownerA, 'from=2026-11-01&to=2026-11-30');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(String(res.headers['content-disposition']), /invoices-2026-11-01-2026-11-30\.zip/);
    const entries = unzipSync(new Uint8Array(res.rawPayload));
    const expected = [
      `${company.number}.pdf`,
      `${company.number}-nlcius.xml`,
      `${consumer.number}.pdf`,
      ...(noteDate <= '2026-11-30' ? [`${noteNumber}.pdf`, `${noteNumber}-nlcius.xml`] : []),
    ];
    assert.deepEqual(Object.keys(entries).sort(), expected.sort());
    assert.deepEqual(
      Buffer.from(entries[`${company.number}.pdf`] ?? []),
      await s.blobs.get(keysA, pdfBlobKey(company.id)),
      'the stored PDF, byte for byte',
    );
    const ubl = Buffer.from(entries[`${company.number}-nlcius.xml`] ?? []).toString('utf8');
    assert.match(ubl, new RegExp(`<cbc:ID>${company.number}</cbc:ID>`));
    // Not in it: the draft, the invoice of October, and business B's invoice (it has A's numbers' shape).
    const names = Object.keys(entries).join(' ');
    assert.ok(!names.includes(earlier.number), 'outside the period');
    assert.ok(!names.includes(draft.id), 'a draft');
    for (const data of Object.values(entries)) {
      assert.ok(!Buffer.from(data).includes(theirs.id), "another business's invoice");
    }

    const [event] = await s.db.asOwner<{ data: Record<string, unknown> }>(
      "SELECT data FROM audit_events WHERE tenant_id = $1 AND action = 'invoice.exported' ORDER BY seq DESC LIMIT 1",
      [a.tenantId],
    );
    assert.deepEqual(event?.data, { from: '2026-11-01', to: '2026-11-30', invoices: expected.length - 2 });
  });

  test("business B's archive holds only B's invoices; a viewer may download", async () => {
    const res = await archive(ownerB, 'from=2026-01-01&to=2026-12-31');
    assert.equal(res.statusCode, 200);
    const ownB = await s.db.asOwner<{ number: string }>(
      "SELECT number FROM invoices WHERE tenant_id = $1 AND status <> 'draft'",
      [t.b.tenantId],
    );
    const pdfs = Object.keys(unzipSync(new Uint8Array(res.rawPayload))).filter((n) => n.endsWith('.pdf'));
    assert.deepEqual(pdfs.sort(), ownB.map((r) => `${r.number}.pdf`).sort());
    const viewer = await t.tokenFor(a, 'viewer');
    assert.equal((await archive(viewer, 'from=2026-11-01&to=2026-11-30')).statusCode, 200);
  });

  test('an empty period is an empty archive', async () => {
    const res = await archive(ownerA, 'from=2020-01-01&to=2020-12-31');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(Object.keys(unzipSync(new Uint8Array(res.rawPayload))), []);
  });

  test('an invalid period is 400 date_range_invalid; a missing bound is 400', async () => {
    for (const query of ['from=2026-13-01&to=2026-12-31', 'from=2026-12-01&to=2026-11-01', 'from=x&to=y']) {
      const res = await archive(ownerA, query);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().error.code, 'date_range_invalid', query);
    }
    assert.equal((await archive(ownerA, 'from=2026-01-01')).statusCode, 400);
  });
});

describe('the archive streams', () => {
  test('an invoice is loaded only when the reader has taken the ones before it', async () => {
    const c = await makeTenant(s, 'C');
    await setInvoiceSettings(c, SELLER);
    const token = await t.tokenFor(c, 'owner');
    for (let i = 0; i < 16; i++) await invoiceOn(token, COMPANY, '2026-03-10');
    let loads = 0;
    let loadedBytes = 0;
    const counting: BlobStore = {
      ...s.blobs,
      get: async (keys, key) => {
        const data = await s.blobs.get(keys, key);
        loads++;
        loadedBytes += data.length;
        return data;
      },
      stream: (keys, key) => s.blobs.stream(keys, key),
      put: (keys, key, data) => s.blobs.put(keys, key, data),
      delete: (tenantId, key) => s.blobs.delete(tenantId, key),
      list: (tenantId, prefix) => s.blobs.list(tenantId, prefix),
    };
    const { count, stream } = await invoiceArchive(
      { ...c, services: { ...s, blobs: counting } },
      { from: '2026-03-01', to: '2026-03-31' },
    );
    assert.equal(count, 16);
    // Nobody reads yet: the stream buffers between yazl and the reader fill, and loading stops.
    // (An eager writer would have loaded them all in this pause; nothing here depends on its length.)
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(loads >= 1 && loads < 16, `loaded ${loads} of 16 before anything was read`);
    assert.ok(loadedBytes <= 256 * 1024, `${loadedBytes} bytes loaded before anything was read`);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    assert.equal(loads, 16);
    assert.equal(Object.keys(unzipSync(new Uint8Array(Buffer.concat(chunks)))).length, 32);
  });
});
