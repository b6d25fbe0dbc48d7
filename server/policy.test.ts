/** The business permission policy: roles for people, scopes for clients, deny by default. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor, Role } from './context.ts';
import { can, requirePermission } from './policy.ts';

const user = (role: Role | null) => ({
  actor: { type: 'user', id: 'u' } as Actor,
  access: { role, scopes: [] },
});
const client = (scopes: string[]) => ({
  actor: { type: 'client', id: 'c' } as Actor,
  access: { role: null, scopes },
});

test('people act through their role; viewers only read', () => {
  for (const role of ['owner', 'admin', 'bookkeeper'] as const)
    assert.equal(can(user(role), 'invoices:write'), true);
  assert.equal(can(user('viewer'), 'customers:read'), true);
  assert.equal(can(user('viewer'), 'customers:write'), false);
  assert.equal(can(user(null), 'customers:read'), false, 'no membership, no access');
});

test('clients act only through their scopes; operators and unknown actors get nothing', () => {
  assert.equal(can(client(['customers:read']), 'customers:read'), true);
  assert.equal(can(client(['customers:read']), 'customers:write'), false);
  assert.equal(can(client([]), 'invoices:read'), false);
  assert.equal(
    can({ actor: { type: 'operator', id: 'o' }, access: { role: 'owner', scopes: [] } }, 'customers:read'),
    false,
  );
  assert.equal(can({ actor: { type: 'system', id: null } }, 'invoices:write'), true);
  assert.throws(() => requirePermission(user('viewer'), 'invoices:write'), {
    code: 'insufficient_permission',
  });
});
