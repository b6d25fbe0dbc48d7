/**
 * Invoices in another currency (issue 4 point 11): a USD invoice states its VAT total in EUR with
 * the rate used — in the API response (draft preview and frozen at issue), in the PDF's text and in
 * UBL as a second TaxTotal in the tax currency (BT-111); without a rate it cannot be issued.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let call: ApiTest['call'];
let ownerA: string;
let ownerB: string;

before(async () => {
  t = await openApiTest();
  ({ call, ownerA, ownerB } = t);
  await setInvoiceSettings(t.a, SELLER);
  await setInvoiceSettings(t.b, SELLER);
});
after(() => t.close());

const CUSTOMER = {
  kind: 'company',
  name: 'Harbor Trading B.V.',
  address: { street: 'Havenweg 12', postalCode: '3011 AB', city: 'Rotterdam', country: 'NL' },
  vatNumber: 'NL004495445B01',
  kvkNumber: '87654321',
};

/** 250.00 USD at 21 %: VAT 52.50 USD; at 0.9215 EUR per USD that is 48.37875, stated as € 48.38. */
async function usdDraft(token: string, exchangeRate: string | null = '0.9215') {
  const c = await call('POST', '/api/v1/customers', token, CUSTOMER);
  assert.equal(c.statusCode, 201, c.body);
  const res = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    currency: 'USD',
    ...(exchangeRate ? { exchangeRate } : {}),
    lines: [
      { description: 'Consultancy', quantity: '2', unitPrice: '125.00', vatCategory: 'S', vatRate: '21' },
    ],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

function pdfText(pdf: Buffer): string | null {
  try {
    return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
  } catch {
    return null; // poppler is not installed here
  }
}

describe('an invoice in USD', () => {
  test('states its VAT total in EUR with the rate in the API, the PDF and UBL', async () => {
    const draft = await usdDraft(ownerA);
    assert.equal(draft.currency, 'USD');
    assert.equal(draft.totals.vat, '52.50');
    assert.deepEqual(
      draft.totals.vatInEur,
      { amount: '48.38', exchangeRate: '0.9215' },
      'previewed on the draft',
    );

    const issued = await call('POST', `/api/v1/invoices/${draft.id}/issue`, ownerA);
    assert.equal(issued.statusCode, 200, issued.body);
    assert.deepEqual(issued.json().totals.vatInEur, { amount: '48.38', exchangeRate: '0.9215' });
    const read = await call('GET', `/api/v1/invoices/${draft.id}`, ownerA);
    assert.deepEqual(read.json().totals.vatInEur, { amount: '48.38', exchangeRate: '0.9215' });

    const pdf = await call('GET', `/api/v1/invoices/${draft.id}/pdf`, ownerA);
    assert.equal(pdf.statusCode, 200);
    const text = pdfText(pdf.rawPayload);
    if (text !== null) {
      const flat = text.replace(/\s+/g, ' ');
      assert.match(flat, /Btw in EUR: € ?48,38 \(koers 0,9215\)/, 'the PDF states the EUR VAT and the rate');
      assert.match(flat, /52,50/, 'and the VAT in dollars');
    }

    const ubl = await call('GET', `/api/v1/invoices/${draft.id}/ubl`, ownerA);
    assert.equal(ubl.statusCode, 200, ubl.body);
    const xml = ubl.body.replace(/>\s+</g, '><');
    assert.ok(xml.includes('<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>'));
    assert.ok(xml.includes('<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>'), 'BT-6');
    assert.ok(
      xml.includes('<cac:TaxTotal><cbc:TaxAmount currencyID="USD">52.50</cbc:TaxAmount>'),
      'BT-110 in the invoice currency',
    );
    assert.ok(
      xml.includes('<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">48.38</cbc:TaxAmount></cac:TaxTotal>'),
      'BT-111 in the tax currency',
    );
  });

  test('an EUR invoice has no EUR restatement', async () => {
    const c = await call('POST', '/api/v1/customers', ownerA, CUSTOMER);
    const res = await call('POST', '/api/v1/invoices', ownerA, {
      customerId: c.json().id,
      currency: 'EUR',
      lines: [{ description: 'Advies', quantity: '1', unitPrice: '10.00', vatCategory: 'S', vatRate: '21' }],
    });
    assert.equal(res.json().totals.vatInEur, null);
  });

  test('without an exchange rate it stays a draft: 400 with exchange_rate_required', async () => {
    const draft = await usdDraft(ownerA, null);
    assert.equal(draft.totals.vatInEur, null);
    const res = await call('POST', `/api/v1/invoices/${draft.id}/issue`, ownerA);
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(
      res.json().error.issues.map((i: { code: string }) => i.code),
      ['exchange_rate_required'],
    );
  });

  test("another business's USD invoice answers like a missing one", async () => {
    const theirs = await usdDraft(ownerB);
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const url of ['', '/pdf', '/ubl']) {
      const foreign = await call('GET', `/api/v1/invoices/${theirs.id}${url}`, ownerA);
      const none = await call('GET', `/api/v1/invoices/${missing}${url}`, ownerA);
      assert.equal(foreign.statusCode, 404, url);
      const { code, message } = none.json().error;
      assert.deepEqual([foreign.json().error.code, foreign.json().error.message], [code, message]);
    }
  });
});
