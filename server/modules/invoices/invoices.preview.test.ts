/**
 * The PDF preview of a draft (issue 7 point 5): the draft as it would print, with the business's and
 * the customer's current details, marked CONCEPT/DRAFT in the customer's language, without Factur-X
 * XML and without storing anything; an issued invoice is 409 `invoice_issued`, another business's
 * draft is as missing as an unknown id, and a caller without invoices:read gets 403.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { createApiClient } from '../clients/index.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { auditActions, SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let a: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];

before(async () => {
  t = await openApiTest();
  ({ a, ownerA, ownerB, call } = t);
  await setInvoiceSettings(a, SELLER);
  await setInvoiceSettings(t.b, SELLER);
});
after(() => t.close());

const customer = (language: 'nl' | 'en') => ({
  kind: 'company',
  name: language === 'nl' ? 'Bakkerij De Korf B.V.' : 'Korf Bakery Ltd',
  email: 'administratie@dekorf.example',
  address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
  language,
});

async function draftFor(token: string, language: 'nl' | 'en' = 'nl'): Promise<{ id: string }> {
  const c = await call('POST', '/api/v1/customers', token, customer(language));
  assert.equal(c.statusCode, 201, c.body);
  const res = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    currency: 'EUR',
    lines: [
      { description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' },
      { description: 'Advies op maat', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' },
    ],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

const text = (pdf: Buffer) => execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
/** What `pdfdetach -list` says about the PDF's embedded files. */
function embeddedFiles(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kluis-preview-'));
  try {
    const file = join(dir, 'preview.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdfdetach', ['-list', file]).toString('utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function preview(id: string, token = ownerA) {
  return call('GET', `/api/v1/invoices/${id}/preview.pdf`, token);
}

async function numberedCount(): Promise<number> {
  const [row] = await t.s.db.asOwner<{ n: number }>(
    'SELECT count(*)::int AS n FROM invoices WHERE number IS NOT NULL',
  );
  return row?.n ?? 0;
}

describe('draft PDF preview', () => {
  test('a Dutch draft prints as CONCEPT with its lines and totals, no Factur-X, nothing issued', async () => {
    const draft = await draftFor(ownerA, 'nl');
    const numbered = await numberedCount();
    const res = await preview(draft.id);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/pdf/);
    assert.match(String(res.headers['content-disposition']), /^inline/);
    assert.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    const shown = text(res.rawPayload);
    assert.match(shown, /CONCEPT/);
    assert.match(shown, /CONCEPT – GEEN FACTUUR/);
    assert.match(shown, /Broodjes/);
    assert.match(shown, /Advies op maat/);
    assert.match(shown, /257,15/, 'the total including VAT');
    assert.match(shown, /Testbedrijf B\.V\./, "the business's current details");
    assert.match(shown, /Bakkerij De Korf B\.V\./, "the customer's current details");
    assert.doesNotMatch(shown, /Scan met uw bank-app/, 'no QR code to pay a draft');
    assert.match(embeddedFiles(res.rawPayload), /^0 embedded files/);
    assert.ok(!res.rawPayload.includes('factur-x.xml'));
    // Nothing was written: still a draft without a number, and its real documents still refuse.
    const after = await call('GET', `/api/v1/invoices/${draft.id}`, ownerA);
    assert.equal(after.json().status, 'draft');
    assert.equal(after.json().number, null);
    assert.equal(await numberedCount(), numbered);
    assert.equal((await call('GET', `/api/v1/invoices/${draft.id}/pdf`, ownerA)).statusCode, 409);
    // Audited as the read of one invoice it is.
    assert.ok((await auditActions(a, draft.id)).includes('invoice.viewed'));
  });

  test("the customer's language picks DRAFT and the English texts; a change shows at once", async () => {
    const draft = await draftFor(ownerA, 'en');
    const shown = text((await preview(draft.id)).rawPayload);
    assert.match(shown, /DRAFT/);
    assert.match(shown, /DRAFT – NOT AN INVOICE/);
    assert.doesNotMatch(shown, /CONCEPT/);
    const patch = await call('PATCH', `/api/v1/invoices/${draft.id}`, ownerA, {
      lines: [
        { description: 'Late change', quantity: '1', unitPrice: '100.00', vatCategory: 'S', vatRate: '21' },
      ],
    });
    assert.equal(patch.statusCode, 200, patch.body);
    const changed = text((await preview(draft.id)).rawPayload);
    assert.match(changed, /Late change/);
    assert.match(changed, /121\.00/);
  });

  test('a draft credit note previews too; an issued invoice is 409 invoice_issued', async () => {
    const draft = await draftFor(ownerA, 'nl');
    const issued = await call('POST', `/api/v1/invoices/${draft.id}/issue`, ownerA);
    assert.equal(issued.statusCode, 200, issued.body);
    const refused = await preview(draft.id);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.code, 'invoice_issued');
    assert.match(refused.json().error.message, /\/pdf/);
    const note = await call('POST', `/api/v1/invoices/${draft.id}/credit-notes`, ownerA, {});
    assert.equal(note.statusCode, 201, note.body);
    const res = await preview(note.json().id);
    assert.equal(res.statusCode, 200, res.body);
    const shown = text(res.rawPayload);
    assert.match(shown, /CONCEPT/);
    assert.match(shown, /Creditnota/i);
    assert.ok(shown.includes(issued.json().number), 'it names the credited invoice');
    assert.match(embeddedFiles(res.rawPayload), /^0 embedded files/);
  });

  test("another business's draft is as missing as an unknown id; no invoices:read is 403", async () => {
    const theirs = await draftFor(ownerB);
    const foreign = await preview(theirs.id);
    const none = await preview('01900000-0000-7000-8000-000000000000');
    assert.equal(foreign.statusCode, 404);
    assert.deepEqual(
      [foreign.json().error.code, foreign.json().error.message],
      [none.json().error.code, none.json().error.message],
    );
    assert.equal((await preview('not-an-id')).statusCode, 404);
    assert.equal((await preview(theirs.id, ownerB)).statusCode, 200);
    const { clientId } = await createApiClient(a, { name: 'Customers only', scopes: ['customers:read'] });
    const token = await mintAccessToken(t.s, {
      sub: clientId,
      client_id: clientId,
      kluis_tenant: a.tenantId,
      scope: 'customers:read',
    });
    const mine = await draftFor(ownerA);
    const forbidden = await preview(mine.id, token);
    assert.equal(forbidden.statusCode, 403, forbidden.body);
    assert.equal(forbidden.json().error.code, 'insufficient_permission');
  });
});
