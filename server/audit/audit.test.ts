/**
 * Invariant 4: the audit chain. Each tampering an attacker with database access could try — edit,
 * delete, insert, reorder, cut the tail, rewrite the chain with fresh hashes — is found, and the
 * first broken event is named.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Ctx } from '../context.ts';
import { createCustomer, getCustomer } from '../modules/customers/customers.service.ts';
import { makeServices, makeTenant, type TestServices } from '../test/harness.ts';
import type { appendAudit } from './audit.repo.ts';
import { canonicalJson } from './chain.ts';
import { exportAuditLog } from './export.ts';
import { verifyAuditChain } from './verify.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

/** A tenant with five events: created, customer created, viewed, created, viewed. */
async function tenantWithEvents(): Promise<Ctx> {
  const ctx = await makeTenant(s);
  for (const name of ['Een', 'Twee']) {
    const c = await createCustomer(ctx, { kind: 'person', name });
    await getCustomer(ctx, c.id);
  }
  return ctx;
}

/** Tampers as the table owner with the append-only trigger disabled: what an intruder with DDL rights could do. */
async function tamper(statements: string[], params: unknown[][] = []): Promise<void> {
  await s.db.asOwner('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    for (const [i, sql] of statements.entries()) await s.db.asOwner(sql, params[i] ?? []);
  } finally {
    await s.db.asOwner('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

describe('audit chain', () => {
  test('an untouched chain verifies, and events carry actor, target, request id and encrypted IP', async () => {
    const ctx = await tenantWithEvents();
    const result = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual(result, { tenantId: ctx.tenantId, ok: true, events: 5, headSeq: 5 });
    const rows = await s.db.asOwner<{
      action: string;
      actor_type: string;
      request_id: string;
      ip_enc: Buffer;
    }>('SELECT action, actor_type, request_id, ip_enc FROM audit_events WHERE tenant_id = $1 ORDER BY seq', [
      ctx.tenantId,
    ]);
    assert.deepEqual(
      rows.map((r) => r.action),
      ['tenant.created', 'customer.created', 'customer.viewed', 'customer.created', 'customer.viewed'],
    );
    assert.equal(rows[1]?.request_id, ctx.requestId);
    assert.ok(rows[1]?.ip_enc && !Buffer.from(rows[1].ip_enc).includes(Buffer.from('203.0.113.7')));
  });

  test('the app role cannot update or delete events, and the owner is stopped by a trigger', async () => {
    const ctx = await tenantWithEvents();
    await assert.rejects(
      s.db.asOwner('UPDATE audit_events SET action = $1 WHERE tenant_id = $2', ['x', ctx.tenantId]),
      /append-only/,
    );
    await assert.rejects(
      s.db.asOwner('DELETE FROM audit_events WHERE tenant_id = $1', [ctx.tenantId]),
      /append-only/,
    );
  });

  test('an edited event is found', async () => {
    const ctx = await tenantWithEvents();
    await tamper(
      ["UPDATE audit_events SET action = 'customer.created' WHERE tenant_id = $1 AND seq = 3"],
      [[ctx.tenantId]],
    );
    const r = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual([r.ok, r.firstBroken], [false, { seq: 3, reason: 'hash_mismatch' }]);
  });

  test('a deleted event is found', async () => {
    const ctx = await tenantWithEvents();
    await tamper(['DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 2'], [[ctx.tenantId]]);
    const r = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual([r.ok, r.firstBroken], [false, { seq: 2, reason: 'missing' }]);
  });

  test('an inserted event is found, even with a correctly recomputed hash', async () => {
    const ctx = await tenantWithEvents();
    // Make room at seq 3 and insert a forged event whose SHA-256 hash is computed exactly as Kluis
    // would; only the MAC (keyed by the tenant's audit key) cannot be forged.
    const [prev] = await s.db.asOwner<{ hash: Buffer }>(
      'SELECT hash FROM audit_events WHERE tenant_id = $1 AND seq = 2',
      [ctx.tenantId],
    );
    const forged = {
      tenantId: ctx.tenantId,
      seq: 3,
      id: '01900000-0000-7000-8000-0000000000aa',
      occurredAt: new Date('2026-11-20T10:00:00Z'),
      actorType: 'user',
      actorId: 'intruder',
      action: 'customer.viewed',
      targetType: null,
      targetId: null,
      requestId: null,
      ipEnc: null,
      data: {},
    };
    const canonical = canonicalJson([
      1,
      forged.tenantId,
      3,
      forged.id,
      forged.occurredAt.toISOString(),
      'user',
      'intruder',
      'customer.viewed',
      null,
      null,
      null,
      null,
      {},
    ]);
    const hash = createHash('sha256').update(Buffer.from(prev!.hash)).update(canonical).digest();
    await tamper(
      [
        'UPDATE audit_events SET seq = seq + 100 WHERE tenant_id = $1 AND seq >= 3',
        'UPDATE audit_events SET seq = seq - 99 WHERE tenant_id = $1 AND seq >= 103',
        `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, data, prev_hash, hash, mac)
         VALUES ($1, 3, $2, $3, 'user', 'intruder', 'customer.viewed', '{}', $4, $5, $6)`,
      ],
      [
        [ctx.tenantId],
        [ctx.tenantId],
        [ctx.tenantId, forged.id, forged.occurredAt, prev!.hash, hash, Buffer.alloc(32)],
      ],
    );
    const r = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual([r.ok, r.firstBroken], [false, { seq: 3, reason: 'mac_mismatch' }]);
  });

  test('reordered events are found', async () => {
    const ctx = await tenantWithEvents();
    await tamper(
      [
        'UPDATE audit_events SET seq = 99 WHERE tenant_id = $1 AND seq = 2',
        'UPDATE audit_events SET seq = 2 WHERE tenant_id = $1 AND seq = 3',
        'UPDATE audit_events SET seq = 3 WHERE tenant_id = $1 AND seq = 99',
      ],
      [[ctx.tenantId], [ctx.tenantId], [ctx.tenantId]],
    );
    const r = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual([r.ok, r.firstBroken], [false, { seq: 2, reason: 'prev_hash_mismatch' }]);
  });

  test('events cut from the end are found through the chain head', async () => {
    const ctx = await tenantWithEvents();
    await tamper(['DELETE FROM audit_events WHERE tenant_id = $1 AND seq >= 4'], [[ctx.tenantId]]);
    const r = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual([r.ok, r.firstBroken], [false, { seq: 4, reason: 'head_mismatch' }]);
  });

  test('concurrent appends of one tenant form one unbroken chain', async () => {
    const ctx = await makeTenant(s);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => createCustomer(ctx, { kind: 'person', name: `Klant ${i}` })),
    );
    const r = await verifyAuditChain(s, ctx.tenantId);
    assert.deepEqual([r.ok, r.events], [true, 21]);
  });

  test('the NDJSON export lists every event with its hashes and ends with the verification', async () => {
    const ctx = await tenantWithEvents();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c) => chunks.push(c));
    await exportAuditLog(s, ctx.actor, ctx.tenantId, out);
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 7, '5 events + the export itself + the verification line');
    assert.equal(lines[5].action, 'audit.exported');
    assert.equal(lines[1].ip, '203.0.113.7', 'the auditor sees the decrypted address');
    assert.equal(lines[1].prevHash, lines[0].hash);
    assert.deepEqual(lines[6], { verification: { tenantId: ctx.tenantId, ok: true, events: 6, headSeq: 6 } });
  });

  // A type-level check: `npm run typecheck` fails if this line ever compiles (the directive then
  // has no error to expect). Nothing is asserted at run time.
  test('an action outside the catalogue does not compile', () => {
    // @ts-expect-error an action outside the catalogue does not compile
    const bad: Parameters<typeof appendAudit>[2]['action'] = 'customer.stolen';
    assert.ok(bad);
  });
});
