/**
 * The Idempotency-Key header on creating calls (Invoicing core point 14, ADR 0023), through the
 * real app: a retry replays the first response and changes nothing, a reused key with another body
 * is 422, a duplicate while the first runs is 409, failed requests release their key, keys expire
 * after 24 hours, and the stored response is encrypted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../context.ts';
import { queryRows, sql } from '../db/client.ts';
import { inTenant } from '../db/transactions.ts';
import { newId } from '../ids.ts';
import { JobRunner } from '../jobs/scheduler.ts';
import { registerIdempotencyJobs } from '../modules/idempotency/idempotency.jobs.ts';
import { reserveKey } from '../modules/idempotency/idempotency.repo.ts';
import { auditActions, prepareBusiness, workedExample } from '../modules/invoices/invoices.testing.ts';
import { type ApiTest, type Method, openApiTest } from '../test/api.ts';
import { IDEMPOTENCY_KEY_TTL_MS, REPLAYED_HEADER, requestFingerprint } from './idempotency.ts';

let t: ApiTest;
let a: Ctx;
let ownerA: string;

before(async () => {
  t = await openApiTest();
  ({ a, ownerA } = t);
});
after(() => t.close());

const send = (method: Method, url: string, token: string, key: string | undefined, payload: unknown) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    payload: payload as object,
  });

const customer = (name: string) => ({ kind: 'company', name, iban: 'NL91ABNA0417164300' });

/** The ids of A's customers with exactly this name (through the API's blind-index search). */
async function customersNamed(name: string): Promise<string[]> {
  const res = await t.call('GET', `/api/v1/customers?name=${encodeURIComponent(name)}`, ownerA);
  return res.json().items.map((c: { id: string }) => c.id);
}

describe('Idempotency-Key', () => {
  test('a retry with the same key and body replays the first response and changes nothing', async () => {
    const first = await send('POST', '/api/v1/customers', ownerA, 'k-replay-1', customer('Replay B.V.'));
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.headers[REPLAYED_HEADER], undefined);
    // The same body with its fields in another order is the same request.
    const retry = await send('POST', '/api/v1/customers', ownerA, '"k-replay-1"', {
      iban: 'NL91ABNA0417164300',
      name: 'Replay B.V.',
      kind: 'company',
    });
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers[REPLAYED_HEADER], 'true');
    assert.match(String(retry.headers['content-type']), /^application\/json/);
    assert.deepEqual(retry.json(), first.json());
    assert.deepEqual(await customersNamed('Replay B.V.'), [first.json().id], 'one customer');
    assert.deepEqual(await auditActions(a, first.json().id), ['customer.created'], 'one audit event');
  });

  test('without the header every call creates; the header is opt-in per route', async () => {
    await send('POST', '/api/v1/customers', ownerA, undefined, customer('Zonder Sleutel'));
    await send('POST', '/api/v1/customers', ownerA, undefined, customer('Zonder Sleutel'));
    assert.equal((await customersNamed('Zonder Sleutel')).length, 2);
  });

  test('the same key with a different body, or from another caller, is 422 idempotency_key_reused', async () => {
    const first = await send('POST', '/api/v1/customers', ownerA, 'k-reused', customer('Eerste'));
    assert.equal(first.statusCode, 201);
    const other = await send('POST', '/api/v1/customers', ownerA, 'k-reused', customer('Tweede'));
    assert.equal(other.statusCode, 422);
    assert.equal(other.json().error.code, 'idempotency_key_reused');
    const colleague = await t.tokenFor(a, 'bookkeeper');
    const theirs = await send('POST', '/api/v1/customers', colleague, 'k-reused', customer('Eerste'));
    assert.equal(theirs.statusCode, 422, 'a replay never hands one caller another caller’s response');
    assert.deepEqual(await customersNamed('Tweede'), []);
  });

  test('keys are per business: B may use the key A used', async () => {
    const mine = await send('POST', '/api/v1/customers', ownerA, 'k-shared', customer('Van A'));
    const theirs = await send('POST', '/api/v1/customers', t.ownerB, 'k-shared', customer('Van A'));
    assert.equal(mine.statusCode, 201);
    assert.equal(theirs.statusCode, 201);
    assert.equal(theirs.headers[REPLAYED_HEADER], undefined);
    assert.notEqual(theirs.json().id, mine.json().id);
  });

  test('a duplicate while the first is still in progress is 409 idempotency_request_in_progress', async () => {
    // A first request that holds the key and has not finished (still running, or its process died).
    const body = customer('Bezig B.V.');
    const me = (await t.call('GET', '/api/v1/me', ownerA)).json();
    await inTenant(t.s.db, a.tenantId, async (tx) => {
      const keys = await t.s.keyring.forTenant(tx, a.tenantId);
      const now = t.s.clock.now();
      const fingerprint = requestFingerprint({
        method: 'POST',
        route: '/api/v1/customers',
        params: {},
        query: {},
        body,
        actor: me.caller,
      });
      const held = await reserveKey(tx, keys, {
        id: newId(now),
        key: 'k-running',
        fingerprint,
        now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS),
      });
      assert.equal(held.kind, 'reserved');
    });
    const res = await send('POST', '/api/v1/customers', ownerA, 'k-running', body);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'idempotency_request_in_progress');
    assert.deepEqual(await customersNamed('Bezig B.V.'), []);
    // Concurrent identical requests: exactly one creates; the others replay it or are told to wait.
    const burst = await Promise.all(
      Array.from({ length: 6 }, () =>
        send('POST', '/api/v1/customers', ownerA, 'k-burst', customer('Gelijktijdig B.V.')),
      ),
    );
    const created = burst.filter((r) => r.statusCode === 201 && r.headers[REPLAYED_HEADER] === undefined);
    assert.equal(created.length, 1, burst.map((r) => r.statusCode).join(','));
    for (const r of burst) {
      if (r.statusCode === 409) assert.equal(r.json().error.code, 'idempotency_request_in_progress');
      else assert.equal(r.json().id, created[0]?.json().id);
    }
    assert.equal((await customersNamed('Gelijktijdig B.V.')).length, 1);
  });

  test('a request that fails with 4xx releases its key; the corrected retry creates', async () => {
    const bad = await send('POST', '/api/v1/customers', ownerA, 'k-fix', {
      ...customer('Hersteld'),
      iban: 'NL91ABNA0417164301',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'validation_failed');
    const fixed = await send('POST', '/api/v1/customers', ownerA, 'k-fix', customer('Hersteld'));
    assert.equal(fixed.statusCode, 201, fixed.body);
    assert.equal(fixed.headers[REPLAYED_HEADER], undefined);
  });

  test('keys expire after 24 hours (the injected clock); then the key starts afresh', async () => {
    const first = await send('POST', '/api/v1/customers', ownerA, 'k-expiry', customer('Gisteren'));
    assert.equal(first.statusCode, 201);
    t.s.clock.advance(IDEMPOTENCY_KEY_TTL_MS - 60_000);
    let token = await t.tokenFor(a, 'owner');
    const still = await send('POST', '/api/v1/customers', token, 'k-expiry', customer('Vandaag'));
    assert.equal(still.statusCode, 422, 'within 24 hours the key is still taken');
    t.s.clock.advance(120_000);
    token = await t.tokenFor(a, 'owner');
    const later = await send('POST', '/api/v1/customers', token, 'k-expiry', customer('Vandaag'));
    assert.equal(later.statusCode, 201, later.body);
    assert.equal(later.headers[REPLAYED_HEADER], undefined);
    ownerA = token;
  });

  test('a malformed key is 400 idempotency_key_invalid and creates nothing', async () => {
    for (const key of ['', 'met spatie', 'x'.repeat(256), 'é', '"open']) {
      const res = await send('POST', '/api/v1/customers', ownerA, key, customer('Ongeldige Sleutel'));
      assert.equal(res.statusCode, 400, JSON.stringify(key));
      assert.equal(res.json().error.code, 'idempotency_key_invalid');
    }
    assert.deepEqual(await customersNamed('Ongeldige Sleutel'), []);
  });

  test('invoices and credit notes: a retry returns the same draft', async () => {
    const customerId = await prepareBusiness(a);
    const draft = workedExample(customerId);
    const one = await send('POST', '/api/v1/invoices', ownerA, 'inv-1', draft);
    const two = await send('POST', '/api/v1/invoices', ownerA, 'inv-1', draft);
    assert.equal(one.statusCode, 201, one.body);
    assert.equal(two.headers[REPLAYED_HEADER], 'true');
    assert.equal(two.json().id, one.json().id);
    const id = one.json().id as string;
    assert.equal((await t.call('POST', `/api/v1/invoices/${id}/issue`, ownerA)).statusCode, 200);
    const note1 = await send('POST', `/api/v1/invoices/${id}/credit-notes`, ownerA, 'cn-1', {});
    const note2 = await send('POST', `/api/v1/invoices/${id}/credit-notes`, ownerA, 'cn-1', {});
    assert.equal(note1.statusCode, 201, note1.body);
    assert.equal(note2.headers[REPLAYED_HEADER], 'true');
    assert.equal(note2.json().id, note1.json().id);
    assert.deepEqual(await auditActions(a, note1.json().id), ['credit_note.created']);
  });

  test('the stored response is encrypted: no plaintext of the body in the table', async () => {
    const name = 'Versleuteld Geheim B.V.';
    const res = await send('POST', '/api/v1/customers', ownerA, 'k-secret', customer(name));
    assert.equal(res.statusCode, 201);
    const rows = await inTenant(t.s.db, a.tenantId, (tx) =>
      queryRows<{ row: string }>(
        tx,
        sql`SELECT encode(convert_to(i::text, 'UTF8'), 'escape') AS row FROM idempotency_keys i`,
      ),
    );
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.doesNotMatch(r.row, /Versleuteld|k-secret|NL91ABNA/);
    }
  });

  test('a job removes expired keys and their stored responses, though the business sends no more keys', async () => {
    const res = await send('POST', '/api/v1/customers', ownerA, 'k-purge', customer('Opgeruimd B.V.'));
    assert.equal(res.statusCode, 201);
    const count = async () => {
      const [row] = await inTenant(t.s.db, a.tenantId, (tx) =>
        queryRows<{ n: string }>(tx, sql`SELECT count(*) AS n FROM idempotency_keys`),
      );
      return Number(row?.n);
    };
    assert.ok((await count()) > 0);
    const runner = registerIdempotencyJobs(new JobRunner(t.s));
    await runner.runDueJobs(); // purges of keys from earlier tests, which the clock already passed
    assert.ok((await count()) > 0, 'a key that has not expired stays');
    t.s.clock.advance(IDEMPOTENCY_KEY_TTL_MS + 2 * 60 * 60 * 1000);
    assert.ok((await runner.runDueJobs()) > 0);
    assert.equal(await count(), 0);
  });
});
