/**
 * Privacy center point 7: the public form for data-subject requests is linked from every invoice,
 * not only from its mail — an issued invoice's PDF (and a draft's preview) prints the business's
 * form in its footer, in the customer's language, when Kluis knows its public URL.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { SELLER } from './invoices.testing.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;

before(async () => {
  t = await openApiTest();
  t.s.publicUrl = 'https://kluis.example';
  await setInvoiceSettings(t.a, SELLER);
});
after(() => t.close());

const text = (pdf: Buffer) =>
  execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

async function draft(language: 'nl' | 'en'): Promise<string> {
  const c = await t.call('POST', '/api/v1/customers', t.ownerA, {
    kind: 'company',
    name: 'Bakkerij De Korf B.V.',
    email: 'administratie@dekorf.example',
    address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
    language,
  });
  assert.equal(c.statusCode, 201, c.body);
  const res = await t.call('POST', '/api/v1/invoices', t.ownerA, {
    customerId: c.json().id,
    currency: 'EUR',
    lines: [{ description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' }],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

test('an issued invoice prints the business’s request form in its footer, in the customer’s language', async () => {
  const form = `https://kluis.example/privacyverzoek/${t.a.tenantId}`;
  for (const language of ['nl', 'en'] as const) {
    const id = await draft(language);
    const preview = await t.call('GET', `/api/v1/invoices/${id}/preview.pdf`, t.ownerA);
    assert.equal(preview.statusCode, 200);
    assert.ok(text(preview.rawPayload).includes(form), 'the draft preview shows it too');
    const issued = await t.call('POST', `/api/v1/invoices/${id}/issue`, t.ownerA);
    assert.equal(issued.statusCode, 200, issued.body);
    const pdf = await t.call('GET', `/api/v1/invoices/${id}/pdf`, t.ownerA);
    assert.equal(pdf.statusCode, 200);
    const words = text(pdf.rawPayload);
    if (language === 'nl') {
      assert.ok(words.includes(`Vragen over uw persoonsgegevens of een privacyverzoek: ${form}`), words);
    } else {
      assert.ok(
        words.includes(`Questions about your personal data, or a privacy request: ${form}?lang=en`),
        words,
      );
    }
  }
});

test('without a public URL no link is printed', async () => {
  const saved = t.s.publicUrl;
  t.s.publicUrl = undefined;
  try {
    const id = await draft('nl');
    assert.equal((await t.call('POST', `/api/v1/invoices/${id}/issue`, t.ownerA)).statusCode, 200);
    const pdf = await t.call('GET', `/api/v1/invoices/${id}/pdf`, t.ownerA);
    assert.ok(!text(pdf.rawPayload).includes('privacyverzoek'));
  } finally {
    t.s.publicUrl = saved;
  }
});
