/**
 * The process as an operator runs it (Foundation point 2 and 4): configuration errors stop it
 * before it listens; the embedded data directory is locked against a second process; SIGTERM
 * drains and closes cleanly; and no committed write is lost, even to SIGKILL.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  // A failed assertion must not leave a server running (it would keep this test file alive).
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kluis-proc-'));
  dirs.push(d);
  return d;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Environment for a child: only what Kluis reads, so the developer's own settings never leak in. */
function env(extra: Record<string, string>): Record<string, string> {
  return { LOG_LEVEL: 'warn', ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], extra: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], { env: env(extra) });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, tries = 1200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('configuration', () => {
  test('an invalid configuration prints every problem and exits 1 before listening', async () => {
    const r = await run('server/main.ts', [], {
      PORT: 'abc',
      KLUIS_MASTER_KEY: 'too-short',
      SMTP_URL: 'http://mail',
      LOG_LEVEL: 'loud',
      KLUIS_DATA_DIR: tempDir(),
    });
    assert.equal(r.code, 1);
    for (const name of ['PORT', 'KLUIS_MASTER_KEY', 'SMTP_URL', 'LOG_LEVEL'])
      assert.match(r.stderr, new RegExp(name));
  });

  test('a database, mail or storage endpoint outside the EU allow-list is refused at start-up', async () => {
    const r = await run('server/main.ts', [], {
      DATABASE_URL: 'postgres://kluis@db.example.com/kluis',
      KLUIS_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      S3_BUCKET: 'facturen',
      S3_REGION: 'us-east-1',
      SMTP_URL: 'smtp://relay.example.us:587',
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DATABASE_URL host db\.example\.com is not in KLUIS_ALLOWED_HOSTS/);
    assert.match(r.stderr, /DATABASE_URL must use TLS/);
    assert.match(r.stderr, /S3_REGION us-east-1 is not in KLUIS_ALLOWED_REGIONS/);
    assert.match(r.stderr, /SMTP_URL host relay\.example\.us/);
  });
});

describe('the embedded data directory', () => {
  test('a second process is refused by the lock while the server runs; SIGTERM drains, closes and frees it', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const base = { KLUIS_DATA_DIR: dataDir, PORT: String(port) };
    const server = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], { env: env(base) });
    children.push(server);
    let serverErr = '';
    server.stderr.on('data', (d) => (serverErr += d));
    const exit = exited(server);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
      `readyz (${serverErr})`,
    );
    assert.deepEqual(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json(), { status: 'ok' });

    const refused = await run('server/cli.ts', ['tenant', 'create', '--name', 'Tweede', '--json'], base);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /in use by process \d+ \(server/);
    const second = await run('server/main.ts', [], { ...base, PORT: String(await freePort()) });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /in use by process/);

    server.kill('SIGTERM');
    assert.equal(await exit, 0, 'a clean exit after draining');
    assert.equal(existsSync(path.join(dataDir, 'kluis.lock')), false, 'the lock is released');

    const created = await run('server/cli.ts', ['tenant', 'create', '--name', 'Na de stop', '--json'], base);
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    const list = await run('server/cli.ts', ['tenant', 'list', '--json'], base);
    assert.deepEqual(JSON.parse(list.stdout), [{ id, name: 'Na de stop' }]);
  });

  test('every write that committed survives SIGKILL, and the stale lock is taken over', async () => {
    const dataDir = tempDir();
    const base = { KLUIS_DATA_DIR: dataDir };
    const writer = spawn(process.execPath, [path.join(ROOT, 'server/test/fixtures/writer.ts')], {
      env: env(base),
    });
    children.push(writer);
    const committed: string[] = [];
    let buffer = '';
    writer.stdout.on('data', (d) => {
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      committed.push(...lines);
    });
    const exit = exited(writer);
    await waitFor(async () => committed.length >= 8, 'eight committed writes');
    writer.kill('SIGKILL');
    await exit;
    assert.equal(existsSync(path.join(dataDir, 'kluis.lock')), true, 'the killed process left its lock');

    const list = await run('server/cli.ts', ['tenant', 'list', '--json'], base);
    assert.equal(list.code, 0, list.stderr);
    const ids = new Set((JSON.parse(list.stdout) as { id: string }[]).map((t) => t.id));
    const lost = committed.filter((id) => !ids.has(id));
    assert.deepEqual(lost, [], 'no committed tenant is lost');
    const verify = await run('server/cli.ts', ['audit', 'verify', '--json'], base);
    assert.equal(verify.code, 0, 'every audit chain is intact after the crash');
  });
});

describe('the operator command line', () => {
  test('rotate the master key, verify and export the audit log; a tampered event makes verify exit 1', async () => {
    const dataDir = tempDir();
    const base = { KLUIS_DATA_DIR: dataDir };
    const created = await run(
      'server/cli.ts',
      ['tenant', 'create', '--name', 'Rotatie B.V.', '--json'],
      base,
    );
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    const keyBefore = readFileSync(path.join(dataDir, 'master.key'), 'utf8');
    assert.equal(statSync(path.join(dataDir, 'master.key')).mode & 0o777, 0o600);

    const rotated = await run('server/cli.ts', ['keys', 'rotate-master', '--json'], base);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.ok(JSON.parse(rotated.stdout).rewrappedTenants >= 1);
    assert.notEqual(readFileSync(path.join(dataDir, 'master.key'), 'utf8'), keyBefore, 'a new master key');
    assert.equal(existsSync(path.join(dataDir, 'master.key.next')), false);
    const list = await run('server/cli.ts', ['tenant', 'list', '--json'], base);
    assert.deepEqual(
      JSON.parse(list.stdout),
      [{ id, name: 'Rotatie B.V.' }],
      'names decrypt under the new key',
    );

    const exported = await run('server/cli.ts', ['audit', 'export', '--tenant', id], base);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.slice(0, -1).map((l) => l.action),
      ['tenant.created', 'tenant.keys_rewrapped', 'audit.exported'],
    );
    assert.equal(lines.at(-1).verification.ok, true);
    assert.equal((await run('server/cli.ts', ['audit', 'verify', '--tenant', id], base)).code, 0);

    // An intruder with the database files edits the second event.
    const pglite = await PGlite.create(path.join(dataDir, 'pg'));
    await pglite.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await pglite.query("UPDATE audit_events SET data = '{}' WHERE seq = 2");
    await pglite.close();
    const broken = await run('server/cli.ts', ['audit', 'verify'], base);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, new RegExp(`BROKEN  ${id}  first broken event: #2 \\(hash_mismatch\\)`));
  });
});
