/**
 * pdf — one issued invoice rendered by Kluis's PDF/A-3 writer (with a Factur-X XML embedded), by
 * @react-pdf/renderer (what Midday uses) and by Chromium's page.pdf() from an HTML version of the same
 * layout (browser kept warm, one page reused), in one run: median milliseconds per PDF and ratios.
 * Then the bulk path: render, encrypt (blob cipher) and write, on both cores with worker_threads.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { InvoiceDocument } from '../domain/invoice-document.ts';
import { encryptBlob } from '../server/crypto/blob-cipher.ts';
import type { DataKeys } from '../server/crypto/envelope.ts';
import { FONT_FILES } from '../server/modules/documents/pdf/fonts.ts';
import {
  formatDate,
  formatDecimalText,
  formatMoney,
  unitName,
  vatRateText,
} from '../server/modules/documents/pdf/labels.ts';
import { epcPayload, qrMatrix } from '../server/modules/documents/pdf/qr.ts';
import { renderInvoicePdf } from '../server/modules/documents/pdf/render.ts';
import { sampleInvoice, sampleLogo } from '../server/modules/documents/pdf/sample.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** A CII-shaped XML of realistic size, standing in for the Factur-X attachment. */
function facturXStandIn(doc: InvoiceDocument): Buffer {
  const lines = doc.lines
    .map(
      (l) =>
        `<ram:IncludedSupplyChainTradeLineItem><ram:LineID>${l.id}</ram:LineID><ram:Name>${l.name}</ram:Name><ram:BilledQuantity unitCode="${l.unitCode}">${l.quantity}</ram:BilledQuantity><ram:ChargeAmount>${l.unitPrice}</ram:ChargeAmount></ram:IncludedSupplyChainTradeLineItem>`,
    )
    .join('\n');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice>${lines}${' '.repeat(4000)}</rsm:CrossIndustryInvoice>\n`,
  );
}

/** The rows every peer prints, computed once: peers get the formatting for free. */
function rowsOf(doc: InvoiceDocument) {
  const m = (v: bigint) => formatMoney(v, doc.currency, 'nl');
  return {
    lines: doc.lines.map((l, i) => [
      l.name,
      l.description ?? '',
      formatDecimalText(l.quantity, 'nl'),
      unitName(l.unitCode, 'nl'),
      formatDecimalText(l.unitPrice, 'nl', 2),
      vatRateText(l.vatCategory, l.vatRate, 'nl'),
      m(doc.totals.lines[i]?.netAmount ?? 0n),
    ]),
    totals: [
      ['Subtotaal', m(doc.totals.lineExtensionAmount)],
      ['Korting', m(-doc.totals.allowanceTotalAmount)],
      ['Totaal btw', m(doc.totals.taxAmount)],
      ['Totaal incl. btw', m(doc.totals.taxInclusiveAmount)],
      ['Te betalen', m(doc.totals.payableAmount)],
    ],
    vat: doc.totals.vatBreakdown.map((g) => [
      vatRateText(g.vatCategory, g.vatRate, 'nl'),
      m(g.taxableAmount),
      m(g.taxAmount),
    ]),
  };
}

function qrSvg(doc: InvoiceDocument): string {
  const p = doc.payment;
  const m = qrMatrix(
    epcPayload({
      name: p?.accountName ?? '',
      iban: p?.iban ?? '',
      bic: p?.bic ?? null,
      amountCents: doc.totals.payableAmount,
      reference: p?.reference ?? '',
    }) ?? '',
  );
  const rects: string[] = [];
  for (let r = 0; r < m.size; r++)
    for (let c = 0; c < m.size; c++) if (m.modules[r * m.size + c]) rects.push(`M${c} ${r}h1v1h-1z`);
  return `<svg viewBox="-4 -4 ${m.size + 8} ${m.size + 8}" width="90" height="90"><path d="${rects.join('')}"/></svg>`;
}

/** The same layout as HTML, for Chromium. */
function invoiceHtml(doc: InvoiceDocument): string {
  const r = rowsOf(doc);
  const s = doc.seller;
  const logo = `data:image/png;base64,${sampleLogo().toString('base64')}`;
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><style>
@page{size:A4;margin:48px}body{font-family:'DejaVu Sans';font-size:9pt;color:#222}
.top{display:flex;justify-content:space-between}.seller{text-align:right;font-size:8pt;color:#667}
h1{color:#0f6e78;font-size:24pt}table{width:100%;border-collapse:collapse}th{background:#0f6e78;color:#fff;font-size:7.5pt;text-align:left;padding:4px}
td{padding:5px;vertical-align:top}tr:nth-child(even){background:#f3f8f8}.d{color:#667;font-size:7.5pt}.n{text-align:right}
.pay{background:#e8f2f2;border-left:3px solid #0f6e78;padding:12px;display:flex;justify-content:space-between}
thead{display:table-header-group}</style></head><body>
<div class="top"><img src="${logo}" height="58"><div class="seller"><b>${s.name}</b><br>${s.address.street}<br>${s.address.postalCode} ${s.address.city}<br>KvK ${s.kvkNumber}<br>Btw-nr. ${s.vatNumber}</div></div>
<h1>Factuur</h1><div class="top"><div><b>${doc.buyer.name}</b><br>${doc.buyer.address.street}<br>${doc.buyer.address.postalCode} ${doc.buyer.address.city}<br>Btw-nummer: ${doc.buyer.vatNumber}</div>
<div>Factuurnummer <b>${doc.number}</b><br>Factuurdatum <b>${formatDate(doc.issueDate, 'nl')}</b><br>Vervaldatum <b>${formatDate(doc.dueDate ?? doc.issueDate, 'nl')}</b></div></div>
<table><thead><tr><th>Omschrijving</th><th>Aantal</th><th>Eenheid</th><th>Prijs excl. btw</th><th>Btw</th><th>Bedrag</th></tr></thead><tbody>
${r.lines.map((l) => `<tr><td>${l[0]}<div class="d">${l[1]}</div></td><td class="n">${l[2]}</td><td>${l[3]}</td><td class="n">${l[4]}</td><td class="n">${l[5]}</td><td class="n">${l[6]}</td></tr>`).join('')}
</tbody></table><div class="top"><table style="width:45%">${r.vat.map((v) => `<tr><td>${v[0]}</td><td class="n">${v[1]}</td><td class="n">${v[2]}</td></tr>`).join('')}</table>
<table style="width:45%">${r.totals.map((t) => `<tr><td>${t[0]}</td><td class="n">${t[1]}</td></tr>`).join('')}</table></div>
<p>${doc.paymentTerms}</p><div class="pay"><div><b>Betaalgegevens</b><br>IBAN NL91 ABNA 0417 1643 00<br>BIC ABNANL2A<br>Betalingskenmerk ${doc.payment?.reference}</div>${qrSvg(doc)}</div>
</body></html>`;
}

async function reactPdfRenderer(doc: InvoiceDocument): Promise<() => Promise<Buffer>> {
  // React comes with @react-pdf/renderer as its peer; Kluis does not depend on its types.
  const reactName = 'react';
  const React: { createElement: (...args: unknown[]) => unknown } = await import(reactName);
  const rp = await import('@react-pdf/renderer');
  const h = React.createElement;
  rp.Font.register({
    family: 'DejaVu',
    fonts: [{ src: FONT_FILES.regular }, { src: FONT_FILES.bold, fontWeight: 'bold' }],
  });
  const r = rowsOf(doc);
  const logo = sampleLogo();
  const st = rp.StyleSheet.create({
    page: { padding: 48, fontFamily: 'DejaVu', fontSize: 9, color: '#222' },
    row: { flexDirection: 'row', justifyContent: 'space-between' },
    th: {
      flexDirection: 'row',
      backgroundColor: '#0f6e78',
      color: '#fff',
      fontSize: 7.5,
      padding: 4,
      fontWeight: 'bold',
    },
    tr: { flexDirection: 'row', padding: 5 },
    d: { color: '#667', fontSize: 7.5 },
  });
  const cell = (t: string, w: number | string, right = false) =>
    h(rp.Text, { style: { width: w, textAlign: right ? 'right' : 'left' } }, t);
  const qr = qrSvg(doc);
  void qr;
  const element = h(
    rp.Document,
    null,
    h(
      rp.Page,
      { size: 'A4', style: st.page },
      h(
        rp.View,
        { style: st.row },
        h(rp.Image, { src: logo, style: { height: 58, width: 174 } }),
        h(
          rp.View,
          null,
          h(rp.Text, { style: { fontWeight: 'bold' } }, doc.seller.name),
          h(rp.Text, null, doc.seller.address.street ?? ''),
          h(rp.Text, null, `KvK ${doc.seller.kvkNumber}`),
          h(rp.Text, null, `Btw-nr. ${doc.seller.vatNumber}`),
        ),
      ),
      h(
        rp.Text,
        { style: { fontSize: 24, color: '#0f6e78', fontWeight: 'bold', marginVertical: 16 } },
        'Factuur',
      ),
      h(
        rp.View,
        { style: st.row },
        h(rp.View, null, h(rp.Text, null, doc.buyer.name), h(rp.Text, null, doc.buyer.address.street ?? '')),
        h(
          rp.View,
          null,
          h(rp.Text, null, `Factuurnummer ${doc.number}`),
          h(rp.Text, null, `Factuurdatum ${formatDate(doc.issueDate, 'nl')}`),
        ),
      ),
      h(
        rp.View,
        { style: st.th, fixed: true },
        cell('Omschrijving', '40%'),
        cell('Aantal', '10%', true),
        cell('Eenheid', '10%'),
        cell('Prijs', '15%', true),
        cell('Btw', '10%', true),
        cell('Bedrag', '15%', true),
      ),
      ...r.lines.map((l) =>
        h(
          rp.View,
          { style: st.tr, wrap: false },
          h(rp.View, { style: { width: '40%' } }, h(rp.Text, null, l[0]), h(rp.Text, { style: st.d }, l[1])),
          cell(l[2] as string, '10%', true),
          cell(l[3] as string, '10%'),
          cell(l[4] as string, '15%', true),
          cell(l[5] as string, '10%', true),
          cell(l[6] as string, '15%', true),
        ),
      ),
      h(
        rp.View,
        { style: st.row },
        h(
          rp.View,
          { style: { width: '45%' } },
          ...r.vat.map((v) =>
            h(
              rp.View,
              { style: st.row },
              cell(v[0] as string, '30%'),
              cell(v[1] as string, '35%', true),
              cell(v[2] as string, '35%', true),
            ),
          ),
        ),
        h(
          rp.View,
          { style: { width: '45%' } },
          ...r.totals.map((t) =>
            h(rp.View, { style: st.row }, cell(t[0] as string, '50%'), cell(t[1] as string, '50%', true)),
          ),
        ),
      ),
      h(
        rp.View,
        { style: { backgroundColor: '#e8f2f2', padding: 12, marginTop: 16 } },
        h(rp.Text, null, 'Betaalgegevens'),
        h(rp.Text, null, 'IBAN NL91 ABNA 0417 1643 00'),
        h(rp.Text, null, `Betalingskenmerk ${doc.payment?.reference}`),
        h(rp.Image, { src: logo, style: { width: 90, height: 30 } }),
      ),
    ),
  );
  return () => rp.renderToBuffer(element as Parameters<typeof rp.renderToBuffer>[0]);
}

async function timeEach(runs: number, warmup: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function chromiumMs(html: string): Promise<number> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kluis-bench-chromium-'));
  // A persistent context on a fresh directory: the user-data dir is ours, the browser starts clean.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', ...CHROMIUM_FLAGS],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return await timeEach(40, 5, async () => {
      await page.setContent(html);
      return page.pdf({ format: 'A4', printBackground: true });
    });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const BULK_PER_WORKER = 1500;

/** Writes in flight at once per worker: the thread pool stores while the thread renders the next invoice. */
const WRITES_IN_FLIGHT = 8;

// Worker side of the bulk path: render, encrypt and write `count` invoices, report elapsed ms. The
// writes are asynchronous, as the blob store's are, so file creation overlaps with rendering.
async function bulkWorker(count: number, outDir: string): Promise<void> {
  const key = randomBytes(32);
  const keys: DataKeys = { current: { id: 1, key }, byId: (id) => (id === 1 ? key : undefined) };
  const docs = Array.from({ length: 20 }, (_, i) => ({
    ...sampleInvoice(),
    number: `2026-${String(i).padStart(4, '0')}`,
  }));
  const xmls = docs.map(facturXStandIn);
  for (let i = 0; i < 50; i++) renderInvoicePdf(docs[0] as InvoiceDocument);
  const t = performance.now();
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    const doc = docs[i % docs.length] as InvoiceDocument;
    const pdf = renderInvoicePdf(doc, { facturX: xmls[i % xmls.length] as Buffer });
    const sealed = encryptBlob(keys, { tenantId: 'bench', key: `invoices/${i}.pdf` }, pdf);
    const write: Promise<void> = writeFile(join(outDir, `${workerData.index}-${i}.bin`), sealed).then(() => {
      pending.delete(write);
    });
    pending.add(write);
    if (pending.size >= WRITES_IN_FLIGHT) await Promise.race(pending);
  }
  await Promise.all(pending);
  parentPort?.postMessage(performance.now() - t);
}

/** The bulk path alone: render, encrypt and write on both cores; invoices per second. */
export async function bulkPerSecond(): Promise<{ workers: number; perSecond: number }> {
  const workers = Math.max(1, Math.min(2, cpus().length));
  const outDir = mkdtempSync(join(tmpdir(), 'kluis-bench-pdf-'));
  // Each worker times its own loop, so thread start-up and module loading are not counted.
  const elapsed = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), {
            workerData: { kind: 'pdf-bulk', index, count: BULK_PER_WORKER, outDir },
          });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  const seconds = Math.max(...elapsed) / 1000;
  rmSync(outDir, { recursive: true, force: true });
  return { workers, perSecond: Math.round((workers * BULK_PER_WORKER) / seconds) };
}

/** Runs the PDF benchmark, prints its lines and returns the medians. */
export async function benchPdf(): Promise<{
  kluisMs: number;
  reactPdfMs: number;
  chromiumMs: number;
  bulkPerSecond: number;
}> {
  const doc = sampleInvoice();
  const xml = facturXStandIn(doc);
  const kluisMs = await timeEach(400, 200, () => renderInvoicePdf(doc, { facturX: xml }));
  const reactPdf = await reactPdfRenderer(doc);
  const reactPdfMs = await timeEach(40, 5, reactPdf);
  const chromium = await chromiumMs(invoiceHtml(doc));
  const bulk = await bulkPerSecond();
  const r = (n: number) => +n.toFixed(3);
  console.log(
    `pdf: Kluis ${r(kluisMs)} ms per invoice (PDF/A-3 + Factur-X XML), @react-pdf/renderer ${r(reactPdfMs)} ms ` +
      `(${(reactPdfMs / kluisMs).toFixed(1)}× slower), Chromium page.pdf() ${r(chromium)} ms (${(chromium / kluisMs).toFixed(1)}× slower); ` +
      `bulk render + encrypt + write: ${bulk.perSecond} invoices/s on ${bulk.workers} workers`,
  );
  return {
    kluisMs: r(kluisMs),
    reactPdfMs: r(reactPdfMs),
    chromiumMs: r(chromium),
    bulkPerSecond: bulk.perSecond,
  };
}

if (!isMainThread && workerData?.kind === 'pdf-bulk') await bulkWorker(workerData.count, workerData.outDir);
