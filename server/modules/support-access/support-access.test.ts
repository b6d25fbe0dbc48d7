/**
 * Support access (issue 6 point 14; ADR 0057) through the real app: only the owner grants and
 * revokes; an operator reads a business's customers and invoices only under a live grant meant
 * for them, never writes, and every access is on the business's chain and the platform chain and
 * in the business's listing; the business's contact is mailed on the first use.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../../audit/verify.ts';
import { HOUR } from '../../clock.ts';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { listOutbox, readOutbox } from '../../mail/index.ts';
import { can, type Permission } from '../../policy.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { createCustomer, updateCustomer } from '../customers/customers.service.ts';
import { PLATFORM_CHAIN, verifyPlatformAudit } from '../identity/platform-audit.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { createInvoice } from '../invoices/index.ts';
import { prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { registerSupportAccessJobs } from './support-access.jobs.ts';
import { makeOperator, type TestOperator } from './support-access.testing.ts';
import { openSupportAccess } from './support-session.ts';

let t: ApiTest;
let op: TestOperator;
let other: TestOperator;
let customerId: string;
let invoiceId: string;
const START = '2026-11-20T10:00:00Z';

before(async () => {
  t = await openApiTest();
  op = await makeOperator(t.s);
  other = await makeOperator(t.s);
  customerId = await prepareBusiness(t.a);
  invoiceId = (await createInvoice(t.a, workedExample(customerId))).id;
});
after(async () => {
  await t.close();
});

type Grant = {
  id: string;
  status: string;
  reason: string;
  operatorId: string | null;
  expiresAt: string;
  firstUsedAt: string | null;
  accesses: { at: string; operatorId: string; resource: string; recordId: string | null }[];
};

async function grant(
  owner: string,
  body: Record<string, unknown> = { reason: 'Ticket #4711' },
): Promise<Grant> {
  const res = await t.call('POST', '/api/v1/support-access', owner, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Grant;
}

async function revoke(owner: string, id: string) {
  return t.call('POST', `/api/v1/support-access/${id}/revoke`, owner);
}

async function grants(token: string): Promise<Grant[]> {
  const res = await t.call('GET', '/api/v1/support-access', token);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Grant[];
}

const read = async (who: TestOperator, tenantId: string, path = 'customers') =>
  t.call('GET', `/api/operator/v1/support/${tenantId}/${path}`, await who.token());

const refused = (res: { statusCode: number; json(): { error: { code: string } } }) => {
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'support_access_not_granted');
};

const events = (tenantId: string, action: string) =>
  t.s.db.asOwner<{
    actor_type: string;
    actor_id: string;
    target_type: string;
    target_id: string;
    data: Record<string, unknown>;
  }>(
    'SELECT actor_type, actor_id, target_type, target_id, data FROM audit_events WHERE tenant_id = $1 AND action = $2 ORDER BY seq',
    [tenantId, action],
  );

/** Revokes every open grant of A and B, so each test starts without access. */
async function revokeAll() {
  for (const owner of [t.ownerA, t.ownerB]) {
    for (const g of await grants(owner)) if (g.status === 'active') await revoke(owner, g.id);
  }
}

describe('granting', () => {
  test('the owner grants read access for 24 hours by default, with the reason, listed as active', async () => {
    const g = await grant(t.ownerA);
    assert.equal(g.status, 'active');
    assert.equal(g.reason, 'Ticket #4711');
    assert.equal(g.operatorId, null);
    assert.equal(Date.parse(g.expiresAt) - t.s.clock.now().getTime(), 24 * HOUR);
    const listed = (await grants(t.ownerA)).find((x) => x.id === g.id);
    assert.deepEqual(listed?.accesses, []);
    assert.equal((await events(t.a.tenantId, 'support.granted')).at(-1)?.target_id, g.id);
    const stored = await t.s.db.asOwner<{ reason_enc: Buffer }>(
      'SELECT reason_enc FROM support_grants WHERE id = $1',
      [g.id],
    );
    assert.ok(!Buffer.from(stored[0]?.reason_enc ?? []).includes('Ticket #4711'), 'the reason is sealed');
    await revoke(t.ownerA, g.id);
  });

  test('admins, bookkeepers and viewers cannot grant or revoke; admins may see the grants', async () => {
    const g = await grant(t.ownerA);
    for (const role of ['admin', 'bookkeeper', 'viewer'] as const) {
      const token = await t.tokenFor(t.a, role);
      const made = await t.call('POST', '/api/v1/support-access', token, { reason: 'Zelf geregeld' });
      assert.equal(made.statusCode, 403, role);
      assert.equal(made.json().error.code, 'insufficient_permission');
      assert.equal((await revoke(token, g.id)).statusCode, 403, role);
      assert.equal(
        (await t.call('GET', '/api/v1/support-access', token)).statusCode,
        role === 'admin' ? 200 : 403,
      );
    }
    assert.equal((await grants(t.ownerA)).find((x) => x.id === g.id)?.status, 'active', 'still active');
    await revoke(t.ownerA, g.id);
  });

  test('bad input is refused with stable codes and makes no grant', async () => {
    const before = (await grants(t.ownerA)).length;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ reason: 'x', hours: 0 }, 422, 'support_duration_out_of_range'],
      [{ reason: 'x', hours: 169 }, 422, 'support_duration_out_of_range'],
      [{ reason: '   ' }, 422, 'support_reason_required'],
      [{ reason: 'x'.repeat(501) }, 422, 'support_reason_too_long'],
      [{ reason: 'x', scope: 'write' }, 422, 'support_scope_unsupported'],
      [{ reason: 'x', operatorId: 'iemand' }, 422, 'operator_id_invalid'],
      [{ reason: 'x', hours: '24' }, 400, 'validation_failed'],
      [{ reason: 'x', hours: 1.5 }, 400, 'validation_failed'],
      [{ hours: 2 }, 400, 'validation_failed'],
      [{ reason: 'x', extra: true }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.call('POST', '/api/v1/support-access', t.ownerA, body);
      assert.equal(res.statusCode, status, JSON.stringify(body));
      assert.equal(res.json().error.code, code, JSON.stringify(body));
    }
    assert.equal((await grants(t.ownerA)).length, before);
    const edge = await grant(t.ownerA, { reason: 'x', hours: 168 });
    assert.equal(Date.parse(edge.expiresAt) - t.s.clock.now().getTime(), 168 * HOUR);
    await revoke(t.ownerA, edge.id);
    assert.equal((await revoke(t.ownerA, newId())).statusCode, 404);
    assert.equal((await revoke(t.ownerA, 'geen-id')).json().error.code, 'support_grant_not_found');
  });
});

describe('reading under a grant', () => {
  test('without a grant an operator is refused, exactly as for an unknown business', async () => {
    await revokeAll();
    const answers = [
      await read(op, t.a.tenantId),
      await read(op, t.a.tenantId, `invoices/${invoiceId}`),
      await read(op, newId()),
      await read(op, 'geen-bedrijf'),
    ];
    for (const res of answers) refused(res);
    const bodies = answers.map((r) => ({ ...r.json().error, requestId: undefined }));
    assert.deepEqual(new Set(bodies.map((b) => JSON.stringify(b))).size, 1, 'one answer for all');
  });

  test('business people cannot use the operator routes, nor can staff who signed in without the second factor', async () => {
    await grant(t.ownerA);
    const url = `/api/operator/v1/support/${t.a.tenantId}/customers`;
    const res = await t.call('GET', url, t.ownerA);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'operator_required');
    const passwordOnly = await mintAccessToken(t.s, {
      sub: op.id,
      kluis_gid: op.grantId,
      kluis_operator: true,
      amr: ['pwd'],
    });
    const noFactor = await t.call('GET', url, passwordOnly);
    assert.equal(noFactor.statusCode, 403);
    assert.equal(noFactor.json().error.code, 'second_factor_required');
    assert.equal((await read(op, t.a.tenantId)).statusCode, 200, 'the same staff member with the factor');
    await revokeAll();
  });

  test('with a grant the operator reads customers and invoices; each read is on both chains and listed', async () => {
    await revokeAll();
    const g = await grant(t.ownerA);
    const before = (await events(PLATFORM_CHAIN, 'platform.support_accessed')).length;
    const customers = await read(op, t.a.tenantId);
    assert.equal(customers.statusCode, 200, customers.body);
    assert.ok(customers.json().items.some((c: { id: string }) => c.id === customerId));
    const customer = await read(op, t.a.tenantId, `customers/${customerId}`);
    assert.equal(customer.json().name, 'Bakkerij De Korf B.V.');
    const invoices = await read(op, t.a.tenantId, 'invoices');
    assert.ok(invoices.json().items.some((i: { id: string }) => i.id === invoiceId));
    const invoice = await read(op, t.a.tenantId, `invoices/${invoiceId}`);
    assert.equal(invoice.statusCode, 200);
    assert.equal(invoice.json().id, invoiceId);

    const accessed = (await events(t.a.tenantId, 'support.accessed')).filter((e) => e.target_id === g.id);
    assert.deepEqual(
      accessed.map((e) => [e.actor_type, e.actor_id, e.target_type, e.data.resource, e.data.recordId]),
      [
        ['support', op.id, 'support_grant', 'customers', null],
        ['support', op.id, 'support_grant', 'customer', customerId],
        ['support', op.id, 'support_grant', 'invoices', null],
        ['support', op.id, 'support_grant', 'invoice', invoiceId],
      ],
    );
    // The business's own events of each read name the operator too.
    const viewed = await events(t.a.tenantId, 'invoice.viewed');
    assert.deepEqual([viewed.at(-1)?.actor_type, viewed.at(-1)?.actor_id], ['support', op.id]);
    const platform = (await events(PLATFORM_CHAIN, 'platform.support_accessed')).slice(before);
    assert.deepEqual(
      platform.map((e) => [e.actor_type, e.actor_id, e.target_id, e.data.grantId, e.data.resource]),
      [
        ['operator', op.id, t.a.tenantId, g.id, 'customers'],
        ['operator', op.id, t.a.tenantId, g.id, 'customer'],
        ['operator', op.id, t.a.tenantId, g.id, 'invoices'],
        ['operator', op.id, t.a.tenantId, g.id, 'invoice'],
      ],
    );
    assert.equal((await verifyAuditChain(t.s, t.a.tenantId)).ok, true);
    assert.equal((await verifyPlatformAudit(t.s)).ok, true);

    const listed = (await grants(t.ownerA)).find((x) => x.id === g.id);
    assert.deepEqual(
      listed?.accesses.map((a) => [a.operatorId, a.resource, a.recordId]),
      [
        [op.id, 'customers', null],
        [op.id, 'customer', customerId],
        [op.id, 'invoices', null],
        [op.id, 'invoice', invoiceId],
      ],
    );
    assert.ok(listed?.firstUsedAt);
    await revoke(t.ownerA, g.id);
  });

  test('the contact is mailed once, on the first use, with nothing of the customers in it', async () => {
    await revokeAll();
    const runner = registerSupportAccessJobs(new JobRunner(t.s, { random: () => 0 }));
    const mailsTo = async () => {
      const keys = await inTenant(t.s.db, t.b.tenantId, (tx) => t.s.keyring.forTenant(tx, t.b.tenantId));
      const found = [];
      for (const m of await listOutbox(t.s.blobs, keys)) {
        if (m.to.includes('privacy@testbedrijf.example') && /supporttoegang/.test(m.subject ?? '')) {
          found.push(await readOutbox(t.s.blobs, keys, m.id));
        }
      }
      return found;
    };
    await createCustomer(t.b, { kind: 'person', name: 'Jan Geheim', email: 'jan@geheim.example' });
    const g = await grant(t.ownerB, { reason: 'Factuur klopt niet', hours: 2 });
    await runner.runDueJobs();
    assert.equal((await mailsTo()).length, 0, 'no mail before any use');
    assert.equal((await read(op, t.b.tenantId)).statusCode, 200);
    assert.equal((await read(op, t.b.tenantId, 'invoices')).statusCode, 200);
    await runner.runDueJobs();
    const mails = await mailsTo();
    assert.equal(mails.length, 1);
    const text = mails[0]?.text ?? '';
    assert.match(text, new RegExp(g.id));
    assert.match(text, new RegExp(op.id));
    assert.doesNotMatch(text, /Jan Geheim|jan@geheim|Factuur klopt niet/);
    assert.equal((await read(op, t.b.tenantId)).statusCode, 200);
    await runner.runDueJobs();
    assert.equal((await mailsTo()).length, 1, 'only the first use is mailed');
    await revoke(t.ownerB, g.id);
  });

  test('writes are impossible: no write route, the business API refuses the token, the policy refuses a support actor', async () => {
    await revokeAll();
    await grant(t.ownerA);
    const token = await op.token();
    for (const [method, url] of [
      ['POST', `/api/operator/v1/support/${t.a.tenantId}/customers`],
      ['PATCH', `/api/operator/v1/support/${t.a.tenantId}/customers/${customerId}`],
      ['DELETE', `/api/operator/v1/support/${t.a.tenantId}/invoices/${invoiceId}`],
      ['POST', `/api/operator/v1/support/${t.a.tenantId}/invoices/${invoiceId}/issue`],
      ['POST', '/api/v1/customers'],
      ['PATCH', `/api/v1/invoices/${invoiceId}`],
    ] as const) {
      const res = await t.call(method, url, token, { name: 'Overgenomen' });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${method} ${url}: ${res.statusCode}`);
    }
    const ctx: Ctx = await openSupportAccess(
      t.s,
      t.a.tenantId,
      { operatorId: op.id, requestId: null, ip: null },
      { resource: 'customers' },
    );
    await assert.rejects(createCustomer(ctx, { kind: 'person', name: 'Overgenomen' }), {
      code: 'insufficient_permission',
    });
    await assert.rejects(updateCustomer(ctx, customerId, { name: 'Overgenomen' }, 1), {
      code: 'insufficient_permission',
    });
    await assert.rejects(createInvoice(ctx, workedExample(customerId)), { code: 'insufficient_permission' });
    for (const p of ['customers:write', 'products:write', 'invoices:write', 'quotes:write'] as Permission[]) {
      assert.equal(can(ctx, p), false, p);
    }
    const customer = await read(op, t.a.tenantId, `customers/${customerId}`);
    assert.equal(customer.json().name, 'Bakkerij De Korf B.V.', 'nothing changed');
    await revokeAll();
  });
});

describe('the end of a grant', () => {
  test('after expiry (time travel) the grant opens nothing', async (c) => {
    c.after(() => t.s.clock.set(START));
    await revokeAll();
    const g = await grant(t.ownerA, { reason: 'Kort', hours: 1 });
    t.s.clock.advance(HOUR - 1000);
    assert.equal((await read(op, t.a.tenantId)).statusCode, 200);
    t.s.clock.advance(1000);
    refused(await read(op, t.a.tenantId));
    const owner = await t.tokenFor(t.a, 'owner'); // the first one expired on the way
    assert.equal((await grants(owner)).find((x) => x.id === g.id)?.status, 'expired');
  });

  test('after revocation the grant opens nothing, at once; revoking twice records it once', async () => {
    await revokeAll();
    const g = await grant(t.ownerA);
    assert.equal((await read(op, t.a.tenantId)).statusCode, 200);
    const res = await revoke(t.ownerA, g.id);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'revoked');
    refused(await read(op, t.a.tenantId));
    refused(await read(op, t.a.tenantId, `invoices/${invoiceId}`));
    assert.equal((await revoke(t.ownerA, g.id)).statusCode, 200);
    const revoked = (await events(t.a.tenantId, 'support.revoked')).filter((e) => e.target_id === g.id);
    assert.equal(revoked.length, 1);
  });

  test('a grant for operator X refuses operator Y', async () => {
    await revokeAll();
    const g = await grant(t.ownerA, { reason: 'Alleen voor X', operatorId: op.id });
    assert.equal(g.operatorId, op.id);
    refused(await read(other, t.a.tenantId));
    assert.equal((await read(op, t.a.tenantId)).statusCode, 200);
    await revokeAll();
  });

  test('staff see which businesses let them in now: named or for anyone, not revoked, not expired', async (c) => {
    c.after(() => t.s.clock.set(START));
    await revokeAll();
    const mine = async (who: TestOperator) => {
      const res = await t.call('GET', '/api/operator/v1/support/grants', await who.token());
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().items as { tenantId: string; grantId: string; named: boolean }[]).map((g) => [
        g.tenantId,
        g.grantId,
        g.named,
      ]);
    };
    const a = await grant(t.ownerA, { reason: 'Voor X', operatorId: op.id, hours: 2 });
    const b = await grant(t.ownerB, { reason: 'Voor iedereen', hours: 3 });
    assert.deepEqual(await mine(op), [
      [t.a.tenantId, a.id, true],
      [t.b.tenantId, b.id, false],
    ]);
    assert.deepEqual(await mine(other), [[t.b.tenantId, b.id, false]]);
    await revoke(t.ownerB, b.id);
    assert.deepEqual(await mine(other), []);
    t.s.clock.advance(2 * HOUR);
    assert.deepEqual(await mine(op), [], 'expired');
    const owner = await t.tokenFor(t.a, 'owner');
    const res = await t.call('GET', '/api/operator/v1/support/grants', owner);
    assert.equal(res.json().error.code, 'operator_required');
  });

  test("another business's grant does not open this one", async () => {
    await revokeAll();
    await grant(t.ownerB);
    refused(await read(op, t.a.tenantId));
    refused(await read(op, t.a.tenantId, `invoices/${invoiceId}`));
    assert.equal((await read(op, t.b.tenantId)).statusCode, 200);
    // B's owner cannot revoke or see A's grants, and A's do not show in B's list.
    const a = await grant(t.ownerA);
    assert.equal((await revoke(t.ownerB, a.id)).statusCode, 404);
    assert.ok(!(await grants(t.ownerB)).some((x) => x.id === a.id));
    await revokeAll();
  });
});
