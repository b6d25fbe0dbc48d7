/**
 * Coalesced audited reads (ADR 0024): concurrent reads of one business share transactions and
 * chain appends, yet every read is answered with its own value, has exactly its own event in the
 * transaction that read, the chain verifies, and a failing read fails only itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../context.ts';
import { queryRows, sql } from '../db/client.ts';
import { inTenant } from '../db/transactions.ts';
import { createCustomer } from '../modules/customers/customers.service.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';
import { coalescedRead } from './coalesced-reads.ts';
import { verifyAuditChain } from './verify.ts';

let s: TestServices;
let a: Ctx;
let b: Ctx;

before(async () => {
  s = await makeServices();
  a = await makeTenant(s, 'A B.V.');
  b = await makeTenant(s, 'B B.V.');
  await createCustomer(a, { kind: 'company', name: 'Klant van A' });
  await createCustomer(b, { kind: 'company', name: 'Klant van B' });
});
after(() => s.close());

/** A read of the customers' ids and the transaction it ran in, recorded as `invoice.listed`. */
function readCustomers(ctx: Ctx, n: number, fail = false) {
  return coalescedRead(ctx, async (tx) => {
    const [txid] = await queryRows<{ id: string }>(tx, sql`SELECT txid_current()::text AS id`);
    const rows = await queryRows<{ tenant_id: string }>(tx, sql`SELECT tenant_id FROM customers`);
    if (fail) throw new Error('this read fails');
    return {
      value: { txid: txid?.id, tenants: rows.map((r) => r.tenant_id) },
      event: { action: 'invoice.listed', actor: ctx.actor, requestId: `read-${n}`, data: { results: n } },
    };
  });
}

async function events(ctx: Ctx): Promise<{ request_id: string; data: { results: number } }[]> {
  return inTenant(s.db, ctx.tenantId, (tx) =>
    queryRows(
      tx,
      sql`SELECT request_id, data FROM audit_events WHERE action = 'invoice.listed' ORDER BY seq`,
    ),
  );
}

describe('coalesced audited reads', () => {
  test('concurrent reads share transactions, each answered and audited once, in its own business', async () => {
    const reads = await Promise.all([
      ...Array.from({ length: 30 }, (_, n) => readCustomers(a, n)),
      ...Array.from({ length: 10 }, (_, n) => readCustomers(b, 100 + n)),
    ]);
    for (const [n, r] of reads.entries()) {
      assert.deepEqual(r.tenants, [n < 30 ? a.tenantId : b.tenantId], 'each read sees its business only');
    }
    const txA = new Set(reads.slice(0, 30).map((r) => r.txid));
    assert.ok(txA.size < 30, 'reads of one business that arrive together share a transaction');
    const listedA = await events(a);
    assert.deepEqual(
      listedA.map((e) => e.request_id).sort(),
      Array.from({ length: 30 }, (_, n) => `read-${n}`).sort(),
    );
    assert.deepEqual(
      (await events(b)).map((e) => e.data.results).sort(),
      Array.from({ length: 10 }, (_, n) => 100 + n).sort(),
    );
    // Each event was written in the transaction of its read.
    const eventTx = await inTenant(s.db, a.tenantId, (tx) =>
      queryRows<{ request_id: string; xmin: string }>(
        tx,
        sql`SELECT request_id, xmin::text AS xmin FROM audit_events WHERE action = 'invoice.listed'`,
      ),
    );
    for (const e of eventTx) {
      const n = Number(e.request_id.slice('read-'.length));
      assert.equal(e.xmin, reads[n]?.txid, `event of ${e.request_id} is in its read's transaction`);
    }
    assert.equal((await verifyAuditChain(s, a.tenantId)).ok, true);
    assert.equal((await verifyAuditChain(s, b.tenantId)).ok, true);
  });

  test('a failing read fails alone: the others are answered and audited, it leaves no event', async () => {
    const before = (await events(a)).length;
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) => readCustomers(a, 200 + n, n === 5)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      results.map((_, n) => (n === 5 ? 'rejected' : 'fulfilled')),
    );
    const after = (await events(a)).map((e) => e.request_id);
    assert.equal(after.length, before + 11);
    assert.ok(!after.includes('read-205'));
    assert.equal((await verifyAuditChain(s, a.tenantId)).ok, true);
  });
});
