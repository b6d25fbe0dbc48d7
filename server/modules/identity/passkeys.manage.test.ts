/**
 * Managing one's passkeys through the API (Identity point 6, for the web app's security screen):
 * a passkey registered with a name is listed under it (the name sealed at rest), renamed, and
 * removed; another person's passkey is as missing as an unknown one; a blank name is refused.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { eq } from 'drizzle-orm';
import { type App, buildApp } from '../../app.ts';
import { inSystem } from '../../db/transactions.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { signUp } from './accounts.service.ts';
import { SoftAuthenticator } from './factors/soft-authenticator.ts';
import { userPasskeys } from './identity.tables.ts';
import { createIdentityRuntime, type IdentityRuntime } from './runtime.ts';
import { mintAccessToken, TEST_PUBLIC_URL } from './testing.ts';

let s: TestServices;
let app: App;
let rt: IdentityRuntime;

before(async () => {
  s = await makeServices();
  s.clock.set(new Date());
  ({ app } = await buildApp({ services: s }));
  await app.ready();
  rt = createIdentityRuntime(s);
});
after(async () => {
  await app.close();
  await s.close();
});

async function person(): Promise<{ headers: { authorization: string } }> {
  const email = `pkm-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const meta = { ip: '203.0.113.9', requestId: null };
  const { userId, tenantId } = await signUp(
    rt,
    { email, password: 'groene kikker zingt in de regen', businessName: 'Kikker', locale: 'nl' },
    meta,
  );
  const token = await mintAccessToken(s, { sub: userId, kluis_tenant: tenantId });
  return { headers: { authorization: `Bearer ${token}` } };
}

async function register(headers: { authorization: string }, name?: string): Promise<string> {
  const device = new SoftAuthenticator({ origin: TEST_PUBLIC_URL });
  const options = await app.inject({
    method: 'POST',
    url: '/api/v1/me/two-factor/passkeys/options',
    headers,
  });
  const creation = options.json() as PublicKeyCredentialCreationOptionsJSON;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/me/two-factor/passkeys',
    headers,
    payload: { response: device.register(creation), ...(name === undefined ? {} : { name }) },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { id: string }).id;
}

const list = async (headers: { authorization: string }) => {
  const res = await app.inject({ method: 'GET', url: '/api/v1/me/two-factor/passkeys', headers });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: { id: string; name: string | null; lastUsedAt: string | null }[] }).items;
};

test('a named passkey is listed under its name, sealed at rest, renamed and removed', async () => {
  const { headers } = await person();
  const laptop = await register(headers, 'Laptop van Jan');
  s.clock.advance(60_000); // listed oldest first
  const bare = await register(headers);
  const items = await list(headers);
  assert.deepEqual(
    items.map((p) => [p.id, p.name, p.lastUsedAt]),
    [
      [laptop, 'Laptop van Jan', null],
      [bare, null, null],
    ],
  );

  const [row] = await inSystem(s.db, (tx) =>
    tx.select().from(userPasskeys).where(eq(userPasskeys.id, laptop)),
  );
  assert.ok(row?.nameEnc, 'the name is stored');
  assert.ok(!Buffer.from(row.nameEnc).includes('Laptop van Jan'), 'the name is sealed, not in plain text');

  const renamed = await app.inject({
    method: 'PATCH',
    url: `/api/v1/me/two-factor/passkeys/${encodeURIComponent(bare)}`,
    headers,
    payload: { name: 'YubiKey' },
  });
  assert.equal(renamed.statusCode, 204, renamed.body);
  assert.equal((await list(headers)).find((p) => p.id === bare)?.name, 'YubiKey');

  const removed = await app.inject({
    method: 'DELETE',
    url: `/api/v1/me/two-factor/passkeys/${encodeURIComponent(laptop)}`,
    headers,
  });
  assert.equal(removed.statusCode, 204, removed.body);
  assert.deepEqual(
    (await list(headers)).map((p) => p.id),
    [bare],
  );
  const again = await app.inject({
    method: 'DELETE',
    url: `/api/v1/me/two-factor/passkeys/${encodeURIComponent(laptop)}`,
    headers,
  });
  assert.equal(again.statusCode, 404);
  assert.equal(again.json().error.code, 'passkey_not_found');
});

test("another person's passkey cannot be seen, renamed or removed; a blank name is refused", async () => {
  const owner = await person();
  const other = await person();
  const id = await register(owner.headers, 'Telefoon');
  assert.deepEqual(await list(other.headers), []);
  const url = `/api/v1/me/two-factor/passkeys/${encodeURIComponent(id)}`;
  const rename = await app.inject({
    method: 'PATCH',
    url,
    headers: other.headers,
    payload: { name: 'Mijn' },
  });
  assert.equal(rename.statusCode, 404);
  const remove = await app.inject({ method: 'DELETE', url, headers: other.headers });
  assert.equal(remove.statusCode, 404);

  const blank = await app.inject({ method: 'PATCH', url, headers: owner.headers, payload: { name: '   ' } });
  assert.equal(blank.statusCode, 400);
  assert.equal(blank.json().error.code, 'validation_failed');
  const tooLong = await app.inject({
    method: 'PATCH',
    url,
    headers: owner.headers,
    payload: { name: 'x'.repeat(61) },
  });
  assert.equal(tooLong.statusCode, 400);
  assert.deepEqual(
    (await list(owner.headers)).map((p) => p.name),
    ['Telefoon'],
  );
});
