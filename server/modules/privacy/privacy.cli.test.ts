/**
 * The operator's commands as processes, on the embedded database: while the server runs (and
 * holds the data directory) `kluis backup` and `kluis export` are done by the server over its
 * control socket; after it stopped, `kluis restore` into an empty data directory (with the master
 * key and the key vault of the installation) verifies and restores, refuses a second restore and a
 * tampered file.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { readTestEnv } from '../../config.ts';
import { KEY_VAULT_SPACE } from '../../crypto/key-vault.ts';
import { freePort, ROOT, runCli } from '../../test/processes.ts';

const work = mkdtempSync(path.join(tmpdir(), 'kluis-privacy-cli-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string>) => runCli(children, args, env);

test('backup and export while the embedded server runs; restore into an empty data directory', async () => {
  const dataDir = path.join(work, 'data');
  const port = await freePort();
  const env = { KLUIS_DATA_DIR: dataDir, PORT: String(port) };
  const created = await cli(['tenant', 'create', '--name', 'Bakkerij Kluis', '--json'], env);
  assert.equal(created.code, 0, created.stderr);
  const { id } = JSON.parse(created.stdout) as { id: string };

  const server = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], {
    env: { LOG_LEVEL: 'warn', ...env },
  });
  children.push(server);
  let serverErr = '';
  server.stderr.on('data', (d) => (serverErr += d));
  const exit = new Promise((resolve) => server.on('exit', resolve));
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (i > 1200) throw new Error(`server did not start: ${serverErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  const file = path.join(work, 'kluis.kbak');
  const backup = await cli(['backup', '--out', file, '--json'], env);
  assert.equal(backup.code, 0, backup.stderr);
  assert.equal(JSON.parse(backup.stdout).tenants, 1);
  assert.ok(existsSync(file));

  const zip = path.join(work, 'export.zip');
  const exported = await cli(['export', '--tenant', id, '--out', zip, '--json'], env);
  assert.equal(exported.code, 0, exported.stderr);
  const files = unzipSync(new Uint8Array(readFileSync(zip)));
  const [tenant] = JSON.parse(strFromU8(files['data/tenants.json'] ?? new Uint8Array())) as {
    name: string;
  }[];
  assert.equal(tenant?.name, 'Bakkerij Kluis');

  server.kill('SIGTERM');
  assert.equal(await exit, 0, serverErr);
  assert.equal(existsSync(path.join(dataDir, 'kluis.sock')), false, 'the socket is removed on stop');

  // A new machine: only the master key and the key vault come along, never the database.
  const fresh = path.join(work, 'fresh');
  mkdirSync(path.join(fresh, 'blobs'), { recursive: true, mode: 0o700 });
  cpSync(path.join(dataDir, 'master.key'), path.join(fresh, 'master.key'));
  cpSync(path.join(dataDir, 'blobs', KEY_VAULT_SPACE), path.join(fresh, 'blobs', KEY_VAULT_SPACE), {
    recursive: true,
  });
  const freshEnv = { KLUIS_DATA_DIR: fresh };

  const tampered = path.join(work, 'tampered.kbak');
  const raw = readFileSync(file);
  raw[raw.length - 20] = (raw[raw.length - 20] ?? 0) ^ 0xff;
  writeFileSync(tampered, raw);
  const refused = await cli(['restore', tampered], freshEnv);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /backup_tampered/);

  const restored = await cli(['restore', file, '--json'], freshEnv);
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal(JSON.parse(restored.stdout).auditChainsVerified, 1);
  const list = await cli(['tenant', 'list', '--json'], freshEnv);
  assert.deepEqual(JSON.parse(list.stdout), [{ id, name: 'Bakkerij Kluis' }]);

  const again = await cli(['restore', file], freshEnv);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /restore_target_not_empty/);
});

const { pgUrl } = readTestEnv();

/** A new empty database on the test server, dropped with the rest of the test's state. */
async function freshDatabase(): Promise<string> {
  const { default: pg } = await import('pg');
  const name = `kluis_cli_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  dropLater.push(name);
  const url = new URL(pgUrl ?? '');
  url.pathname = `/${name}`;
  return url.toString();
}
const dropLater: string[] = [];
after(async () => {
  if (!pgUrl || dropLater.length === 0) return;
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  for (const name of dropLater) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

test('on PostgreSQL the CLI backs up beside a serving node and restores into an empty database', {
  skip: !pgUrl,
}, async () => {
  const masterKey = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64');
  const port = await freePort();
  const env = {
    DATABASE_URL: await freshDatabase(),
    KLUIS_MASTER_KEY: masterKey,
    KLUIS_DATA_DIR: path.join(work, 'pg-node'),
    PORT: String(port),
  };
  const created = await cli(['tenant', 'create', '--name', 'Server B.V.', '--json'], env);
  assert.equal(created.code, 0, created.stderr);
  const { id } = JSON.parse(created.stdout) as { id: string };

  const server = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], {
    env: { LOG_LEVEL: 'warn', ...env },
  });
  children.push(server);
  const exit = new Promise((resolve) => server.on('exit', resolve));
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (i > 1200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const file = path.join(work, 'pg.kbak');
  const backup = await cli(['backup', '--out', file, '--json'], env);
  assert.equal(backup.code, 0, backup.stderr);
  assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200, 'the node kept serving');
  server.kill('SIGTERM');
  assert.equal(await exit, 0);

  // A new database and blob store; the master key and the key vault come along.
  const target = {
    ...env,
    DATABASE_URL: await freshDatabase(),
    KLUIS_DATA_DIR: path.join(work, 'pg-restored'),
  };
  cpSync(
    path.join(env.KLUIS_DATA_DIR, 'blobs', KEY_VAULT_SPACE),
    path.join(target.KLUIS_DATA_DIR, 'blobs', KEY_VAULT_SPACE),
    {
      recursive: true,
    },
  );
  const restored = await cli(['restore', file, '--json'], target);
  assert.equal(restored.code, 0, restored.stderr);
  const list = await cli(['tenant', 'list', '--json'], target);
  assert.deepEqual(JSON.parse(list.stdout), [{ id, name: 'Server B.V.' }]);
});
