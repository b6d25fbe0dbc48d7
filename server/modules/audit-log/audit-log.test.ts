/**
 * The audit log API (issue 6 point 6): the searchable view with its filters and newest-first
 * cursor pages, the NDJSON export whose last line is the chain's verification (and names the
 * broken event after tampering), tenant isolation and who may read it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import type { ApiTest } from '../../test/api.ts';
import { openApiTest } from '../../test/api.ts';
import { makeTenant } from '../../test/harness.ts';
import { createApiClient } from '../clients/index.ts';
import { createCustomer, getCustomer } from '../customers/customers.service.ts';
import { mintAccessToken } from '../identity/testing.ts';

let t: ApiTest;
const customerIds: string[] = [];
before(async () => {
  t = await openApiTest();
  // A: tenant.created, then created/viewed for two customers. B: one customer of its own.
  for (const name of ['Een', 'Twee']) {
    const c = await createCustomer(t.a, { kind: 'person', name });
    await getCustomer(t.a, c.id);
    customerIds.push(c.id);
  }
  await createCustomer(t.b, { kind: 'person', name: 'Drie' });
});
after(() => t.close());

interface Item {
  seq: number;
  requestId: string | null;
  id: string;
  occurredAt: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string | null } | null;
}

async function list(query: string, token = t.ownerA): Promise<Item[]> {
  const res = await t.call('GET', `/api/v1/audit-events${query}`, token);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items;
}

async function exportLines(token: string): Promise<Record<string, unknown>[]> {
  const res = await t.call('GET', '/api/v1/audit-events/export', token);
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
  return res.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** Tampers as the table owner with the append-only trigger disabled, as audit.test.ts does. */
async function tamper(sql: string, params: unknown[]): Promise<void> {
  await t.s.db.asOwner('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    await t.s.db.asOwner(sql, params);
  } finally {
    await t.s.db.asOwner('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

async function clientToken(tenant: Ctx, scopes: string[]): Promise<string> {
  const { clientId } = await createApiClient(tenant, { name: `Client ${scopes.join(' ')}`, scopes });
  return mintAccessToken(t.s, {
    sub: clientId,
    client_id: clientId,
    kluis_tenant: tenant.tenantId,
    scope: scopes.join(' '),
  });
}

describe('audit log API', () => {
  test('the view lists the allow-listed fields, newest first, filtered by action, actor, entity and dates', async () => {
    const all = await list('');
    assert.ok(all.length >= 5);
    const seqs = all.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => y - x),
      'newest first',
    );
    for (const e of all) {
      assert.deepEqual(Object.keys(e).sort(), [
        'action',
        'actor',
        'data',
        'id',
        'occurredAt',
        'requestId',
        'seq',
        'target',
      ]);
    }
    assert.ok(!JSON.stringify(all).includes('203.0.113.7'), 'no client address in the view');

    const created = await list('?action=customer.created');
    assert.deepEqual(
      created.map((e) => e.target?.id),
      [...customerIds].reverse(),
    );
    const prefix = await list('?action=customer.');
    assert.deepEqual(prefix.map((e) => e.action).sort(), [
      'customer.created',
      'customer.created',
      'customer.viewed',
      'customer.viewed',
    ]);
    assert.deepEqual(await list('?action=customer'), [], 'without the dot the action is exact');

    const entity = await list(`?entityId=${customerIds[0]}`);
    assert.deepEqual(
      entity.map((e) => e.action),
      ['customer.viewed', 'customer.created'],
    );

    const byActor = await list(`?actor=${t.a.actor.id}`);
    assert.ok(byActor.length >= 4 && byActor.every((e) => e.actor.id === t.a.actor.id));
    assert.deepEqual(await list('?actor=nobody'), []);

    const newest = all[0]!;
    const from = await list(`?from=${encodeURIComponent(newest.occurredAt)}`);
    assert.ok(from.some((e) => e.id === newest.id));
    assert.ok(from.every((e) => e.occurredAt >= newest.occurredAt));
    const to = await list(`?to=${encodeURIComponent(newest.occurredAt)}`);
    assert.ok(to.every((e) => e.occurredAt < newest.occurredAt));
    assert.deepEqual(await list('?from=2999-01-01'), []);
    assert.deepEqual(await list('?to=2000-01-01T00:00:00Z'), []);
  });

  test('bad filters are refused with stable codes', async () => {
    const cases: [string, string, string][] = [
      ['?action=Invoice%25', 'action', 'action_invalid'],
      ['?cursor=abc', 'cursor', 'cursor_invalid'],
      ['?from=yesterday', 'from', 'date_invalid'],
      ['?to=2026-13-45', 'to', 'date_invalid'],
      ['?from=2026-02-01&to=2026-01-01', 'to', 'range_invalid'],
    ];
    for (const [query, path, code] of cases) {
      const res = await t.call('GET', `/api/v1/audit-events${query}`, t.ownerA);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().error.code, 'validation_failed');
      assert.deepEqual(
        res.json().error.issues.map((i: { path: string; code: string }) => [i.path, i.code]),
        [[path, code]],
        query,
      );
    }
    const unknown = await t.call('GET', '/api/v1/audit-events?ip=1.2.3.4', t.ownerA);
    assert.equal(unknown.statusCode, 400);
    const limit = await t.call('GET', '/api/v1/audit-events?limit=0', t.ownerA);
    assert.equal(limit.statusCode, 400);
  });

  test('cursor pages walk the whole log once, newest first', async () => {
    const all = await list('');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call(
        'GET',
        `/api/v1/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        t.ownerA,
      );
      assert.equal(res.statusCode, 200);
      const page = res.json();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((e: Item) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    // Events appended while paging (none here) would only be newer than the first page.
    assert.deepEqual(
      seen,
      all.map((e) => e.seq),
    );
  });

  test('the export streams the chain with hashes and ends with a verification that passes; it is audited', async () => {
    const lines = await exportLines(t.ownerA);
    const last = lines.at(-1) as { verification: { ok: boolean; tenantId: string; events: number } };
    assert.equal(last.verification.ok, true);
    assert.equal(last.verification.tenantId, t.a.tenantId);
    assert.equal(last.verification.events, lines.length - 1);
    const events = lines.slice(0, -1);
    assert.equal(events.at(-1)?.action, 'audit.exported');
    assert.equal(events[1]?.prevHash, events[0]?.hash);
    const exported = await list('?action=audit.exported');
    assert.ok(exported.length >= 1);
    assert.equal(exported[0]?.actor.type, 'user');
    const withRequest = await t.call('GET', '/api/v1/audit-events/export', t.ownerA);
    const [recorded] = await list('?action=audit.exported&limit=1');
    assert.equal(recorded?.requestId, withRequest.headers['x-request-id'], 'the export records its request');
  });

  test('after a raw UPDATE as the table owner the export names the broken event', async () => {
    const c = await makeTenant(t.s, 'C');
    const ownerC = await t.tokenFor(c, 'owner');
    await createCustomer(c, { kind: 'person', name: 'Vier' });
    await tamper("UPDATE audit_events SET action = 'customer.deleted' WHERE tenant_id = $1 AND seq = 2", [
      c.tenantId,
    ]);
    const lines = await exportLines(ownerC);
    assert.deepEqual(lines.at(-1), {
      verification: {
        tenantId: c.tenantId,
        ok: false,
        events: 1,
        headSeq: 3,
        firstBroken: { seq: 2, reason: 'hash_mismatch' },
      },
    });
  });

  test("another business's events never appear, in the view or the export", async () => {
    const inA = new Set((await list('')).map((e) => e.id));
    const inB = await list('', t.ownerB);
    assert.ok(inB.length > 0);
    assert.ok(inB.every((e) => !inA.has(e.id)));
    assert.deepEqual(await list(`?entityId=${customerIds[0]}`, t.ownerB), []);
    const lines = await exportLines(t.ownerB);
    const body = JSON.stringify(lines);
    assert.ok(!body.includes(t.a.tenantId));
    assert.ok(!body.includes(customerIds[0]!));
    assert.equal(
      (lines.at(-1) as { verification: { tenantId: string } }).verification.tenantId,
      t.b.tenantId,
    );
  });

  test('owners and admins read and export; viewers and bookkeepers are refused; clients need audit:read and never export', async () => {
    const admin = await t.tokenFor(t.a, 'admin');
    assert.equal((await t.call('GET', '/api/v1/audit-events', admin)).statusCode, 200);
    assert.equal((await t.call('GET', '/api/v1/audit-events/export', admin)).statusCode, 200);
    for (const role of ['viewer', 'bookkeeper'] as const) {
      const token = await t.tokenFor(t.a, role);
      for (const url of ['/api/v1/audit-events', '/api/v1/audit-events/export']) {
        const res = await t.call('GET', url, token);
        assert.equal(res.statusCode, 403, `${role} ${url}`);
        assert.equal(res.json().error.code, 'insufficient_permission');
      }
    }
    const auditor = await clientToken(t.a, ['audit:read']);
    const seen = await list('', auditor);
    assert.ok(seen.length > 0);
    assert.equal((await t.call('GET', '/api/v1/audit-events/export', auditor)).statusCode, 403);
    const other = await clientToken(t.a, ['customers:read']);
    assert.equal((await t.call('GET', '/api/v1/audit-events', other)).statusCode, 403);
  });
});
