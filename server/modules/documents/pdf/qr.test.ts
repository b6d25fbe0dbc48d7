/**
 * The EPC QR code: the payload follows EPC069-12 v002, the mask chosen here gives exactly the symbol
 * `qrcode` itself builds with that mask, and a decoder (jsQR) reads the payload back — from the
 * matrix, and from the rendered invoice page rasterised by pdftoppm, as a banking app's camera would.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import jsqr from 'jsqr';
import QRCode from 'qrcode';
import { decodePng } from './images.ts';
import { epcPayload, isRfReference, qrMatrix } from './qr.ts';
import { renderInvoicePdf } from './render.ts';
import { sampleInvoice } from './sample.ts';

// jsqr's types describe an ES default export, but the CommonJS module.exports is the function itself.
const jsQR = jsqr as unknown as typeof jsqr.default;

const transfer = {
  name: 'Studio Noordlicht B.V.',
  iban: 'NL91 ABNA 0417 1643 00',
  bic: 'ABNANL2A',
  amountCents: 300196n,
  reference: 'RF18539007547034',
};

function rasterise(
  size: number,
  modules: Uint8Array,
  scale = 4,
  quiet = 4,
): { data: Uint8ClampedArray; side: number } {
  const side = (size + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const r = Math.floor(y / scale) - quiet;
      const c = Math.floor(x / scale) - quiet;
      if (r >= 0 && c >= 0 && r < size && c < size && modules[r * size + c])
        data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { data, side };
}

describe('EPC QR code', () => {
  test('payload follows EPC069-12 version 002', () => {
    assert.equal(
      epcPayload(transfer),
      'BCD\n002\n1\nSCT\nABNANL2A\nStudio Noordlicht B.V.\nNL91ABNA0417164300\nEUR3001.96\n\nRF18539007547034',
    );
    // A Dutch betalingskenmerk is not an RF reference: it goes in the unstructured field.
    const plain = epcPayload({ ...transfer, bic: null, reference: '1234 5678 9012 3456', amountCents: 5n });
    assert.equal(
      plain,
      'BCD\n002\n1\nSCT\n\nStudio Noordlicht B.V.\nNL91ABNA0417164300\nEUR0.05\n\n\n1234 5678 9012 3456',
    );
    assert.equal(epcPayload({ ...transfer, amountCents: 0n }), null);
    assert.equal(epcPayload({ ...transfer, amountCents: 100_000_000_000n }), null);
    assert.ok(isRfReference('RF18 5390 0754 7034'));
    assert.ok(!isRfReference('RF19539007547034'));
  });

  test('the chosen mask gives the same symbol qrcode builds with that mask', () => {
    for (const text of [epcPayload(transfer) ?? '', 'x', 'Één betaling € 12,50 — ok'.repeat(6)]) {
      const m = qrMatrix(text);
      const reference = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], {
        errorCorrectionLevel: 'M',
        maskPattern: m.mask as 0,
      });
      assert.deepEqual(m.modules, Uint8Array.from(reference.modules.data));
    }
  });

  test('a decoder reads the payload back from the matrix', () => {
    const payload = epcPayload({ ...transfer, name: 'Café Zoë & Co' }) ?? '';
    const m = qrMatrix(payload);
    const { data, side } = rasterise(m.size, m.modules);
    const read = jsQR(data, side, side);
    assert.equal(Buffer.from(read?.binaryData ?? []).toString('utf8'), payload);
  });

  test('a decoder reads the payload from the rendered invoice page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kluis-qr-'));
    const doc = sampleInvoice();
    writeFileSync(join(dir, 'i.pdf'), renderInvoicePdf(doc));
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', join(dir, 'i.pdf'), join(dir, 'page')]);
    const page = decodePng(readFileSync(join(dir, 'page.png')));
    const rgba = new Uint8ClampedArray(page.width * page.height * 4);
    for (let p = 0; p < page.width * page.height; p++) {
      for (let c = 0; c < 3; c++)
        rgba[p * 4 + c] = page.pixels[p * page.channels + (page.channels === 3 ? c : 0)] as number;
      rgba[p * 4 + 3] = 255;
    }
    const read = jsQR(rgba, page.width, page.height);
    const expected = epcPayload({ ...transfer, amountCents: doc.totals.payableAmount });
    assert.equal(Buffer.from(read?.binaryData ?? []).toString('utf8'), expected);
  });
});
