/** `npm run kluis -- incident …` (Privacy center point 11), run as a separate process on its own data directory. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'kluis-incidents-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const kluis = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'server/cli.ts'), ...args], {
    env: { KLUIS_DATA_DIR: dir, LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });

test('incident create, scope --all, notify, close refused while a business has no notice, list with the clock', () => {
  const tenant = kluis('tenant', 'create', '--name', 'Zonder Contact B.V.', '--json');
  assert.equal(tenant.status, 0, tenant.stderr);
  const tenantId = JSON.parse(tenant.stdout).id as string;

  const bad = kluis(
    'incident',
    'create',
    '--discovered',
    '2020-01-01T00:00:00Z',
    '--contact',
    'x@beheer.test',
    '--json',
  );
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /validation_failed/);

  const created = kluis(
    'incident',
    'create',
    '--discovered',
    new Date(Date.now() - 3_600_000).toISOString(),
    '--nature',
    'Back-up gekopieerd',
    '--systems',
    'backup',
    '--categories',
    'name,email',
    '--description',
    'Een openbaar leesbare bucket',
    '--consequences',
    'Gering',
    '--measures',
    'Afgesloten',
    '--encryption',
    'encrypted',
    '--contact',
    'incidenten@beheer.test',
    '--json',
  );
  assert.equal(created.status, 0, created.stderr);
  const id = JSON.parse(created.stdout).id as string;

  const scoped = kluis('incident', 'scope', '--incident', id, '--all', '--json');
  assert.equal(scoped.status, 0, scoped.stderr);
  assert.deepEqual(
    JSON.parse(scoped.stdout).scope.map((s: { businessId: string; people: number }) => [
      s.businessId,
      s.people,
    ]),
    [[tenantId, 0]],
  );
  // The business has neither a data-protection contact nor an owner: it is reported and stays on the clock.
  const notified = kluis('incident', 'notify', '--incident', id, '--json');
  assert.equal(notified.status, 0, notified.stderr);
  assert.deepEqual(JSON.parse(notified.stdout), { notified: [], toOwners: [], withoutContact: [tenantId] });

  const close = kluis('incident', 'close', '--incident', id);
  assert.equal(close.status, 2);
  assert.match(close.stderr, /incident_notices_missing/);

  const listed = kluis('incident', 'list', '--open', '--json');
  assert.equal(listed.status, 0, listed.stderr);
  const [incident] = JSON.parse(listed.stdout);
  assert.equal(incident.id, id);
  assert.equal(incident.state, 'pending');
  const overdue = kluis('incident', 'list', '--overdue', '--json');
  assert.deepEqual(JSON.parse(overdue.stdout), []);
});
