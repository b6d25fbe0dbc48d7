/**
 * Backups and restore (Privacy center point 13): back up, wipe, restore, and compare every row and
 * every blob; a tampered file, a wrong master key and a non-empty target are refused before
 * anything is written; a business shredded after a backup stays unreadable when that backup is
 * restored; a backup taken while another business keeps writing restores to a consistent state.
 * Runs on PGlite and, with `npm run test:pg`, on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Ctx, SYSTEM } from '../../context.ts';
import { KEY_VAULT_SPACE } from '../../crypto/key-vault.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices, makeTenant, type TestServices } from '../../test/harness.ts';
import { createCustomer, getCustomer } from '../customers/customers.service.ts';
import { createInvoice, issueInvoice } from '../invoices/index.ts';
import { prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';
import { listTenants, shredTenant } from '../tenants/tenants.service.ts';
import { writeBackup } from './backup.ts';
import { restoreBackup } from './restore.ts';

const master = randomBytes(32);
const work = mkdtempSync(path.join(tmpdir(), 'kluis-backup-test-'));
const blobDir = path.join(work, 'blobs');
let s: TestServices;
let a: Ctx;
let b: Ctx;
let annaId: string;

/** Every row of every table, as the database renders it, and every stored blob's bytes. */
async function everything(services: TestServices) {
  await services.db.asOwner(`SET TimeZone = 'UTC'`);
  const tables = await services.db.asOwner<{ relname: string }>(
    `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND relkind = 'r' ORDER BY relname`,
  );
  const rows: Record<string, string[]> = {};
  for (const { relname } of tables) {
    const r = await services.db.asOwner<{ j: string }>(
      `SELECT row_to_json(t)::text AS j FROM "${relname}" t`,
    );
    rows[relname] = r.map((x) => x.j).sort();
  }
  const blobs: Record<string, string> = {};
  for (const space of await services.blobs.listTenants()) {
    if (space === KEY_VAULT_SPACE) continue;
    for (const key of await services.blobs.list(space, '')) {
      blobs[`${space}/${key}`] = (await services.blobs.getSealed(space, key)).toString('base64');
    }
  }
  return { rows, blobs };
}

/** A wiped installation: a new empty database; the blob store emptied except the key vault. */
async function wiped(): Promise<TestServices> {
  for (const name of readdirSync(blobDir)) {
    if (name !== KEY_VAULT_SPACE) rmSync(path.join(blobDir, name), { recursive: true, force: true });
  }
  return makeServices({ masterKey: master, blobDir });
}

async function populate(ctx: Ctx, customer: string) {
  const customerId = await prepareBusiness(ctx);
  const c = await createCustomer(ctx, {
    kind: 'person',
    name: customer,
    email: 'p@example.nl',
    iban: 'NL91ABNA0417164300',
  });
  await issueInvoice(ctx, (await createInvoice(ctx, workedExample(customerId))).id);
  await createInvoice(ctx, workedExample(customerId));
  return c.id;
}

before(async () => {
  s = await makeServices({ masterKey: master, blobDir });
  a = await makeTenant(s, 'A');
  b = await makeTenant(s, 'B');
  annaId = await populate(a, 'Anna de Vries');
  await populate(b, 'Bram Jansen');
});
after(async () => {
  await s.close();
  rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  const file = path.join(work, 'full.kbak');
  let before: Awaited<ReturnType<typeof everything>>;

  test('a backup holds no plaintext and no tenant keys', async () => {
    const summary = await writeBackup(s, file);
    assert.ok(summary.rows > 20 && summary.blobs >= 2 && summary.tenants === 2);
    const raw = readFileSync(file);
    for (const secret of [
      'Anna de Vries',
      'Broodjes',
      'NL91ABNA0417164300',
      'tenant_keys',
      'invoice_lines',
    ]) {
      assert.equal(raw.indexOf(secret), -1, `${secret} is not readable in the file`);
    }
    before = await everything(s);
    assert.ok(before.rows.tenant_keys && before.rows.tenant_keys.length === 6);
  });

  test('backup, wipe, restore: every row and every blob is back, and the data reads', async () => {
    const s2 = await wiped();
    try {
      const summary = await restoreBackup(s2, file);
      assert.equal(summary.auditChainsVerified, 2);
      assert.deepEqual(summary.shredded, []);
      const restored = await everything(s2);
      assert.deepEqual(Object.keys(restored.rows), Object.keys(before.rows));
      for (const t of Object.keys(before.rows)) assert.deepEqual(restored.rows[t], before.rows[t], t);
      assert.deepEqual(restored.blobs, before.blobs);
      assert.ok(Object.keys(before.blobs).length >= 2);
      assert.equal((await getCustomer({ ...a, services: s2 }, annaId)).personal.name, 'Anna de Vries');
      assert.deepEqual((await listTenants(s2)).map((t) => t.name).sort(), ['A', 'B']);

      // A second restore into the now full target is refused.
      await assert.rejects(restoreBackup(s2, file), { code: 'restore_target_not_empty' });
    } finally {
      await s2.close();
    }
  });

  test('a tampered file or a wrong master key is refused, and nothing is written', async () => {
    const raw = readFileSync(file);
    const bad = path.join(work, 'tampered.kbak');
    const flipped = Buffer.from(raw);
    const at = Math.floor(raw.length / 2);
    flipped[at] = (flipped[at] ?? 0) ^ 1;
    writeFileSync(bad, flipped);
    const truncated = path.join(work, 'truncated.kbak');
    writeFileSync(truncated, raw.subarray(0, raw.length - 100));

    const s3 = await wiped();
    try {
      await assert.rejects(restoreBackup(s3, bad), { code: 'backup_tampered' });
      await assert.rejects(restoreBackup(s3, truncated), { code: 'backup_tampered' });
      const [count] = await s3.db.asOwner<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
      assert.equal(count?.n, 0);
      assert.deepEqual(
        (await s3.blobs.listTenants()).filter((x) => x !== KEY_VAULT_SPACE),
        [],
      );
    } finally {
      await s3.close();
    }
    const other = await makeServices({ masterKey: randomBytes(32), blobDir: path.join(work, 'other-blobs') });
    try {
      await assert.rejects(restoreBackup(other, file), { code: 'backup_key_unreadable' });
    } finally {
      await other.close();
    }
  });

  test('a backup taken while another business keeps writing restores consistently', async () => {
    const busy = path.join(work, 'busy.kbak');
    let stop = false;
    const writes = (async () => {
      let n = 0;
      // A request stream as a server sees it: one after another, with room for others in between.
      while (!stop && n < 500) {
        await createCustomer(b, { kind: 'company', name: `Klant ${n++}` });
        await new Promise((resolve) => setImmediate(resolve));
      }
      return n;
    })();
    await writeBackup(s, busy);
    stop = true;
    assert.ok((await writes) > 0);
    const s4 = await wiped();
    try {
      // restoreBackup verifies every audit chain: a torn snapshot would break B's chain or counts.
      const summary = await restoreBackup(s4, busy);
      assert.equal(summary.auditChainsVerified, 2);
      const [c] = await s4.db.asOwner<{ customers: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM customers WHERE tenant_id = $1) AS customers,
                (SELECT count(*)::int FROM audit_events WHERE tenant_id = $1 AND action = 'customer.created') AS events`,
        [b.tenantId],
      );
      assert.equal(c?.customers, c?.events, 'every restored customer has its audit event, and no more');
    } finally {
      await s4.close();
    }
  });

  test('a business shredded after a backup stays unreadable when that backup is restored', async () => {
    const older = path.join(work, 'before-shred.kbak');
    await writeBackup(s, older);
    await shredTenant(s, SYSTEM, a.tenantId);

    const s5 = await wiped();
    try {
      const summary = await restoreBackup(s5, older);
      assert.deepEqual(summary.shredded, [a.tenantId]);
      assert.equal(summary.auditChainsVerified, 1);
      // B is whole; A's rows are back only as ciphertext, with no key anywhere to open them.
      assert.equal(
        (await getCustomer({ ...b, services: s5 }, (await firstCustomer(s5, b)) ?? '')).kind,
        'person',
      );
      await assert.rejects(
        inTenant(s5.db, a.tenantId, (tx) => s5.keyring.forTenant(tx, a.tenantId)),
        { code: 'tenant_keys_destroyed' },
      );
      const [keys] = await s5.db.asOwner<{ n: number }>(
        'SELECT count(*)::int AS n FROM tenant_keys WHERE tenant_id = $1',
        [a.tenantId],
      );
      assert.equal(keys?.n, 0);
      const tenants = await listTenants(s5);
      assert.equal(tenants.find((t) => t.id === a.tenantId)?.status, 'shredded');
    } finally {
      await s5.close();
    }
  });
});

async function firstCustomer(services: TestServices, ctx: Ctx): Promise<string | undefined> {
  const [r] = await services.db.asOwner<{ id: string }>(
    `SELECT id::text AS id FROM customers WHERE tenant_id = $1 AND kind = 'person' LIMIT 1`,
    [ctx.tenantId],
  );
  return r?.id;
}
