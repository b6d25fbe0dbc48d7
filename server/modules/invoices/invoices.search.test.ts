/**
 * Lists (Invoicing core point 14): `GET /api/v1/invoices` finds by text — a part of the number, or
 * the customer's name through its blind index — combined with the other filters and cursor pages;
 * `GET /api/v1/customers?q=` finds a customer by any identifier. Never another business's records.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { prepareBusiness, workedExample } from './invoices.testing.ts';

let t: ApiTest;
let ownerA: string;

before(async () => {
  t = await openApiTest();
  ({ ownerA } = t);
});
after(() => t.close());

const ids = async (query: string, token = ownerA) => {
  const res = await t.call('GET', `/api/v1/invoices?${query}`, token);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items.map((i: { id: string }) => i.id) as string[];
};

describe('GET /api/v1/invoices?q=', () => {
  test('matches a part of the number, or the whole customer name in any case, with the other filters and cursors', async () => {
    const korf = await prepareBusiness(t.a);
    const molen = (
      await t.call('POST', '/api/v1/customers', ownerA, {
        kind: 'company',
        name: 'De  Molen  V.O.F.',
        address: { street: 'Molenweg 2', postalCode: '2345 CD', city: 'Leiden', country: 'NL' },
      })
    ).json().id as string;
    const make = async (customerId: string, issue: boolean) => {
      const created = await t.call('POST', '/api/v1/invoices', ownerA, workedExample(customerId));
      assert.equal(created.statusCode, 201, created.body);
      const d = created.json();
      if (!issue) return d.id as string;
      const res = await t.call('POST', `/api/v1/invoices/${d.id}/issue`, ownerA);
      assert.equal(res.statusCode, 200, res.body);
      const issued = res.json();
      return { id: issued.id as string, number: issued.number as string };
    };
    const k1 = (await make(korf, true)) as { id: string; number: string };
    const k2 = (await make(korf, true)) as { id: string; number: string };
    const kDraft = (await make(korf, false)) as string;
    const m1 = (await make(molen, true)) as { id: string; number: string };
    const mDraft = (await make(molen, false)) as string;

    assert.deepEqual(await ids(`q=${encodeURIComponent(k2.number)}`), [k2.id], 'the whole number');
    const suffix = k1.number.slice(-2);
    assert.ok((await ids(`q=${suffix}`)).includes(k1.id), 'a part of the number');
    assert.deepEqual(
      await ids('q=de%20molen%20v.o.f.'),
      [m1.id, mDraft].sort(),
      'the name, any case and spacing',
    );
    assert.deepEqual(await ids('q=de%20molen%20v.o.f.&status=issued'), [m1.id], 'with status');
    assert.deepEqual(
      await ids(`q=${encodeURIComponent('Bakkerij De Korf B.V.')}&customerId=${korf}`),
      [k1.id, k2.id, kDraft].sort(),
    );
    assert.deepEqual(
      await ids('q=Bakkerij&from=2026-01-01'),
      [],
      'a part of a name is no match: names are not stored in plaintext',
    );
    assert.deepEqual(await ids('q=%25'), [], 'LIKE wildcards are taken literally');
    assert.deepEqual(await ids('q=_'), []);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await t.call(
          'GET',
          `/api/v1/invoices?q=${encodeURIComponent('bakkerij de korf b.v.')}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          ownerA,
        )
      ).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [k1.id, k2.id, kDraft].sort(), 'cursor pages of a text search, each once');

    assert.equal((await t.call('GET', '/api/v1/invoices?q=', ownerA)).statusCode, 400);
    assert.equal((await t.call('GET', `/api/v1/invoices?q=${'x'.repeat(201)}`, ownerA)).statusCode, 400);
  });

  test("another business's invoices never match, by number or by name", async () => {
    const theirs = await prepareBusiness(t.b);
    const d = (await t.call('POST', '/api/v1/invoices', t.ownerB, workedExample(theirs))).json();
    const issued = (await t.call('POST', `/api/v1/invoices/${d.id}/issue`, t.ownerB)).json();
    assert.ok(!(await ids(`q=${encodeURIComponent(issued.number)}`)).includes(issued.id));
    assert.ok(!(await ids(`q=${encodeURIComponent('Bakkerij De Korf B.V.')}`)).includes(issued.id));
    assert.ok((await ids(`q=${encodeURIComponent(issued.number)}`, t.ownerB)).includes(issued.id));
  });
});

describe('GET /api/v1/customers?q=', () => {
  test('finds a customer by name, e-mail, IBAN, VAT or KvK number; not another business’s', async () => {
    const body = {
      kind: 'company',
      name: 'Zoekbaar B.V.',
      email: 'info@zoekbaar.example',
      iban: 'NL02ABNA0123456789',
      vatNumber: 'NL004495445B01',
      kvkNumber: '87654321',
    };
    const mine = (await t.call('POST', '/api/v1/customers', ownerA, body)).json();
    const theirs = (await t.call('POST', '/api/v1/customers', t.ownerB, body)).json();
    for (const q of ['zoekbaar b.v.', 'INFO@zoekbaar.example', 'nl02 abna 0123 4567 89', '87654321']) {
      const res = await t.call('GET', `/api/v1/customers?q=${encodeURIComponent(q)}`, ownerA);
      assert.equal(res.statusCode, 200, res.body);
      const found = res.json().items.map((c: { id: string }) => c.id);
      assert.ok(found.includes(mine.id), q);
      assert.ok(!found.includes(theirs.id), q);
    }
    const none = await t.call('GET', '/api/v1/customers?q=niemand', ownerA);
    assert.deepEqual(none.json(), { items: [], nextCursor: null });
  });
});
