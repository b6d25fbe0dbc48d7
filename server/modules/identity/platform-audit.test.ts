/**
 * The platform's audit chain (Identity points 12 and 13): signing-key rotations and operator
 * actions are hash-chained like a business's events, verified by the same verifier, and
 * `npm run kluis -- audit verify` checks that chain too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { createOperator } from './operators.service.ts';
import { PLATFORM_CHAIN, recordPlatformEvent, verifyPlatformAudit } from './platform-audit.ts';
import { createIdentityRuntime } from './runtime.ts';
import { rotateSigningKey } from './signing-keys.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(async () => {
  await s.close();
});

const platformActions = async () =>
  (
    await s.db.asOwner<{ action: string; actor_type: string }>(
      'SELECT action, actor_type FROM audit_events WHERE tenant_id = $1 ORDER BY seq',
      [PLATFORM_CHAIN],
    )
  ).map((r) => `${r.action}/${r.actor_type}`);

describe('the platform audit chain', () => {
  test('key rotations and operator actions are chained and verify; an edit is found', async () => {
    const empty = await verifyPlatformAudit(s);
    assert.equal(empty.ok, true, 'an empty chain verifies');
    assert.equal(empty.events, 0);

    await rotateSigningKey(s); // the first call creates the current key, then rotates it
    await createOperator(createIdentityRuntime(s), { email: 'beheerder@kluis.test' });
    await recordPlatformEvent(s, {
      action: 'platform.tenant_created',
      target: { type: 'tenant', id: '01900000-0000-7000-8000-000000000001' },
    });
    assert.deepEqual(await platformActions(), [
      'platform.signing_key_rotated/operator',
      'platform.operator_created/operator',
      'platform.tenant_created/operator',
    ]);
    const ok = await verifyPlatformAudit(s);
    assert.deepEqual([ok.ok, ok.events, ok.tenantId], [true, 3, PLATFORM_CHAIN]);

    // Someone with the database edits the second event.
    await s.db.asOwner('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    try {
      await s.db.asOwner(`UPDATE audit_events SET data = '{"x":1}' WHERE tenant_id = $1 AND seq = 2`, [
        PLATFORM_CHAIN,
      ]);
    } finally {
      await s.db.asOwner('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    }
    const broken = await verifyPlatformAudit(s);
    assert.equal(broken.ok, false);
    assert.deepEqual(broken.firstBroken, { seq: 2, reason: 'hash_mismatch' });
  });
});

describe('npm run kluis -- audit verify', () => {
  const ROOT = path.resolve(import.meta.dirname, '../../..');
  const dir = mkdtempSync(path.join(tmpdir(), 'kluis-platform-audit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const kluis = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'server/cli.ts'), ...args], {
      env: { KLUIS_DATA_DIR: dir, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });

  test('a signing-key rotation from the console is on the platform chain, which verify checks', () => {
    assert.equal(kluis('keys', 'rotate-signing', '--json').status, 0);
    const verify = kluis('audit', 'verify', '--json');
    assert.equal(verify.status, 0, verify.stderr);
    const results = JSON.parse(verify.stdout) as { tenantId: string; ok: boolean; events: number }[];
    const platform = results.find((r) => r.tenantId === PLATFORM_CHAIN);
    assert.ok(platform?.ok);
    assert.equal(platform.events, 1);
  });
});
