/**
 * The products API (Invoicing core point 5): the catalogue with prices up to 4 decimals and VAT
 * checked by the invoice rules, text search and cursor paging, optimistic locking, archiving that
 * leaves invoices untouched, audit events, roles and scopes, and another business's product
 * answering exactly like a missing one on every route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant } from '../../test/harness.ts';
import { createApiClient } from '../clients/index.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { auditActions, prepareBusiness } from '../invoices/invoices.testing.ts';

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

const ADVIES = {
  name: 'Advies',
  description: 'Advies per uur',
  unit: 'hur',
  unitPrice: '95.1250',
  vatCategory: 'S',
  vatRate: '21.00',
};

type Page = { items: { id: string; name: string }[]; nextCursor: string | null };

describe('products API', () => {
  test('creates a product (201), normalised, readable back, with product.created in the audit chain', async () => {
    const res = await call('POST', '/api/v1/products', ownerA, ADVIES);
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json();
    assert.match(p.id, /^[0-9a-f-]{36}$/);
    assert.equal(p.unit, 'HUR');
    assert.equal(p.unitPrice, '95.1250', 'the price keeps its 4 decimals, as a string');
    assert.equal(p.vatRate, '21');
    assert.equal(p.archived, false);
    assert.equal(p.version, 1);
    const back = await call('GET', `/api/v1/products/${p.id}`, ownerA);
    assert.deepEqual(back.json(), p);
    assert.deepEqual(await auditActions(a, p.id), ['product.created']);
  });

  test('a bad price or a VAT rate the invoice rules refuse gets a stable code per field', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ unitPrice: '1.23456' }, 'unitPrice', 'decimal_too_many_decimals'],
      [{ unitPrice: '1e3' }, 'unitPrice', 'decimal_exponent'],
      [{ unitPrice: '-1' }, 'unitPrice', 'amount_negative'],
      [{ vatRate: '19' }, 'vatRate', 'vat_rate_not_in_table'],
      [{ vatRate: '0' }, 'vatRate', 'standard_rate_must_be_positive'],
      [{ vatCategory: 'Z', vatRate: '9' }, 'vatRate', 'vat_rate_must_be_zero'],
      [{ vatRate: 'abc' }, 'vatRate', 'vat_rate_format'],
      [{ unit: 'H.R' }, 'unit', 'unit_format'],
      [{ name: '  ' }, 'name', 'required'],
    ];
    for (const [change, path, code] of cases) {
      const res = await call('POST', '/api/v1/products', ownerA, { ...ADVIES, ...change });
      assert.equal(res.statusCode, 400, JSON.stringify(change));
      const error = res.json().error;
      assert.equal(error.code, 'validation_failed');
      assert.deepEqual(
        error.issues.map((i: { path: string; code: string }) => [i.path, i.code]),
        [[path, code]],
        JSON.stringify(change),
      );
    }
    const unknown = await call('POST', '/api/v1/products', ownerA, { ...ADVIES, colour: 'blue' });
    assert.equal(unknown.statusCode, 400, 'unknown fields are refused');
    const badCategory = await call('POST', '/api/v1/products', ownerA, { ...ADVIES, vatCategory: 'X' });
    assert.equal(badCategory.statusCode, 400);
    const exempt = await call('POST', '/api/v1/products', ownerA, {
      ...ADVIES,
      vatCategory: 'E',
      vatRate: '0',
    });
    assert.equal(exempt.statusCode, 201, 'an exempt product needs its reason only on the invoice');
  });

  test('the text filter matches name or description; paging walks every match once', async () => {
    const owner = await t.tokenFor(await freshTenant(), 'owner');
    for (const name of ['Broodjes wit', 'Broodjes bruin', 'Croissant', 'Taart 100%', 'Taart_klein']) {
      const res = await call('POST', '/api/v1/products', owner, {
        name,
        description: name.startsWith('Croissant') ? 'roomboter, geen broodje' : null,
        unitPrice: '2.50',
        vatCategory: 'S',
        vatRate: '9',
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const names = async (q: string) =>
      ((await call('GET', `/api/v1/products?q=${encodeURIComponent(q)}`, owner)).json() as Page).items
        .map((p) => p.name)
        .sort();
    assert.deepEqual(await names('BROODJE'), ['Broodjes bruin', 'Broodjes wit', 'Croissant']);
    assert.deepEqual(await names('100%'), ['Taart 100%'], '% is a character, not a wildcard');
    assert.deepEqual(await names('t_k'), ['Taart_klein'], '_ is a character, not a wildcard');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await call('GET', `/api/v1/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`, owner)
      ).json();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), [
      'Broodjes bruin',
      'Broodjes wit',
      'Croissant',
      'Taart 100%',
      'Taart_klein',
    ]);
    const bad = await call('GET', '/api/v1/products?cursor=nope', owner);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.issues[0].code, 'cursor_invalid');
  });

  test('PATCH validates the merged product and refuses a stale version with 409 product_changed', async () => {
    const p = (await call('POST', '/api/v1/products', ownerA, ADVIES)).json();
    const res = await call('PATCH', `/api/v1/products/${p.id}`, ownerA, { unitPrice: '99.99', version: 1 });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().unitPrice, '99.99');
    assert.equal(res.json().name, 'Advies', 'untouched fields stay');
    assert.equal(res.json().version, 2);
    const stale = await call('PATCH', `/api/v1/products/${p.id}`, ownerA, { name: 'X', version: 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'product_changed');
    const bad = await call('PATCH', `/api/v1/products/${p.id}`, ownerA, { vatCategory: 'Z' });
    assert.equal(bad.statusCode, 400, 'Z with the stored 21 % is inconsistent');
    assert.equal(bad.json().error.issues[0].code, 'vat_rate_must_be_zero');
    assert.deepEqual(await auditActions(a, p.id), ['product.created', 'product.updated']);
  });

  test('DELETE archives: gone from the list, still readable, frozen; an invoice made from it keeps its values', async () => {
    const customerId = await prepareBusiness(a);
    const p = (await call('POST', '/api/v1/products', ownerA, { ...ADVIES, name: 'Archief' })).json();
    const invoice = (
      await call('POST', '/api/v1/invoices', ownerA, {
        customerId,
        lines: [
          {
            description: p.name,
            quantity: '1',
            unit: p.unit,
            unitPrice: p.unitPrice,
            vatCategory: p.vatCategory,
            vatRate: p.vatRate,
          },
        ],
      })
    ).json();
    const del = await call('DELETE', `/api/v1/products/${p.id}`, ownerA);
    assert.equal(del.statusCode, 204);
    assert.equal((await call('DELETE', `/api/v1/products/${p.id}`, ownerA)).statusCode, 204, 'idempotent');
    const back = (await call('GET', `/api/v1/products/${p.id}`, ownerA)).json();
    assert.equal(back.archived, true);
    const active: Page = (await call('GET', '/api/v1/products?limit=200', ownerA)).json();
    assert.ok(!active.items.some((x) => x.id === p.id));
    const archived: Page = (await call('GET', '/api/v1/products?archived=true', ownerA)).json();
    assert.ok(archived.items.some((x) => x.id === p.id));
    const patch = await call('PATCH', `/api/v1/products/${p.id}`, ownerA, { name: 'Weer terug' });
    assert.equal(patch.statusCode, 409);
    assert.equal(patch.json().error.code, 'product_archived');
    const line = (await call('GET', `/api/v1/invoices/${invoice.id}`, ownerA)).json().lines[0];
    assert.equal(line.unitPrice, '95.1250');
    assert.equal(line.description, 'Archief');
    assert.deepEqual(await auditActions(a, p.id), ['product.created', 'product.deleted']);
  });

  test("another business's product answers exactly like a missing one, on every route", async () => {
    const theirs = (await call('POST', '/api/v1/products', ownerB, { ...ADVIES, name: 'Van B' })).json();
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'Gestolen' }],
      ['DELETE', undefined],
    ] as const) {
      const foreign = await call(method, `/api/v1/products/${theirs.id}`, ownerA, payload);
      const none = await call(method, `/api/v1/products/${missing}`, ownerA, payload);
      assert.equal(foreign.statusCode, 404, `${method}`);
      const { requestId: _a, ...foreignError } = foreign.json().error;
      const { requestId: _b, ...noneError } = none.json().error;
      assert.deepEqual(foreignError, noneError);
    }
    assert.equal((await call('GET', '/api/v1/products/not-a-uuid', ownerA)).statusCode, 404);
    const mine: Page = (await call('GET', '/api/v1/products?q=Van%20B', ownerA)).json();
    assert.deepEqual(mine.items, []);
    const still = (await call('GET', `/api/v1/products/${theirs.id}`, ownerB)).json();
    assert.equal(still.name, 'Van B');
    assert.equal(still.archived, false);
  });

  test('a viewer reads but cannot write; an API client needs the products scopes', async () => {
    const p = (await call('POST', '/api/v1/products', ownerA, ADVIES)).json();
    const viewer = await t.tokenFor(a, 'viewer');
    assert.equal((await call('GET', '/api/v1/products', viewer)).statusCode, 200);
    for (const [method, url, payload] of [
      ['POST', '/api/v1/products', ADVIES],
      ['PATCH', `/api/v1/products/${p.id}`, { name: 'X' }],
      ['DELETE', `/api/v1/products/${p.id}`, undefined],
    ] as const) {
      const denied = await call(method, url, viewer, payload);
      assert.equal(denied.statusCode, 403, `${method} ${url}`);
      assert.equal(denied.json().error.code, 'insufficient_permission');
    }
    const { clientId } = await createApiClient(a, { name: 'Kassa', scopes: ['products:read'] });
    const reader = await mintAccessToken(t.s, {
      sub: clientId,
      client_id: clientId,
      kluis_tenant: a.tenantId,
      scope: 'products:read',
    });
    assert.equal((await call('GET', `/api/v1/products/${p.id}`, reader)).statusCode, 200);
    assert.equal((await call('POST', '/api/v1/products', reader, ADVIES)).statusCode, 403);
    const writer = await createApiClient(a, { name: 'Webshop', scopes: ['products:read', 'products:write'] });
    const token = await mintAccessToken(t.s, {
      sub: writer.clientId,
      client_id: writer.clientId,
      kluis_tenant: a.tenantId,
      scope: 'products:read products:write',
    });
    assert.equal((await call('POST', '/api/v1/products', token, ADVIES)).statusCode, 201);
    const customersOnly = await createApiClient(a, { name: 'CRM', scopes: ['customers:read'] });
    const crm = await mintAccessToken(t.s, {
      sub: customersOnly.clientId,
      client_id: customersOnly.clientId,
      kluis_tenant: a.tenantId,
      scope: 'customers:read',
    });
    assert.equal((await call('GET', '/api/v1/products', crm)).statusCode, 403);
  });
});

/** A business of its own, so a list shows exactly what the test made. */
const freshTenant = () => makeTenant(t.s, 'Bakkerij');
