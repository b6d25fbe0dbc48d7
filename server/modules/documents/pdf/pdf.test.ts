/**
 * The invoice PDF as a reader and a validator see it: poppler (Debian's poppler-utils) parses it,
 * extracts the mandatory content in Dutch and English, counts pages, lists the embedded Factur-X XML
 * and the fonts; the same document renders to the same bytes; page 1 is kept as a PNG in artifacts/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderInvoicePdf } from './render.ts';
import { sampleInvoice } from './sample.ts';

const dir = mkdtempSync(join(tmpdir(), 'kluis-pdf-'));
let counter = 0;

function save(pdf: Buffer): string {
  const path = join(dir, `doc-${counter++}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' });
}

function text(pdf: Buffer, page?: number): string {
  const pages = page ? ['-f', String(page), '-l', String(page)] : [];
  return run('pdftotext', ['-layout', ...pages, save(pdf), '-']);
}

function includesAll(haystack: string, needles: string[]): void {
  for (const n of needles) assert.ok(haystack.includes(n), `expected "${n}" in:\n${haystack}`);
}

describe('invoice PDF', () => {
  test('Dutch invoice shows every mandatory item', () => {
    const t = text(renderInvoicePdf(sampleInvoice({ lang: 'nl' })));
    includesAll(t, [
      'Factuur',
      'Studio Noordlicht B.V.',
      'Keizersgracht 123',
      '1015 CJ',
      'Amsterdam',
      'KvK 12345678',
      'NL001234567B01',
      'Bakkerij De Gouden Korst',
      'Dorpsstraat 7',
      'Btw-nummer: NL859216930B01',
      'Factuurnummer',
      '2026-0042',
      'Factuurdatum',
      '15 maart 2026',
      'Periode',
      '1 januari 2026',
      'Ontwerp huisstijl',
      'Logo, kleurenpalet en typografie',
      'uur',
      '95,00',
      '10 %',
      '21 %',
      'Vaste-klantkorting',
      'BTW-SPECIFICATIE',
      '€ 509,18',
      'Totaal incl. btw',
      '€ 3.001,96',
      'NL91 ABNA 0417 1643 00',
      'ABNANL2A',
      'RF18539007547034',
      'pagina 1 van 1',
    ]);
  });

  test('English invoice uses English words and number formats', () => {
    const t = text(renderInvoicePdf(sampleInvoice({ lang: 'en' })));
    includesAll(t, [
      'Invoice',
      'Bill to'.toUpperCase(),
      'Invoice date',
      '15 March 2026',
      'Total incl. VAT',
      '€3,001.96',
      'Payment reference',
      'page 1 of 1',
    ]);
  });

  test('reverse charge prints "Btw verlegd" and the buyer VAT number', () => {
    const t = text(renderInvoicePdf(sampleInvoice({ vat: 'reverse_charge' })));
    includesAll(t, ['Btw verlegd', 'verlegd', 'NL004495445B01']);
  });

  test('intra-community supply prints its text, the supply date and the foreign buyer', () => {
    const t = text(renderInvoicePdf(sampleInvoice({ vat: 'intra_community', lang: 'en' })));
    includesAll(t, ['Intra-community supply', 'Date of supply', '10 March 2026', 'DE123456789', 'Germany']);
  });

  test('KOR invoice states the exemption and never shows "0 %"', () => {
    const t = text(renderInvoicePdf(sampleInvoice({ vat: 'kor' })));
    includesAll(t, ['kleineondernemersregeling (KOR)', 'vrijgesteld']);
    assert.doesNotMatch(t, /\b0\s?%/);
  });

  test('exempt invoice prints the exemption reason', () => {
    const t = text(renderInvoicePdf(sampleInvoice({ vat: 'exempt' })));
    includesAll(t, ['art. 11 lid 1 sub g Wet OB']);
  });

  test('credit note says so and names the original invoice and its date', () => {
    const nl = text(renderInvoicePdf(sampleInvoice({ kind: 'credit_note' })));
    includesAll(nl, [
      'Creditnota',
      'CN-2026-0003',
      'Crediteert factuur',
      '2026-0017',
      '2 februari 2026',
      'Te crediteren',
    ]);
    const en = text(renderInvoicePdf(sampleInvoice({ kind: 'credit_note', lang: 'en' })));
    includesAll(en, ['Credit note', 'Credits invoice', '2026-0017', '2 February 2026']);
  });

  test('a 300-line invoice paginates with headers and page numbers on every page', () => {
    const pdf = renderInvoicePdf(sampleInvoice({ lines: 300 }));
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [save(pdf)]))?.[1]);
    assert.ok(pages >= 5, `expected several pages, got ${pages}`);
    const seen = new Set<string>();
    for (let p = 1; p <= pages; p++) {
      const t = text(pdf, p);
      includesAll(t, [`pagina ${p} van ${pages}`, 'Omschrijving', 'Bedrag']);
      for (const m of t.matchAll(/\((\d+)\)/g)) seen.add(m[1] as string);
    }
    // Every generated line (5…300) appears once the pages are read in order; the long ones wrap.
    for (let i = 5; i <= 300; i++) assert.ok(seen.has(String(i)), `line ${i} missing`);
    includesAll(text(pdf), ['workshops', 'presentatie', 'directie', 'Te betalen']);
  });

  test('the same document renders to the same bytes', () => {
    const doc = sampleInvoice({ lines: 40 });
    const xml = Buffer.from('<rsm:CrossIndustryInvoice/>');
    const a = renderInvoicePdf(doc, { facturX: xml });
    const b = renderInvoicePdf(sampleInvoice({ lines: 40 }), { facturX: xml });
    assert.ok(a.equals(b));
    const other = renderInvoicePdf({ ...doc, number: '2026-0043' }, { facturX: xml });
    assert.ok(!a.equals(other));
  });

  test('Factur-X: factur-x.xml is embedded byte-identical, and the XMP declares PDF/A-3B and Factur-X', () => {
    const xml = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice>€ test</rsm:CrossIndustryInvoice>\n',
    );
    const path = save(renderInvoicePdf(sampleInvoice(), { facturX: xml }));
    assert.match(run('pdfdetach', ['-list', path]), /1: factur-x\.xml/);
    const out = join(dir, 'extracted.xml');
    run('pdfdetach', ['-save', '1', '-o', out, path]);
    assert.ok(readFileSync(out).equals(xml));
    const meta = run('pdfinfo', ['-meta', path]);
    includesAll(meta, [
      '<pdfaid:part>3</pdfaid:part>',
      '<pdfaid:conformance>B</pdfaid:conformance>',
      '<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>',
      '<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>',
      'pdfaSchema:namespaceURI',
    ]);
    const raw = readFileSync(path, 'latin1');
    includesAll(raw, [
      '/AFRelationship /Alternative',
      '/Subtype /text#2Fxml',
      '/AF [',
      '/GTS_PDFA1',
      '/ID [<',
    ]);
    assert.doesNotMatch(raw, /\/Encrypt/);
  });

  test('every font is embedded as a subset with a Unicode map', () => {
    const out = run('pdffonts', [save(renderInvoicePdf(sampleInvoice({ lines: 12 })))]);
    const rows = out.split('\n').slice(2).filter(Boolean);
    assert.equal(rows.length, 2);
    for (const row of rows)
      assert.match(row, /^[A-Z]{6}\+DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  test('page 1 as a picture (artifacts/invoice-nl.png, artifacts/invoice-en.png)', () => {
    mkdirSync('artifacts', { recursive: true });
    for (const lang of ['nl', 'en'] as const) {
      const path = save(renderInvoicePdf(sampleInvoice({ lang })));
      run('pdftoppm', [
        '-r',
        '110',
        '-png',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        path,
        join('artifacts', `invoice-${lang}`),
      ]);
      assert.ok(readFileSync(join('artifacts', `invoice-${lang}.png`)).length > 10_000);
    }
  });
});
