/**
 * Privacy center point 2, the business's own copy of the agreement: after the business names who
 * represents it (business details, `representative`), the PDF it downloads states its name, seat,
 * address, KvK number and representative, and the acceptance record. The representative is personal
 * data: sealed at rest, and a too-long one is refused with 422 without changing anything.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import type { ApiTest } from '../../test/api.ts';
import { signUp } from '../identity/accounts.service.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { SELLER } from '../invoices/invoices.testing.ts';
import { openLegalTest } from './legal.testing.ts';

const REPRESENTATIVE = 'J. de Vries, directeur';
let t: ApiTest;
before(async () => {
  t = await openLegalTest();
});
after(() => t.close());

async function signedUp() {
  const rt = createIdentityRuntime(t.s);
  const email = `owner-${Math.random().toString(36).slice(2)}@example.test`;
  const { userId, tenantId } = await signUp(
    rt,
    { email, password: 'een lange zin van woorden', businessName: 'Bakkerij De Korf', locale: 'nl' },
    { ip: '198.51.100.7', requestId: 'req-signup' },
  );
  return { userId, tenantId, token: await mintAccessToken(t.s, { sub: userId, kluis_tenant: tenantId }) };
}

/** The PDF's text with every run of white space (line wraps too) as one space. */
function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
}

const put = (token: string, extra: Record<string, unknown>) =>
  t.call('PUT', '/api/v1/invoice-settings', token, { ...SELLER, ...extra });

test('the PDF copy names the business, its seat, address, KvK number and representative, and the acceptance', async () => {
  const { userId, token } = await signedUp();
  const before = pdfText((await t.call('GET', '/api/v1/agreement.pdf', token)).rawPayload);
  assert.doesNotMatch(before, /vertegenwoordigd door/, 'no representative before one is set');

  const res = await put(token, { representative: `  ${REPRESENTATIVE} ` });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().representative, REPRESENTATIVE, 'trimmed');
  assert.equal(
    (await t.call('GET', '/api/v1/invoice-settings', token)).json().representative,
    REPRESENTATIVE,
  );

  const pdf = await t.call('GET', '/api/v1/agreement.pdf', token);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  const text = pdfText(pdf.rawPayload);
  assert.match(
    text,
    /Verwerkingsverantwoordelijke: Testbedrijf B\.V\., statutair gevestigd te Amsterdam, kantoorhoudende op Keizersgracht 1, 1015 CJ Amsterdam, KvK-nummer 12345678, vertegenwoordigd door J\. de Vries, directeur/,
  );
  assert.match(text, /Acceptatie/);
  assert.match(text, /Versie: 1\.0/);
  assert.match(text, new RegExp(`Door: user ${userId}`));
  assert.match(text, /Vanaf IP-adres: 198\.51\.100\.7/);
});

test('leaving the representative out keeps it; null clears it', async () => {
  const { token } = await signedUp();
  await put(token, { representative: REPRESENTATIVE });
  const kept = await put(token, { phone: '020 123 4567' });
  assert.equal(kept.statusCode, 200, kept.body);
  assert.equal(kept.json().representative, REPRESENTATIVE);
  const cleared = await put(token, { representative: null });
  assert.equal(cleared.json().representative, null);
  const text = pdfText((await t.call('GET', '/api/v1/agreement.pdf', token)).rawPayload);
  assert.doesNotMatch(text, /vertegenwoordigd door/);
  assert.match(text, /statutair gevestigd te Amsterdam/);
});

test('the representative is sealed at rest', async () => {
  const { tenantId, token } = await signedUp();
  await put(token, { representative: REPRESENTATIVE });
  const [row] = await inTenant(t.s.db, tenantId, (tx) =>
    queryRows<{ representative_enc: Uint8Array | null }>(
      tx,
      sql`SELECT representative_enc FROM invoice_settings WHERE tenant_id = ${tenantId}`,
    ),
  );
  assert.ok(row?.representative_enc && row.representative_enc.length > REPRESENTATIVE.length);
  assert.equal(Buffer.from(row.representative_enc).includes('de Vries'), false, 'no plain text stored');
});

test('a representative longer than 120 characters is refused with 422 and changes nothing', async () => {
  const { token } = await signedUp();
  await put(token, { representative: REPRESENTATIVE });
  const res = await put(token, { representative: 'x'.repeat(121) });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'representative_too_long');
  assert.deepEqual(
    res.json().error.issues.map((i: { path: string }) => i.path),
    ['representative'],
  );
  assert.equal(JSON.stringify(res.json()).includes('x'.repeat(121)), false, 'the value is not echoed');
  const now = await t.call('GET', '/api/v1/invoice-settings', token);
  assert.equal(now.json().representative, REPRESENTATIVE);
  assert.equal((await put(token, { representative: 'x'.repeat(120) })).statusCode, 200, '120 is allowed');
});
