/**
 * The business's logo and accent colour on its PDFs (issue 5 point 1): set through the API, drawn
 * into each PDF at issue, frozen there (a later logo never changes an issued invoice, and a lost PDF
 * renders again to the same bytes), validated, and confined to the business.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { inTenant } from '../../db/transactions.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant, type TestServices } from '../../test/harness.ts';
import { addMember, mintAccessToken } from '../identity/testing.ts';
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

/** A width × height RGB PNG filled with one colour. */
function png(width: number, height: number, rgb: [number, number, number] = [200, 30, 30]): Buffer {
  const chunk = (kind: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(kind, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const logoBody = (data: Buffer, contentType = 'image/png') => ({
  logo: { contentType, data: data.toString('base64') },
});

/** The image XObjects of a PDF (width × height) and its inflated content streams. */
function inspect(pdf: Buffer): { images: string[]; content: string } {
  const text = pdf.toString('latin1');
  const images = [...text.matchAll(/\/Subtype \/Image \/Width (\d+) \/Height (\d+)/g)].map(
    (m) => `${m[1]}x${m[2]}`,
  );
  let content = '';
  for (const m of text.matchAll(/\/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    try {
      content += inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      // not a complete deflate stream (trailing EOL); the content streams inflate fine
    }
  }
  return { images, content };
}

/** `pdfimages -list` of a PDF (poppler-utils), or null where poppler is not installed. */
function pdfImages(pdf: Buffer): string | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'kluis-logo-'));
  try {
    writeFileSync(path.join(dir, 'a.pdf'), pdf);
    return execFileSync('pdfimages', ['-list', path.join(dir, 'a.pdf')]).toString('utf8');
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function issueOne(token: string): Promise<{ id: string; number: string }> {
  const c = await call('POST', '/api/v1/customers', token, {
    kind: 'company',
    name: 'Bakkerij De Korf B.V.',
    address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
    kvkNumber: '12345678',
  });
  const draft = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    currency: 'EUR',
    lines: [{ description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' }],
  });
  const issued = await call('POST', `/api/v1/invoices/${draft.json().id}/issue`, token);
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json();
}

const pdfOf = async (id: string) => (await call('GET', `/api/v1/invoices/${id}/pdf`, ownerA)).rawPayload;

describe('invoice branding', () => {
  test('an issued PDF draws the logo and the accent colour, frozen at issue', async () => {
    const plain = inspect(await pdfOf((await issueOne(ownerA)).id));
    assert.deepEqual(plain.images, [], 'no logo yet');
    assert.ok(!plain.content.includes('0.753 1 0.933 rg'));

    const logo = png(40, 20);
    const set = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, {
      accentColor: '#c0ffee',
      ...logoBody(logo),
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().accentColor, '#C0FFEE');
    assert.equal(set.json().logo.contentType, 'image/png');
    // Saving the seller details again keeps the branding.
    await setInvoiceSettings(a, SELLER);
    assert.deepEqual((await call('GET', '/api/v1/invoice-settings/branding', ownerA)).json(), set.json());
    const served = await call('GET', '/api/v1/invoice-settings/branding/logo', ownerA);
    assert.equal(served.headers['content-type'], 'image/png');
    assert.deepEqual(served.rawPayload, logo);

    const inv = await issueOne(ownerA);
    const first = await pdfOf(inv.id);
    const drawn = inspect(first);
    assert.deepEqual(drawn.images, ['40x20'], 'the logo is an image XObject of its own size');
    assert.ok(drawn.content.includes('/Im1 Do'), 'and is drawn on the page');
    assert.ok(drawn.content.includes('0.753 1 0.933 rg'), 'the accent colour #C0FFEE is used');
    const listed = pdfImages(first);
    if (listed !== null)
      assert.match(listed, /^\s*1\s+0\s+image\s+40\s+20\s+rgb\b/m, 'poppler sees the logo');

    // A new logo and colour leave the issued invoice alone, even when its PDF must be rendered again.
    const other = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, {
      accentColor: '#000000',
      ...logoBody(png(10, 10, [0, 0, 255])),
    });
    assert.equal(other.statusCode, 200, other.body);
    await s.blobs.delete(a.tenantId, pdfBlobKey(inv.id));
    assert.deepEqual(await pdfOf(inv.id), first, 'rendered again from the frozen copy: the same bytes');
    assert.deepEqual(inspect(await pdfOf((await issueOne(ownerA)).id)).images, ['10x10']);
  });

  test('a null clears the logo; the colour stays unless given', async () => {
    const res = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, { logo: null });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { accentColor: '#000000', logo: null });
    assert.deepEqual(inspect(await pdfOf((await issueOne(ownerA)).id)).images, []);
    const missing = await call('GET', '/api/v1/invoice-settings/branding/logo', ownerA);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'logo_not_found');
    const cleared = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, { accentColor: null });
    assert.deepEqual(cleared.json(), { accentColor: null, logo: null });
  });

  test('bad colours and images are refused with stable codes and change nothing', async () => {
    const cases: [object, number, string][] = [
      [{ accentColor: '#12345' }, 400, 'accent_color_format'],
      [{ accentColor: 'red' }, 400, 'accent_color_format'],
      [logoBody(Buffer.from('GIF89a....'), 'image/gif'), 400, 'logo_type'],
      [logoBody(Buffer.from('not a png at all, just text')), 422, 'logo_unsupported'],
      [logoBody(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg'), 422, 'logo_unsupported'],
      [logoBody(Buffer.alloc(256 * 1024 + 1, 1)), 413, 'logo_too_large'],
      [logoBody(png(3000, 2000)), 413, 'logo_too_large'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, body);
      assert.equal(res.statusCode, status, `${code}: ${res.body}`);
      assert.equal(res.json().error.code, code);
    }
    const bad64 = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, {
      logo: { contentType: 'image/png', data: '***' },
    });
    assert.equal(bad64.statusCode, 400);
    assert.deepEqual((await call('GET', '/api/v1/invoice-settings/branding', ownerA)).json(), {
      accentColor: null,
      logo: null,
    });
  });

  test('viewers may look but not change; a business without settings gets 409', async () => {
    const viewer = await t.tokenFor(a, 'viewer');
    assert.equal((await call('GET', '/api/v1/invoice-settings/branding', viewer)).statusCode, 200);
    const res = await call('PATCH', '/api/v1/invoice-settings/branding', viewer, { accentColor: '#112233' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'insufficient_permission');
    const fresh = await makeTenant(s, 'Nieuw');
    const token = await mintAccessToken(s, {
      sub: await addMember(s, fresh.tenantId, 'owner'),
      kluis_tenant: fresh.tenantId,
    });
    const early = await call('PATCH', '/api/v1/invoice-settings/branding', token, { accentColor: '#112233' });
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'invoice_settings_missing');
  });

  test("one business's logo is not another's", async () => {
    const mine = await call('PATCH', '/api/v1/invoice-settings/branding', ownerA, logoBody(png(8, 8)));
    assert.equal(mine.statusCode, 200);
    assert.deepEqual((await call('GET', '/api/v1/invoice-settings/branding', ownerB)).json(), {
      accentColor: null,
      logo: null,
    });
    const theirs = await call('GET', '/api/v1/invoice-settings/branding/logo', ownerB);
    assert.equal(theirs.statusCode, 404);
    assert.equal(theirs.json().error.code, 'logo_not_found');
    // The blob itself is under A's key: B cannot read it by its name.
    const keysB = await inTenant(s.db, t.b.tenantId, (tx) => s.keyring.forTenant(tx, t.b.tenantId));
    const name = `logos/${mine.json().logo.sha256}`;
    await assert.rejects(s.blobs.get(keysB, name));
    assert.ok((await s.blobs.get(keysA, name)).length > 0);
  });
});
