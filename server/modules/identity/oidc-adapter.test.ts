/**
 * The provider's storage (Identity point 1): state lives in the database, survives a restart (a
 * new adapter on the same database), is sealed at rest, and grants revoke all their artefacts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { databaseAdapter, purgeExpiredPayloads } from './oidc-adapter.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

const noClients = async () => undefined;

test('payloads are sealed, survive a new adapter, can be consumed and revoked by grant', async () => {
  const Adapter = databaseAdapter(s, noClients);
  const sessions = new Adapter('Session');
  const tokens = new Adapter('RefreshToken');
  await sessions.upsert('sess-1', { accountId: 'acc-1', loginHint: 'jan@voorbeeld.nl', uid: 'u-1' }, 3600);
  await tokens.upsert('rt-1', { grantId: 'g-1', accountId: 'acc-1' }, 3600);
  await tokens.upsert('rt-2', { grantId: 'g-2', accountId: 'acc-1' }, 3600);

  const raw = await s.db.asOwner<{ payload_enc: Buffer }>('SELECT payload_enc FROM oidc_payloads');
  for (const r of raw) assert.ok(!Buffer.from(r.payload_enc).includes(Buffer.from('voorbeeld')));

  const Restarted = databaseAdapter(s, noClients);
  assert.equal((await new Restarted('Session').find('sess-1'))?.loginHint, 'jan@voorbeeld.nl');
  assert.equal((await new Restarted('Session').findByUid('u-1'))?.accountId, 'acc-1');
  assert.equal(await new Restarted('RefreshToken').find('sess-1'), undefined, 'models are separate');

  await tokens.consume('rt-1');
  assert.ok(typeof (await tokens.find('rt-1'))?.consumed === 'number');

  await tokens.revokeByGrantId('g-1');
  assert.equal(await tokens.find('rt-1'), undefined);
  assert.ok(await tokens.find('rt-2'));

  await sessions.destroy('sess-1');
  assert.equal(await sessions.find('sess-1'), undefined);
});

test('an expired payload is gone, and a sealed payload moved to another id does not open', async () => {
  const sessions = new (databaseAdapter(s, noClients))('Session');
  await sessions.upsert('old', { accountId: 'a' }, 1);
  await s.db.asOwner("UPDATE oidc_payloads SET expires_at = now() - interval '1 minute' WHERE id = 'old'");
  assert.equal(await sessions.find('old'), undefined);
  assert.ok((await purgeExpiredPayloads(s)) >= 1, 'expired rows are purged');
  const left = await s.db.asOwner("SELECT 1 FROM oidc_payloads WHERE id = 'old'");
  assert.equal(left.length, 0);
  await sessions.upsert('real', { accountId: 'victim' }, 3600);
  await sessions.upsert('fake', { accountId: 'attacker' }, 3600);
  await s.db.asOwner(
    "UPDATE oidc_payloads SET payload_enc = (SELECT payload_enc FROM oidc_payloads WHERE id = 'real') WHERE id = 'fake'",
  );
  assert.equal(await sessions.find('fake'), undefined);
});

test("a grant's business binding goes with the grant", async () => {
  const grants = new (databaseAdapter(s, noClients))('Grant');
  await grants.upsert('g-live', { accountId: 'acc-2' }, 3600);
  const bind = (grantId: string) =>
    s.db.asOwner(
      `INSERT INTO oidc_grant_businesses (grant_id, user_id, business_id, created_at)
       VALUES ($1, gen_random_uuid(), gen_random_uuid(), now())`,
      [grantId],
    );
  await bind('g-live');
  await bind('g-gone');
  await purgeExpiredPayloads(s);
  const left = await s.db.asOwner<{ grant_id: string }>(
    'SELECT grant_id FROM oidc_grant_businesses ORDER BY 1',
  );
  assert.deepEqual(
    left.map((r) => r.grant_id),
    ['g-live'],
  );
});
