/**
 * The documents of an issued invoice over the API (issue 5 point 6): the PDF with its Factur-X XML,
 * UBL for Peppol and NLCIUS, CII; a draft has none (409), a format that cannot carry the invoice is
 * 422 with the writer's code, and another business's invoice is as missing as an unknown id.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import type { TestServices } from '../../test/harness.ts';
import { isRfReference } from '../documents/pdf/qr.ts';
import { pdfBlobKey } from './documents.service.ts';
import { rfReference } from './invoice-document.ts';
import { SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let s: TestServices;
let a: Ctx;
let b: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];

before(async () => {
  t = await openApiTest();
  ({ s, a, b, ownerA, ownerB, call } = t);
  await setInvoiceSettings(a, SELLER);
  await setInvoiceSettings(b, SELLER);
});
after(() => t.close());

const DE_KORF = {
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

/** Creates a customer and an invoice of the issue's example for it; issues it unless `draft`. */
async function invoiceFor(
  token: string,
  customer: object,
  draft = false,
): Promise<{ id: string; number: string }> {
  const c = await call('POST', '/api/v1/customers', token, customer);
  assert.equal(c.statusCode, 201, c.body);
  const res = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    currency: 'EUR',
    lines: [
      { description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' },
      { description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' },
    ],
  });
  assert.equal(res.statusCode, 201, res.body);
  if (draft) return res.json();
  const issued = await call('POST', `/api/v1/invoices/${res.json().id}/issue`, token);
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json();
}

function pdfText(pdf: Buffer): string | null {
  try {
    return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
  } catch {
    return null; // poppler is not installed here
  }
}

describe('invoice documents API', () => {
  test('an issued invoice gives its PDF (Factur-X), UBL for Peppol and NLCIUS, and CII', async () => {
    const inv = await invoiceFor(ownerA, DE_KORF);
    const pdf = await call('GET', `/api/v1/invoices/${inv.id}/pdf`, ownerA);
    assert.equal(pdf.statusCode, 200, pdf.body);
    assert.match(String(pdf.headers['content-type']), /^application\/pdf/);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.rawPayload.includes('factur-x.xml'), 'the CII is embedded');
    const text = pdfText(pdf.rawPayload);
    if (text !== null) {
      assert.ok(text.includes(inv.number), 'the PDF shows the number');
      assert.ok(text.includes('257,15') || text.includes('257.15'), 'and the total');
    }
    for (const url of ['ubl', 'ubl?format=peppol', 'ubl?format=nlcius', 'cii']) {
      const res = await call('GET', `/api/v1/invoices/${inv.id}/${url}`, ownerA);
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /^application\/xml/);
      assert.ok(res.body.includes(inv.number), url);
      assert.ok(res.body.includes('257.15'), url);
    }
    const again = await call('GET', `/api/v1/invoices/${inv.id}/pdf`, ownerA);
    assert.ok(again.rawPayload.equals(pdf.rawPayload), 'the same invoice always gives the same bytes');
  });

  test('a consumer gets a PDF but no Peppol UBL: 422 with the writer code', async () => {
    const inv = await invoiceFor(ownerA, CONSUMER);
    assert.equal((await call('GET', `/api/v1/invoices/${inv.id}/pdf`, ownerA)).statusCode, 200);
    const peppol = await call('GET', `/api/v1/invoices/${inv.id}/ubl?format=peppol`, ownerA);
    assert.equal(peppol.statusCode, 422, peppol.body);
    assert.equal(peppol.json().error.code, 'peppol_requires_electronic_address');
    const nlcius = await call('GET', `/api/v1/invoices/${inv.id}/ubl?format=nlcius`, ownerA);
    assert.equal(nlcius.statusCode, 422);
    assert.equal(nlcius.json().error.code, 'nlcius_requires_buyer_kvk_number');
    const bad = await call('GET', `/api/v1/invoices/${inv.id}/ubl?format=xrechnung`, ownerA);
    assert.equal(bad.statusCode, 400);
  });

  test('a draft has no documents: 409 invoice_not_issued', async () => {
    const draft = await invoiceFor(ownerA, DE_KORF, true);
    for (const doc of ['pdf', 'ubl', 'cii']) {
      const res = await call('GET', `/api/v1/invoices/${draft.id}/${doc}`, ownerA);
      assert.equal(res.statusCode, 409, doc);
      assert.equal(res.json().error.code, 'invoice_not_issued');
    }
  });

  test("another business's invoice documents answer exactly like a missing one", async () => {
    const theirs = await invoiceFor(ownerB, DE_KORF);
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const doc of ['pdf', 'ubl', 'ubl?format=nlcius', 'cii']) {
      const foreign = await call('GET', `/api/v1/invoices/${theirs.id}/${doc}`, ownerA);
      const none = await call('GET', `/api/v1/invoices/${missing}/${doc}`, ownerA);
      assert.equal(foreign.statusCode, 404, doc);
      assert.deepEqual(
        [foreign.json().error.code, foreign.json().error.message],
        [none.json().error.code, none.json().error.message],
      );
    }
    assert.equal((await call('GET', `/api/v1/invoices/${theirs.id}/pdf`, ownerB)).statusCode, 200);
  });

  test('the payment reference is a valid ISO 11649 creditor reference', () => {
    for (const n of ['2026-0001', 'F/2026/17', 'x']) assert.ok(isRfReference(rfReference(n)), n);
  });
});

describe('the PDF is made when the invoice is issued', () => {
  test('its hash is in the invoice.issued audit event, and it is served from the encrypted blob', async () => {
    const inv = await invoiceFor(ownerA, DE_KORF);
    const [event] = await s.db.asOwner<{ data: { pdfSha256?: string } }>(
      "SELECT data FROM audit_events WHERE tenant_id = $1 AND action = 'invoice.issued' AND target_id = $2",
      [a.tenantId, inv.id],
    );
    assert.match(event?.data.pdfSha256 ?? '', /^[0-9a-f]{64}$/);
    const served = await call('GET', `/api/v1/invoices/${inv.id}/pdf`, ownerA);
    assert.equal(served.statusCode, 200);
    assert.equal(createHash('sha256').update(served.rawPayload).digest('hex'), event?.data.pdfSha256);
    // The stored blob is what is served: replace it and the API serves the replacement.
    const keys = await inTenant(s.db, a.tenantId, (tx) => s.keyring.forTenant(tx, a.tenantId));
    assert.deepEqual(await s.blobs.get(keys, pdfBlobKey(inv.id)), served.rawPayload);
    await s.blobs.put(keys, pdfBlobKey(inv.id), Buffer.from('%PDF-1.7 stand-in'));
    const again = await call('GET', `/api/v1/invoices/${inv.id}/pdf`, ownerA);
    assert.equal(again.rawPayload.toString(), '%PDF-1.7 stand-in');
  });
});
