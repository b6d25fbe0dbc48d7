/**
 * Test services on a real database: an in-memory PGlite by default, or the PostgreSQL server
 * named by KLUIS_TEST_PG_URL (set by `npm run test:pg`). Each test makes its own tenants, so
 * files can share a server database without truncating anything.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { LocalBlobStore } from '../blobs/local-blob-store.ts';
import { ManualClock } from '../clock.ts';
import { readTestEnv } from '../config.ts';
import { type Ctx, type Services, SYSTEM } from '../context.ts';
import { Keyring } from '../crypto/keyring.ts';
import { masterKeyFrom } from '../crypto/master-key.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { inTenant } from '../db/transactions.ts';
import { createLogger } from '../log.ts';
import { OutboxMailer } from '../mail/outbox-mailer.ts';
import { savePrivacyContact } from '../modules/legal/contact.repo.ts';
import { createTenant } from '../modules/tenants/tenants.service.ts';

/** Everything a test needs, plus what it wrote to the log. */
export interface TestServices extends Services {
  clock: ManualClock;
  logged: () => string;
  close: () => Promise<void>;
}

/** True when the suite runs against a PostgreSQL server. */
export const onServer = readTestEnv().pgUrl !== undefined;

/**
 * Opens and migrates a test database. On the server each call gets a database of its own, dropped
 * on close, so operator-wide commands (list all tenants, rotate the master key) see only their test's data.
 */
export async function openTestDatabase(pgliteDir?: string): Promise<Database> {
  const { pgUrl } = readTestEnv();
  if (!pgUrl) {
    const db = await openDatabase({ pgliteDir });
    await db.migrate();
    return db;
  }
  const name = `kluis_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 12 });
  await db.migrate();
  return {
    ...db,
    kind: db.kind,
    orm: db.orm,
    async close() {
      await db.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Builds services on a fresh database with a random master key and a manual clock. */
export async function makeServices(
  options: { db?: Database; masterKey?: Buffer; blobDir?: string } = {},
): Promise<TestServices> {
  const db = options.db ?? (await openTestDatabase());
  const ownBlobDir = options.blobDir === undefined;
  const blobDir = options.blobDir ?? mkdtempSync(path.join(tmpdir(), 'kluis-blobs-'));
  const clock = new ManualClock('2026-11-20T10:00:00Z');
  const blobs = new LocalBlobStore(blobDir);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const services: TestServices = {
    db,
    keyring: new Keyring(masterKeyFrom(options.masterKey ?? randomBytes(32))),
    clock,
    log: createLogger('debug', sink),
    blobs,
    mailer: new OutboxMailer(blobs, 'Kluis <no-reply@kluis.test>', clock),
    logged: () => Buffer.concat(chunks).toString('utf8'),
    close: async () => {
      await db.close();
      if (ownBlobDir) rmSync(blobDir, { recursive: true, force: true });
    },
  };
  return services;
}

/**
 * Creates a tenant and returns a context acting in it as a user. It has a data-protection contact
 * (required before issuing; written without an audit event so tests see only their own events).
 */
export async function makeTenant(services: Services, name = 'Testbedrijf B.V.'): Promise<Ctx> {
  const { id } = await createTenant(services, SYSTEM, { name });
  await inTenant(services.db, id, async (tx) => {
    const contact = { name: 'Privacy Contact', email: 'privacy@testbedrijf.example', phone: null };
    await savePrivacyContact(tx, await services.keyring.forTenant(tx, id), contact, services.clock.now());
  });
  return {
    tenantId: id,
    actor: { type: 'user', id: 'test-user' },
    access: { role: 'owner', scopes: [] },
    requestId: `req-${randomBytes(4).toString('hex')}`,
    ip: '203.0.113.7',
    services,
  };
}
