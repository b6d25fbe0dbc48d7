/**
 * The customers API as an integration uses it (Invoicing core points 1–3, 14): the issue's own
 * example, validation per field, search without plaintext, paging, optimistic locking, roles and
 * scopes, and another business's customer answering exactly like a missing one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';

let t: ApiTest;
let a: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];

before(async () => {
  t = await openApiTest();
  ({ a, ownerA, ownerB, call } = t);
});
after(() => t.close());

const DE_KORF = {
  kind: 'company',
  name: 'Bakkerij De Korf B.V.',
  email: 'administratie@dekorf.example',
  address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
  iban: 'NL91ABNA0417164300',
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
};

describe('customers API', () => {
  test("the issue's example creates a customer: 201 with its id, normalised and readable back", async () => {
    const res = await call('POST', '/api/v1/customers', ownerA, DE_KORF);
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json();
    assert.match(c.id, /^[0-9a-f-]{36}$/);
    assert.equal(c.name, 'Bakkerij De Korf B.V.');
    assert.equal(c.iban, 'NL91ABNA0417164300');
    assert.deepEqual(c.address, {
      street: 'Dorpsstraat 1',
      postalCode: '1234 AB',
      city: 'Amsterdam',
      country: 'NL',
    });
    const back = await call('GET', `/api/v1/customers/${c.id}`, ownerA);
    assert.deepEqual(back.json(), c);
  });

  test('each invalid field gets its own clear error, and nothing is stored', async () => {
    const probe = await call('GET', '/api/v1/customers?limit=200', ownerA);
    assert.equal(probe.statusCode, 200, probe.body);
    const before = (await call('GET', '/api/v1/customers?limit=200', ownerA)).json().items.length;
    const res = await call('POST', '/api/v1/customers', ownerA, {
      ...DE_KORF,
      iban: 'NL91ABNA0417164301',
      vatNumber: '111222333',
      kvkNumber: '1234',
      email: 'not-an-address',
      address: { ...DE_KORF.address, postalCode: '0123 SA' },
    });
    assert.equal(res.statusCode, 400);
    const { code, issues } = res.json().error;
    assert.equal(code, 'validation_failed');
    assert.deepEqual(
      Object.fromEntries(issues.map((i: { path: string; code: string }) => [i.path, i.code])),
      {
        iban: 'iban_checksum',
        vatNumber: 'vat_number_is_bsn',
        kvkNumber: 'kvk_format',
        email: 'email_format',
        'address.postalCode': 'postal_code_format',
      },
    );
    assert.equal((await call('GET', '/api/v1/customers?limit=200', ownerA)).json().items.length, before);
    const unknown = await call('POST', '/api/v1/customers', ownerA, { ...DE_KORF, favouriteColour: 'blue' });
    assert.equal(unknown.statusCode, 400, 'unknown fields are refused, not ignored');
  });

  test('search by e-mail, IBAN, VAT and KvK number finds the customer; paging walks every customer once', async () => {
    const created = (
      await call('POST', '/api/v1/customers', ownerA, { ...DE_KORF, iban: 'NL02ABNA0123456789' })
    ).json();
    const byIban = (
      await call('GET', '/api/v1/customers?iban=nl02%20abna%200123%204567%2089', ownerA)
    ).json();
    assert.deepEqual(
      byIban.items.map((c: { id: string }) => c.id),
      [created.id],
    );
    for (const q of [
      'email=ADMINISTRATIE%40dekorf.example',
      'vatNumber=NL004495445B01',
      'kvkNumber=12345678',
    ]) {
      const found = (await call('GET', `/api/v1/customers?${q}`, ownerA)).json();
      assert.ok(
        found.items.some((c: { id: string }) => c.id === created.id),
        q,
      );
    }
    for (let i = 0; i < 5; i++)
      await call('POST', '/api/v1/customers', ownerA, { kind: 'person', name: `P ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await call('GET', `/api/v1/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, ownerA)
      ).json();
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length, 'no customer twice');
    assert.ok(seen.length >= 7);
  });

  test('PATCH changes fields, validates the whole, and refuses a stale version with 409', async () => {
    const c = (await call('POST', '/api/v1/customers', ownerA, DE_KORF)).json();
    const res = await call('PATCH', `/api/v1/customers/${c.id}`, ownerA, {
      city: undefined,
      phone: '+31 20 123 4567',
      version: 1,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().phone, '+31 20 123 4567');
    assert.equal(res.json().version, 2);
    assert.equal(res.json().iban, DE_KORF.iban, 'untouched fields stay');
    const stale = await call('PATCH', `/api/v1/customers/${c.id}`, ownerA, { phone: null, version: 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'customer_changed');
    const bad = await call('PATCH', `/api/v1/customers/${c.id}`, ownerA, { iban: 'NL00XXXX' });
    assert.equal(bad.statusCode, 400);
  });

  test("another business's customer answers exactly like a missing one, on every route", async () => {
    const theirs = (
      await call('POST', '/api/v1/customers', ownerB, { kind: 'person', name: 'Van B' })
    ).json();
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'Gestolen' }],
    ] as const) {
      const foreign = await call(method, `/api/v1/customers/${theirs.id}`, ownerA, payload);
      const none = await call(method, `/api/v1/customers/${missing}`, ownerA, payload);
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json().error.code, none.json().error.code);
      assert.equal(foreign.json().error.message, none.json().error.message);
    }
    assert.equal((await call('GET', `/api/v1/customers/${theirs.id}`, ownerB)).json().name, 'Van B');
    const list = (await call('GET', '/api/v1/customers?limit=200', ownerA)).json();
    assert.ok(!list.items.some((c: { id: string }) => c.id === theirs.id));
  });

  test('a viewer reads but cannot write; a client needs the customers scopes', async () => {
    const viewer = await t.tokenFor(a, 'viewer');
    assert.equal((await call('GET', '/api/v1/customers', viewer)).statusCode, 200);
    const denied = await call('POST', '/api/v1/customers', viewer, { kind: 'person', name: 'X' });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.code, 'insufficient_permission');
  });
});
