/** Invariants 2 and 3: envelopes bound to their place, blind indexes, master rotation and shredding. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SYSTEM } from '../context.ts';
import { inTenant } from '../db/transactions.ts';
import { createCustomer, getCustomer, searchCustomers } from '../modules/customers/customers.service.ts';
import { rotateMasterKey } from '../modules/tenants/keys.service.ts';
import { listTenants, shredTenant } from '../modules/tenants/tenants.service.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';
import { DecryptError, seal } from './aead.ts';
import { blindIndex, normalise } from './blind-index.ts';
import { type DataKeys, decryptField, encryptField, type FieldPlace } from './envelope.ts';
import { Keyring } from './keyring.ts';
import { masterKeyFrom } from './master-key.ts';

const key = (n: number) => Buffer.alloc(32, n);
const keys: DataKeys = { current: { id: 7, key: key(1) }, byId: (id) => (id === 7 ? key(1) : undefined) };
const place: FieldPlace = { tenantId: 't1', table: 'customers', column: 'iban_enc', rowId: 'r1' };

describe('field envelopes', () => {
  test('round trip, with a versioned header carrying the key id and a fresh nonce each time', () => {
    const a = encryptField(keys, place, 'NL91ABNA0417164300');
    const b = encryptField(keys, place, 'NL91ABNA0417164300');
    assert.equal(a[0], 1, 'version byte');
    assert.equal(a.readUInt32BE(1), 7, 'key id');
    assert.notDeepEqual(a, b, 'random nonce: equal plaintexts give different envelopes');
    assert.equal(a.length, 1 + 4 + 12 + 18 + 16);
    assert.equal(decryptField(keys, place, a), 'NL91ABNA0417164300');
    assert.equal(decryptField(keys, place, encryptField(keys, place, '')), '');
    assert.equal(decryptField(keys, place, encryptField(keys, place, 'Zoë – €')), 'Zoë – €');
  });

  test('the envelope format is fixed: one sealed by hand as the layout says still opens', () => {
    // version ‖ key id ‖ AES-GCM(nonce ‖ ciphertext ‖ tag) with AAD = header ‖ "\0t\0table\0column\0row",
    // in UTF-8 (a non-ASCII place too): stored envelopes must keep opening whatever the code does inside.
    const at: FieldPlace = { ...place, rowId: 'rij-é' };
    const header = Buffer.from([1, 0, 0, 0, 7]);
    const aad = Buffer.concat([header, Buffer.from('\0t1\0customers\0iban_enc\0rij-é', 'utf8')]);
    const envelope = Buffer.concat([header, seal(key(1), Buffer.from('Zoë', 'utf8'), aad)]);
    assert.equal(decryptField(keys, at, envelope), 'Zoë');
    assert.throws(() => decryptField(keys, { ...at, rowId: 'rij-e' }, envelope), DecryptError);
  });

  test('a value copied to another row, column, table or tenant fails to decrypt', () => {
    const env = encryptField(keys, place, 'jan@example.nl');
    for (const moved of [
      { ...place, rowId: 'r2' },
      { ...place, column: 'email_enc' },
      { ...place, table: 'users' },
      { ...place, tenantId: 't2' },
    ]) {
      assert.throws(() => decryptField(keys, moved, env), DecryptError);
    }
  });

  test('a flipped bit, a changed key id or an unknown version is refused', () => {
    const env = encryptField(keys, place, 'secret');
    for (const i of [0, 2, 10, env.length - 1, 20]) {
      const bad = Buffer.from(env);
      bad[i] = (bad[i] ?? 0) ^ 1;
      assert.throws(() => decryptField(keys, place, bad), DecryptError, `byte ${i}`);
    }
    assert.throws(() => decryptField(keys, place, env.subarray(0, 10)), DecryptError);
  });
});

describe('blind indexes', () => {
  test('normalised, keyed and separated per column', () => {
    const k = key(3);
    const a = blindIndex(k, 'customers', 'iban_bidx', normalise.code('nl91 abna 0417 1643 00'));
    const b = blindIndex(k, 'customers', 'iban_bidx', normalise.code('NL91ABNA0417164300'));
    assert.deepEqual(a, b);
    assert.equal(a.length, 16);
    assert.notDeepEqual(a, blindIndex(k, 'customers', 'vat_number_bidx', 'NL91ABNA0417164300'));
    assert.notDeepEqual(a, blindIndex(key(4), 'customers', 'iban_bidx', 'NL91ABNA0417164300'));
    assert.equal(normalise.text('  Jan   de  VRIES '), 'jan de vries');
  });
});

describe('tenant keys', () => {
  let s: TestServices;
  before(async () => {
    s = await makeServices();
  });
  after(() => s.close());

  test('customers are found by e-mail, IBAN, VAT and KvK number through blind indexes', async () => {
    const ctx = await makeTenant(s);
    const c = await createCustomer(ctx, {
      kind: 'company',
      name: 'Bakkerij De Korf B.V.',
      email: 'administratie@dekorf.example',
      iban: 'NL91ABNA0417164300',
      vatNumber: 'NL004495445B01',
      kvkNumber: '12345678',
    });
    for (const [field, value] of [
      ['email', 'ADMINISTRATIE@dekorf.example '],
      ['iban', 'nl91 abna 0417 1643 00'],
      ['vatNumber', 'NL 004495445 B01'],
      ['kvkNumber', '1234 5678'],
      ['name', 'bakkerij de korf b.v.'],
    ] as const) {
      const found = await searchCustomers(ctx, field, value);
      assert.deepEqual(
        found.map((f) => f.id),
        [c.id],
        field,
      );
    }
    assert.deepEqual(await searchCustomers(ctx, 'iban', 'NL02ABNA0123456789'), []);
    const other = await makeTenant(s);
    assert.deepEqual(await searchCustomers(other, 'iban', 'NL91ABNA0417164300'), [], 'not across tenants');
  });

  test('rotating the master key rewraps tenant keys without touching the data', async () => {
    const ctx = await makeTenant(s);
    const c = await createCustomer(ctx, { kind: 'person', name: 'Els Jansen', iban: 'NL91ABNA0417164300' });
    const rowBefore = await s.db.asOwner<{ iban_enc: Buffer }>(
      'SELECT iban_enc FROM customers WHERE id = $1',
      [c.id],
    );
    const next = masterKeyFrom(randomBytes(32));
    const count = await rotateMasterKey(s, SYSTEM, next);
    assert.ok(count >= 1);
    const rowAfter = await s.db.asOwner<{ iban_enc: Buffer }>(
      'SELECT iban_enc FROM customers WHERE id = $1',
      [c.id],
    );
    assert.deepEqual(
      Buffer.from(rowAfter[0]!.iban_enc),
      Buffer.from(rowBefore[0]!.iban_enc),
      'data not re-encrypted',
    );
    const wrappedBy = await s.db.asOwner<{ master_key_id: string }>(
      'SELECT DISTINCT master_key_id FROM tenant_keys WHERE tenant_id = $1',
      [ctx.tenantId],
    );
    assert.deepEqual(wrappedBy, [{ master_key_id: next.id }]);
    // A process that knows only the new master key reads everything.
    const fresh = { ...s, keyring: new Keyring(next) };
    const again = await getCustomer({ ...ctx, services: fresh }, c.id);
    assert.equal(again.personal.iban, 'NL91ABNA0417164300');
  });

  test('after shredding, nothing of that tenant decrypts, not even with the master key', async () => {
    const ctx = await makeTenant(s, 'Te Vernietigen B.V.');
    const c = await createCustomer(ctx, { kind: 'person', name: 'Piet Puk', email: 'piet@example.nl' });
    const survivor = await makeTenant(s, 'Blijft B.V.');
    const kept = await createCustomer(survivor, { kind: 'person', name: 'Blijft' });
    const [row] = await s.db.asOwner<{ email_enc: Buffer }>('SELECT email_enc FROM customers WHERE id = $1', [
      c.id,
    ]);
    await shredTenant(s, SYSTEM, ctx.tenantId);
    await assert.rejects(getCustomer(ctx, c.id), { code: 'tenant_keys_destroyed' });
    const keyRows = await s.db.asOwner('SELECT 1 FROM tenant_keys WHERE tenant_id = $1', [ctx.tenantId]);
    assert.equal(keyRows.length, 0, 'no wrapped key left anywhere in the database');
    // Even a fresh keyring holding the master key cannot get the data key back.
    await assert.rejects(
      inTenant(s.db, ctx.tenantId, (tx) =>
        new Keyring(masterKeyFrom(randomBytes(32))).forTenant(tx, ctx.tenantId),
      ),
      { code: 'tenant_keys_destroyed' },
    );
    assert.ok(row?.email_enc, 'the ciphertext itself is still there until the purge');
    const tenants = await listTenants(s);
    assert.equal(tenants.find((t) => t.id === ctx.tenantId)?.name, null);
    assert.equal((await getCustomer(survivor, kept.id)).personal.name, 'Blijft', 'other tenants unaffected');
    await assert.rejects(shredTenant(s, SYSTEM, ctx.tenantId), { code: 'tenant_already_shredded' });
  });
});
