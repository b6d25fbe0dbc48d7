/**
 * Invariant 1: tenant isolation by construction. The meta-test reads the live catalog, so a new
 * tenant table that forgets kluis_protect_tenant_table() fails here on PGlite and on the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCustomer, getCustomer } from '../modules/customers/customers.service.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';
import { APP_ROLE, queryRows, sql } from './client.ts';
import { inSystem, inSystemStatement, inTenant } from './transactions.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

describe('row-level security meta-test', () => {
  test('every table with a tenant_id column has RLS enabled and forced, and a policy with USING and WITH CHECK', async () => {
    const tables = await s.db.asOwner<{
      table: string;
      rls: boolean;
      forced: boolean;
      policies: number;
      complete: number;
    }>(
      `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname) AS policies,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                 AND p.qual LIKE '%kluis_current_tenant()%' AND p.with_check LIKE '%kluis_current_tenant()%') AS complete
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        ORDER BY c.relname`,
    );
    assert.ok(tables.length >= 4, 'expected the platform and customers tables');
    for (const t of tables) {
      assert.equal(t.rls, true, `${t.table}: RLS not enabled`);
      assert.equal(t.forced, true, `${t.table}: RLS not forced`);
      assert.ok(
        t.policies >= 1 && t.complete === t.policies,
        `${t.table}: needs tenant policies with USING and WITH CHECK`,
      );
    }
    const notNull = await s.db.asOwner<{ table: string }>(
      `SELECT table_name AS table FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id' AND is_nullable = 'YES'`,
    );
    assert.deepEqual(notNull, [], 'tenant_id must be NOT NULL everywhere');
  });

  test('the app role owns no table, is no superuser and cannot bypass RLS', async () => {
    const [role] = await s.db.asOwner<{ super: boolean; bypass: boolean; owned: number }>(
      `SELECT r.rolsuper AS super, r.rolbypassrls AS bypass,
              (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = $1`,
      [APP_ROLE],
    );
    assert.deepEqual(role, { super: false, bypass: false, owned: 0 });
    const [who] = await queryRows<{ u: string }>(s.db.orm, sql`SELECT current_user AS u`);
    assert.equal(who?.u, APP_ROLE, 'application queries run as the app role');
  });
});

describe('tenant scope', () => {
  test('with no tenant set, tenant tables return nothing and refuse writes', async () => {
    const a = await makeTenant(s);
    await createCustomer(a, { kind: 'company', name: 'Zichtbaar B.V.' });
    const rows = await inSystem(s.db, (tx) => queryRows(tx, sql`SELECT * FROM customers`));
    assert.equal(rows.length, 0);
    const keys = await inSystem(s.db, (tx) => queryRows(tx, sql`SELECT * FROM tenant_keys`));
    assert.equal(keys.length, 0);
    await assert.rejects(
      inSystem(s.db, (tx) =>
        tx.execute(sql`INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (${a.tenantId}, 0, '\\x00')`),
      ),
      (e: Error) => /row-level security/.test(String(e.cause)),
    );
  });

  test('a single statement outside a transaction sees no tenant, even on a connection a tenant just used', async () => {
    const a = await makeTenant(s);
    await createCustomer(a, { kind: 'company', name: 'Zichtbaar B.V.' });
    // Every pooled connection has just run a tenant transaction: its tenant setting must not linger.
    await Promise.all(
      Array.from({ length: 16 }, () =>
        inTenant(s.db, a.tenantId, (tx) => queryRows(tx, sql`SELECT id FROM customers`)),
      ),
    );
    const counts = await Promise.all(
      Array.from({ length: 16 }, () =>
        inSystemStatement(s.db, (q) =>
          queryRows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM customers`),
        ),
      ),
    );
    assert.deepEqual(
      counts.map((r) => r[0]?.n),
      counts.map(() => 0),
    );
  });

  test("a tenant cannot read, update or delete another tenant's rows as the app role", async () => {
    const a = await makeTenant(s, 'A');
    const b = await makeTenant(s, 'B');
    const theirs = await createCustomer(b, { kind: 'person', name: 'Jan van B' });
    await inTenant(s.db, a.tenantId, async (tx) => {
      const seen = await queryRows(tx, sql`SELECT id FROM customers WHERE id = ${theirs.id}`);
      assert.equal(seen.length, 0);
      const updated = await queryRows(
        tx,
        sql`UPDATE customers SET language = 'en' WHERE id = ${theirs.id} RETURNING id`,
      );
      assert.equal(updated.length, 0);
      const deleted = await queryRows(tx, sql`DELETE FROM customers WHERE id = ${theirs.id} RETURNING id`);
      assert.equal(deleted.length, 0);
    });
    // Writing a row for B while scoped to A fails the WITH CHECK clause.
    await assert.rejects(
      inTenant(s.db, a.tenantId, (tx) =>
        tx.execute(sql`INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (${b.tenantId}, 9, '\\x00')`),
      ),
      (e: Error) => /row-level security/.test(String(e.cause)),
    );
    const still = await getCustomer(b, theirs.id);
    assert.equal(still.personal.name, 'Jan van B');
    assert.equal(still.language, 'nl');
  });

  test("another tenant's record answers exactly like a missing one", async () => {
    const a = await makeTenant(s);
    const b = await makeTenant(s);
    const theirs = await createCustomer(b, { kind: 'person', name: 'Piet' });
    const missing = await getCustomer(a, '01900000-0000-7000-8000-000000000000').catch((e) => e);
    const foreign = await getCustomer(a, theirs.id).catch((e) => e);
    assert.equal(foreign.code, 'customer_not_found');
    assert.deepEqual(
      [foreign.kind, foreign.code, foreign.message],
      [missing.kind, missing.code, missing.message],
    );
  });
});
