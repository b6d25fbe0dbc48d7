/**
 * `npm run kluis -- client create|revoke` and `keys rotate-signing` (Identity points 1 and 9), run
 * as the operator runs them: a separate process on an embedded data directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'kluis-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function kluis(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'server/cli.ts'), ...args], {
      env: { KLUIS_DATA_DIR: dir, LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('client create prints the id and secret once as JSON; revoke and key rotation work', async () => {
  const tenant = await kluis('tenant', 'create', '--name', 'CLI B.V.', '--json');
  assert.equal(tenant.code, 0, tenant.stderr);
  const { id } = JSON.parse(tenant.stdout) as { id: string };
  const created = await kluis(
    'client',
    'create',
    '--tenant',
    id,
    '--name',
    'Boekhouding',
    '--scopes',
    'customers:read,invoices:read',
    '--json',
  );
  assert.equal(created.code, 0, created.stderr);
  const out = JSON.parse(created.stdout) as { clientId: string; clientSecret: string };
  assert.deepEqual(Object.keys(out).sort(), ['clientId', 'clientSecret']);
  assert.match(out.clientSecret, /^kls_[A-Za-z0-9_-]{43}$/);

  const bad = await kluis(
    'client',
    'create',
    '--tenant',
    id,
    '--name',
    'X',
    '--scopes',
    'everything',
    '--json',
  );
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /validation_failed/);

  const interactive = await kluis(
    'client',
    'create',
    '--tenant',
    id,
    '--name',
    'Koppeling',
    '--scopes',
    'invoices:read',
    '--redirect-uris',
    'https://koppeling.example/cb,http://127.0.0.1:8765/cb',
    '--json',
  );
  assert.equal(interactive.code, 0, interactive.stderr);
  const plainHttp = await kluis(
    'client',
    'create',
    '--tenant',
    id,
    '--name',
    'X',
    '--scopes',
    'invoices:read',
    '--redirect-uris',
    'http://koppeling.example/cb',
  );
  assert.equal(plainHttp.code, 2, 'a redirect URI is https, or http on loopback only');
  assert.match(plainHttp.stderr, /validation_failed/);

  const revoked = await kluis('client', 'revoke', '--tenant', id, '--client', out.clientId, '--json');
  assert.equal(revoked.code, 0, revoked.stderr);
  const again = await kluis('client', 'revoke', '--tenant', id, '--client', out.clientId);
  assert.equal(again.code, 2);

  const first = await kluis('keys', 'rotate-signing', '--json');
  assert.equal(first.code, 0, first.stderr);
  const second = JSON.parse((await kluis('keys', 'rotate-signing', '--json')).stdout) as {
    kid: string;
    retired: string[];
  };
  assert.deepEqual(second.retired, [JSON.parse(first.stdout).kid]);
});
