/**
 * Incidents through the operator API (Privacy center point 11, ADR 0058): record, scope from the
 * data, the 48-hour clock with escalations at 24 and 36 hours and the overdue list, notify, append
 * an update, and no closing before every notice is sent. Each action is on the platform chain
 * with the signed-in operator as actor; bad input is a 4xx that changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, buildApp } from '../../app.ts';
import type { Ctx } from '../../context.ts';
import { makeServices, makeTenant, type TestServices } from '../../test/harness.ts';
import type { CreatedOperator } from '../identity/operators.service.ts';
import { PLATFORM_CHAIN } from '../identity/platform-audit.ts';
import { signedInOperator } from './operator.testing.ts';

let s: TestServices;
let app: App;
let op: CreatedOperator;
let token: string;
let a: Ctx;
let b: Ctx;

before(async () => {
  s = await makeServices();
  s.clock.set(new Date('2026-11-02T09:00:00Z'));
  ({ app } = await buildApp({ services: s }));
  await app.ready();
  ({ op, token } = await signedInOperator(app, s));
  a = await makeTenant(s, 'Aap B.V.');
  b = await makeTenant(s, 'Beer B.V.');
});
after(async () => {
  await app.close();
  await s.close();
});

const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

const HOUR = 3_600_000;
const incident = (discoveredAt: Date) => ({
  discoveredAt: discoveredAt.toISOString(),
  nature: 'confidentiality',
  systems: ['database backups'],
  dataCategories: ['email', 'address'],
  description: 'A backup copy was readable by a misconfigured job.',
  consequences: 'Possible disclosure of customer contact details.',
  measures: 'Job removed, keys rotated.',
  encryption: 'encrypted',
  contact: 'security@kluis.test',
});

const platformEvents = async () =>
  s.db.asOwner<{ action: string; actor_type: string; actor_id: string | null }>(
    'SELECT action, actor_type, actor_id FROM audit_events WHERE tenant_id = $1 ORDER BY seq',
    [PLATFORM_CHAIN],
  );

describe('incidents in the operator API', () => {
  test('bad input is a 400 and records nothing', async () => {
    const base = incident(s.clock.now());
    for (const body of [
      { ...base, discoveredAt: 'yesterday' },
      { ...base, discoveredAt: '2026-13-40T00:00:00Z' },
      { ...base, dataCategories: ['not_a_category'] },
      { ...base, encryption: 'rot13' },
      { ...base, extra: 'field' },
      { ...base, nature: undefined },
    ]) {
      const res = await call('POST', '/api/operator/v1/incidents', body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
    }
    const future = await call(
      'POST',
      '/api/operator/v1/incidents',
      incident(new Date(s.clock.now().getTime() + HOUR)),
    );
    assert.ok(future.statusCode >= 400 && future.statusCode < 500, future.body);
    assert.equal((await call('GET', '/api/operator/v1/incidents')).json().items.length, 0);
    assert.equal((await call('GET', '/api/operator/v1/incidents/not-an-id')).statusCode, 404);
  });

  test('record, the clock with its escalations, scope, notify, update, close; all on the platform chain', async () => {
    const discovered = new Date(s.clock.now().getTime() - 2 * HOUR);
    const created = await call('POST', '/api/operator/v1/incidents', incident(discovered));
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    assert.equal(created.json().deadline, new Date(discovered.getTime() + 48 * HOUR).toISOString());
    assert.equal(created.json().msLeft, 46 * HOUR);

    // Nothing in scope yet: it cannot be closed, since it names business data.
    const early = await call('POST', `/api/operator/v1/incidents/${id}/close`);
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'incident_not_scoped');

    const ambiguous = await call('POST', `/api/operator/v1/incidents/${id}/scope`, {
      all: true,
      businesses: [a.tenantId],
    });
    assert.equal(ambiguous.statusCode, 400);
    const unknown = await call('POST', `/api/operator/v1/incidents/${id}/scope`, {
      businesses: ['01900000-0000-7000-8000-00000000dead'],
    });
    assert.equal(unknown.statusCode, 404);
    const scoped = await call('POST', `/api/operator/v1/incidents/${id}/scope`, {
      businesses: [a.tenantId, b.tenantId],
    });
    assert.equal(scoped.statusCode, 200, scoped.body);
    assert.deepEqual(
      scoped
        .json()
        .scope.map((x: { businessId: string }) => x.businessId)
        .sort(),
      [a.tenantId, b.tenantId].sort(),
    );
    assert.equal(scoped.json().state, 'pending');

    // The clock travels: 25 hours after discovery it is escalated, 37 hours more so, then overdue.
    const stateAt = async (hours: number) => {
      s.clock.set(new Date(discovered.getTime() + hours * HOUR));
      const list = (await call('GET', '/api/operator/v1/incidents')).json();
      const item = list.items.find((i: { id: string }) => i.id === id);
      return { state: item.state, msLeft: item.msLeft, overdue: list.overdue };
    };
    assert.equal((await stateAt(25)).state, 'escalated_24h');
    assert.equal((await stateAt(37)).state, 'escalated_36h');
    const late = await stateAt(49);
    assert.equal(late.state, 'overdue');
    assert.equal(late.msLeft, -HOUR);
    assert.deepEqual(
      late.overdue.map((o: { businessId: string }) => o.businessId).sort(),
      [a.tenantId, b.tenantId].sort(),
    );
    assert.ok(
      late.overdue.every(
        (o: { incidentId: string; hoursOverdue: number }) => o.incidentId === id && o.hoursOverdue === 1,
      ),
    );
    s.clock.set(new Date(discovered.getTime() + 3 * HOUR));

    const notified = await call('POST', `/api/operator/v1/incidents/${id}/notify`);
    assert.equal(notified.statusCode, 200, notified.body);
    assert.deepEqual(notified.json().notified.sort(), [a.tenantId, b.tenantId].sort());
    assert.equal(notified.json().incident.state, 'notified');
    // The business sees the notice in its own inbox, with the operator named as actor in its log.
    const events = await s.db.asOwner<{ actor_type: string; actor_id: string }>(
      "SELECT actor_type, actor_id FROM audit_events WHERE tenant_id = $1 AND action = 'incident.notified'",
      [a.tenantId],
    );
    assert.deepEqual(events, [{ actor_type: 'operator', actor_id: op.userId }]);

    const empty = await call('POST', `/api/operator/v1/incidents/${id}/updates`, { text: '' });
    assert.equal(empty.statusCode, 400);
    const update = await call('POST', `/api/operator/v1/incidents/${id}/updates`, {
      text: 'The misconfigured job ran only twice.',
    });
    assert.equal(update.statusCode, 201, update.body);
    assert.equal(update.json().seq, 1);
    assert.deepEqual(update.json().sentTo.sort(), [a.tenantId, b.tenantId].sort());

    const closed = await call('POST', `/api/operator/v1/incidents/${id}/close`);
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal(closed.json().status, 'closed');
    const again = await call('POST', `/api/operator/v1/incidents/${id}/updates`, { text: 'more' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'incident_closed');

    const mine = (await platformEvents()).filter((e) => e.action.startsWith('platform.incident_'));
    assert.deepEqual(
      mine.map((e) => e.action),
      [
        'platform.incident_recorded',
        'platform.incident_scoped',
        'platform.incident_notified',
        'platform.incident_notified',
        'platform.incident_updated',
        'platform.incident_closed',
      ],
    );
    assert.ok(mine.every((e) => e.actor_type === 'operator' && e.actor_id === op.userId));
  });

  test('an incident cannot close while a business in scope has not been notified', async () => {
    const created = await call('POST', '/api/operator/v1/incidents', incident(s.clock.now()));
    const id = created.json().id;
    await call('POST', `/api/operator/v1/incidents/${id}/scope`, { businesses: [a.tenantId] });
    const refused = await call('POST', `/api/operator/v1/incidents/${id}/close`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'incident_notices_missing');
    const open = (await call('GET', '/api/operator/v1/incidents?open=true')).json().items;
    assert.ok(open.some((i: { id: string }) => i.id === id));
    assert.ok(open.every((i: { status: string }) => i.status === 'open'));
  });
});
