/** `npm run kluis -- operator create --email E` (Identity point 12), run as a separate process. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'kluis-ops-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const kluis = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'server/cli.ts'), ...args], {
    env: { KLUIS_DATA_DIR: dir, LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });

test('operator create prints the password, TOTP and recovery codes once; a second one with the same address is refused', () => {
  const created = kluis('operator', 'create', '--email', 'beheer@kluis.test', '--json');
  assert.equal(created.status, 0, created.stderr);
  const op = JSON.parse(created.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(op).sort(), ['password', 'recoveryCodes', 'totpSecret', 'totpUri', 'userId']);
  assert.match(String(op.totpUri), /^otpauth:\/\/totp\//);
  const again = kluis('operator', 'create', '--email', 'BEHEER@kluis.test', '--json');
  assert.equal(again.status, 2);
  assert.match(again.stderr, /email_taken/);
  assert.doesNotMatch(again.stderr, /beheer@/i, 'no address in the error');
});
