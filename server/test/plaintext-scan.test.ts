/**
 * Foundation point 11, the proof of invariant 2: known personal values written through the normal
 * code path appear nowhere in plaintext: not in the raw database files, a SQL dump, the blob store,
 * the outbox or the log. Each value is searched as UTF-8 bytes and as hex (how dumps print bytea).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readTestEnv } from '../config.ts';
import { inTenant } from '../db/transactions.ts';
import { createCustomer, getCustomer, searchCustomers } from '../modules/customers/customers.service.ts';
import { makeServices, makeTenant, onServer, openTestDatabase } from './harness.ts';

const SECRETS = {
  iban: 'NL91ABNA0417164300',
  email: 'geheim.adres@dekorf.example',
  vat: 'NL004495445B01',
  name: 'Bakkerij Zeldzaamheid',
  phone: '+31 6 9876 5432',
  ip: '198.51.100.23',
};

function needles(): { label: string; bytes: Buffer }[] {
  return Object.entries(SECRETS).flatMap(([label, v]) => [
    { label, bytes: Buffer.from(v, 'utf8') },
    { label: `${label} (hex)`, bytes: Buffer.from(Buffer.from(v, 'utf8').toString('hex'), 'utf8') },
  ]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Returns "label in where" for every needle found in `haystack`. */
function findings(where: string, haystack: Buffer): string[] {
  return needles()
    .filter((n) => haystack.includes(n.bytes))
    .map((n) => `${n.label} in ${where}`);
}

test('no personal value is found in plaintext in the data directory, a SQL dump, the blob store, the outbox or the log', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kluis-scan-'));
  try {
    const db = await openTestDatabase(onServer ? undefined : path.join(dir, 'pg'));
    const s = await makeServices({ db, blobDir: path.join(dir, 'blobs') });
    const ctx = { ...(await makeTenant(s, 'Scan B.V.')), ip: SECRETS.ip };
    const c = await createCustomer(ctx, {
      kind: 'company',
      name: SECRETS.name,
      email: SECRETS.email,
      phone: SECRETS.phone,
      iban: SECRETS.iban,
      vatNumber: SECRETS.vat,
    });
    // Reads and searches go through the same paths an API call will use.
    assert.equal((await getCustomer(ctx, c.id)).personal.iban, SECRETS.iban);
    assert.equal((await searchCustomers(ctx, 'email', SECRETS.email)).length, 1);
    s.log.info({ customer: { email: SECRETS.email, iban: SECRETS.iban } }, 'a careless log line');
    // A stored file and a mail in the outbox, both full of the same personal data.
    const keys = await inTenant(s.db, ctx.tenantId, (tx) => s.keyring.forTenant(tx, ctx.tenantId));
    const document = Buffer.from(`Factuur voor ${SECRETS.name}, ${SECRETS.email}, IBAN ${SECRETS.iban}`);
    await s.blobs.put(keys, `invoices/${c.id}.pdf`, document);
    assert.deepEqual(await s.blobs.get(keys, `invoices/${c.id}.pdf`), document);
    await s.mailer.send(keys, {
      to: [SECRETS.email],
      subject: `Factuur voor ${SECRETS.name}`,
      text: `Betaal op ${SECRETS.iban}. Vragen? Bel ${SECRETS.phone}.`,
      attachments: [{ filename: 'factuur.pdf', contentType: 'application/pdf', content: document }],
    });

    // A logical dump of every table, as the owner sees it (bytea printed as hex, like pg_dump).
    const tables = await s.db.asOwner<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    let dump = '';
    for (const { t } of tables) {
      const rows = await s.db.asOwner<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM ${t} x`);
      dump += rows.map((r) => r.r).join('\n');
    }
    assert.ok(dump.includes(c.id), 'the dump holds the customer row');
    const found = [...findings('SQL dump', Buffer.from(dump)), ...findings('log', Buffer.from(s.logged()))];

    if (onServer) {
      // The real pg_dump of the test database, when the client tools are installed.
      const { pgUrl } = readTestEnv();
      const dbName = (await s.db.asOwner<{ d: string }>('SELECT current_database() AS d'))[0]?.d;
      const url = new URL(pgUrl ?? '');
      url.pathname = `/${dbName}`;
      try {
        found.push(...findings('pg_dump', execFileSync('pg_dump', [url.toString()], { maxBuffer: 1 << 28 })));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    await s.close();
    // The raw files after a clean close: PGlite's heap and WAL (embedded), the blob store and the outbox.
    const files = filesUnder(dir);
    assert.ok(files.length >= (onServer ? 2 : 100), 'the data directory was written');
    for (const f of files) found.push(...findings(path.relative(dir, f), readFileSync(f)));
    assert.deepEqual(found, []);
    assert.ok(s.logged().includes('a careless log line'), 'the log line itself was written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
