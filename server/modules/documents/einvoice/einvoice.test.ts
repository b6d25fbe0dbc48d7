/**
 * The e-invoice writers on their own: escaping, amounts by currency, determinism, what each format
 * contains, and what Kluis refuses to write although the official rules would accept it.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../../domain/errors.ts';
import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { formatAmount } from './common.ts';
import { BUYERS, buildFixture, line } from './fixtures.ts';
import { writeCii, writeUbl } from './index.ts';
import { matrixCases } from './matrix.fixtures.ts';
import { escapeAttribute, escapeText, XmlWriter } from './xml.ts';

function matrixDoc(key: string): InvoiceDocument {
  const found = matrixCases().find((c) => c.key === key);
  assert.ok(found, key);
  return found.doc;
}

function assertRefused(write: () => unknown, code: string): void {
  assert.throws(write, (error: unknown) => error instanceof AppError && error.code === code);
}

test('text and attributes are escaped; characters XML cannot carry are dropped', () => {
  assert.equal(escapeText('a < b && c > d ]]>'), 'a &lt; b &amp;&amp; c &gt; d ]]&gt;');
  assert.equal(escapeAttribute('say "hi"\tnow\n'), 'say &quot;hi&quot;&#9;now&#10;');
  assert.equal(escapeText(`bell${String.fromCharCode(7)}and nul${String.fromCharCode(0)}`), 'belland nul');
  assert.equal(escapeText('日本 🎉 Ünïcödé'), '日本 🎉 Ünïcödé');
  assert.equal(escapeText('lone \uD800 half'), 'lone \uFFFD half');
});

test('empty values and empty elements are left out (PEPPOL-EN16931-R008)', () => {
  const x = new XmlWriter();
  x.element('a', null, () => {
    x.leaf('b', '  ');
    x.leaf('c', null);
    x.element('d', null, () => x.leaf('e', undefined));
    x.element('f', null, () => undefined, true);
    x.leaf('g', ' kept ', { at: 'x', skipped: null });
  });
  assert.equal(
    x.toString(),
    '<?xml version="1.0" encoding="UTF-8"?>\n<a>\n  <f/>\n  <g at="x">kept</g>\n</a>\n',
  );
});

test('amounts get the decimals of their currency, at most 2 (BR-DEC)', () => {
  assert.equal(formatAmount(12345n, 'EUR'), '123.45');
  assert.equal(formatAmount(-5n, 'EUR'), '-0.05');
  assert.equal(formatAmount(4500n, 'JPY'), '4500');
  assert.equal(formatAmount(12340n, 'BHD'), '12.34');
  assert.throws(() => formatAmount(12345n, 'BHD'), RangeError);
});

test('the same document always gives the same bytes', () => {
  for (const { key, doc, ubl } of matrixCases().slice(0, 6)) {
    for (const format of ubl ?? (['peppol', 'nlcius'] as const)) {
      assert.equal(writeUbl(doc, format), writeUbl(structuredClone(doc), format), key);
    }
    assert.equal(writeCii(doc), writeCii(structuredClone(doc)), key);
  }
});

test('Peppol and NLCIUS declare their customization and the billing process', () => {
  const doc = matrixDoc('domestic-21');
  const peppol = writeUbl(doc, 'peppol');
  const nlcius = writeUbl(doc, 'nlcius');
  assert.match(
    peppol,
    /<cbc:CustomizationID>urn:cen\.eu:en16931:2017#compliant#urn:fdc:peppol\.eu:2017:poacc:billing:3\.0</,
  );
  assert.match(
    nlcius,
    /<cbc:CustomizationID>urn:cen\.eu:en16931:2017#compliant#urn:fdc:nen\.nl:nlcius:v1\.0</,
  );
  for (const xml of [peppol, nlcius]) {
    assert.match(xml, /<cbc:ProfileID>urn:fdc:peppol\.eu:2017:poacc:billing:01:1\.0<\/cbc:ProfileID>/);
    assert.match(xml, /<cbc:EndpointID schemeID="0106">12345678<\/cbc:EndpointID>/);
    assert.match(xml, /<cbc:CompanyID schemeID="0106">12345678<\/cbc:CompanyID>/);
    assert.match(xml, /<cbc:CompanyID>NL123456782B01<\/cbc:CompanyID>/);
    assert.match(xml, /<cbc:PaymentMeansCode>58<\/cbc:PaymentMeansCode>\s*<cbc:PaymentID>RF18539007547034</);
    assert.match(xml, /<cbc:ID>NL91ABNA0417164300<\/cbc:ID>/);
    assert.match(xml, /<cbc:BuyerReference>PO-4711<\/cbc:BuyerReference>/);
    // Peppol allows one document note (PEPPOL-EN16931-R002): both notes share it.
    assert.equal(xml.match(/<cbc:Note>/g)?.length, 2);
  }
  // NLCIUS advises against the BIC for SEPA (BR-NL-31) and the account name (BR-NL-30).
  assert.match(peppol, /<cbc:ID>ABNANL2A<\/cbc:ID>/);
  assert.doesNotMatch(nlcius, /ABNANL2A|<cbc:Name>Studio Kluis B\.V\.<\/cbc:Name>/);
});

test('exemption reasons: code and text for Peppol, text only for NLCIUS (BR-NL-35); CII has both', () => {
  const doc = matrixDoc('reverse-charge');
  assert.match(
    writeUbl(doc, 'peppol'),
    /<cbc:TaxExemptionReasonCode>VATEX-EU-AE<\/cbc:TaxExemptionReasonCode>/,
  );
  const nlcius = writeUbl(doc, 'nlcius');
  assert.doesNotMatch(nlcius, /TaxExemptionReasonCode/);
  assert.match(nlcius, /<cbc:TaxExemptionReason>VAT reverse charged<\/cbc:TaxExemptionReason>/);
  const cii = writeCii(doc);
  assert.match(cii, /<ram:ExemptionReason>VAT reverse charged<\/ram:ExemptionReason>/);
  assert.match(cii, /<ram:ExemptionReasonCode>VATEX-EU-AE<\/ram:ExemptionReasonCode>/);
  assert.match(writeUbl(matrixDoc('kor'), 'peppol'), /kleineondernemersregeling \(KOR\)/);
});

test('a credit note is a CreditNote (381) naming the credited invoice and its date', () => {
  const doc = matrixDoc('credit-note');
  const xml = writeUbl(doc, 'peppol');
  assert.match(xml, /<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/);
  assert.match(xml, /<cbc:CreditNoteTypeCode>381<\/cbc:CreditNoteTypeCode>/);
  assert.match(
    xml,
    /<cac:InvoiceDocumentReference>\s*<cbc:ID>2026-0001<\/cbc:ID>\s*<cbc:IssueDate>2026-02-01<\/cbc:IssueDate>/,
  );
  assert.match(xml, /<cbc:PaymentDueDate>2026-04-01<\/cbc:PaymentDueDate>/);
  assert.match(xml, /<cac:CreditNoteLine>/);
  assert.doesNotMatch(xml, /<cbc:DueDate>|InvoiceLine/);
  const cii = writeCii(doc);
  assert.match(cii, /<ram:TypeCode>381<\/ram:TypeCode>/);
  assert.match(cii, /<qdt:DateTimeString format="102">20260201<\/qdt:DateTimeString>/);
});

test('another currency states the VAT total in euros (BT-111) and pays by plain credit transfer', () => {
  const doc = matrixDoc('foreign-currency');
  assert.ok(doc.vatInEur);
  const eur = formatAmount(doc.vatInEur.amount, 'EUR');
  const xml = writeUbl(doc, 'peppol');
  assert.match(xml, /<cbc:TaxCurrencyCode>EUR<\/cbc:TaxCurrencyCode>/);
  assert.match(
    xml,
    new RegExp(`<cac:TaxTotal>\\s*<cbc:TaxAmount currencyID="EUR">${eur}</cbc:TaxAmount>\\s*</cac:TaxTotal>`),
  );
  assert.match(xml, /<cbc:PaymentMeansCode>30<\/cbc:PaymentMeansCode>/);
  assert.match(writeCii(doc), new RegExp(`<ram:TaxTotalAmount currencyID="EUR">${eur}</ram:TaxTotalAmount>`));
  assert.match(
    writeUbl(matrixDoc('yen'), 'peppol'),
    /<cbc:PayableAmount currencyID="JPY">\d+<\/cbc:PayableAmount>/,
  );
});

test('the PDF is attached base64 with its mime code and file name', () => {
  const data = Buffer.from('%PDF-1.7 <&>');
  const xml = writeUbl(matrixDoc('domestic-21'), 'nlcius', { pdf: { filename: 'factuur "1".pdf', data } });
  const expected = `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="factuur &quot;1&quot;.pdf">${data.toString('base64')}</cbc:EmbeddedDocumentBinaryObject>`;
  assert.ok(xml.includes(expected));
});

test('a reverse-charge document without the buyer VAT number is refused, also when it has a KvK number', () => {
  const doc = matrixDoc('reverse-charge');
  const withoutVat = { ...doc, buyer: { ...doc.buyer, vatNumber: null, kvkNumber: '87654321' } };
  assertRefused(() => writeUbl(withoutVat, 'peppol'), 'reverse_charge_requires_buyer_vat_number');
  assertRefused(() => writeUbl(withoutVat, 'nlcius'), 'reverse_charge_requires_buyer_vat_number');
  assertRefused(() => writeCii(withoutVat), 'reverse_charge_requires_buyer_vat_number');
});

test('an intra-community supply without the buyer VAT number is refused', () => {
  const doc = matrixDoc('intra-community-goods');
  const withoutVat = { ...doc, buyer: { ...doc.buyer, vatNumber: '  ' } };
  assertRefused(() => writeUbl(withoutVat, 'peppol'), 'intra_community_requires_buyer_vat_number');
  assertRefused(() => writeCii(withoutVat), 'intra_community_requires_buyer_vat_number');
});

test('a consumer gets CII and the PDF, not UBL: Peppol cannot address them, NLCIUS wants a KvK number', () => {
  const doc = matrixDoc('consumer');
  assertRefused(() => writeUbl(doc, 'peppol'), 'peppol_requires_electronic_address');
  assertRefused(() => writeUbl(doc, 'nlcius'), 'nlcius_requires_buyer_kvk_number');
  assert.match(writeCii(doc), /<ram:Name>J\. de Boer<\/ram:Name>/);
  // Without a reference of its own, a UBL invoice to a business uses the invoice number (ADR 0040).
  const business = buildFixture({
    buyer: BUYERS.dutchBusiness,
    buyerReference: null,
    lines: [line('x', '1', '1')],
  });
  assert.match(writeUbl(business, 'peppol'), /<cbc:BuyerReference>2026-0001<\/cbc:BuyerReference>/);
});

test('a credit note without the credited invoice is refused (NL-R-001)', () => {
  const doc = { ...matrixDoc('credit-note'), creditedInvoice: null };
  assertRefused(() => writeUbl(doc, 'nlcius'), 'credit_note_requires_credited_invoice');
});

test('outside the scope of VAT: no VAT numbers (BR-O-02) and no rates (BR-O-05)', () => {
  const xml = writeUbl(matrixDoc('outside-scope'), 'peppol');
  assert.doesNotMatch(xml, /PartyTaxScheme|<cbc:Percent>/);
  assert.match(xml, /<cbc:TaxExemptionReasonCode>VATEX-EU-O</);
});
