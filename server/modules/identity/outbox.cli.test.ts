/**
 * `kluis outbox` as a newcomer meets it (issue 7 point 9): the embedded database, no SMTP_URL, a
 * running server. Signing up mails a confirmation link into the platform outbox; the CLI asks the
 * server over its control socket, lists the mail and prints its link; after the server stopped it
 * opens the data directory itself; with SMTP_URL set it says there is no outbox.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { freePort, ROOT, runCli } from '../../test/processes.ts';

const work = mkdtempSync(path.join(tmpdir(), 'kluis-outbox-cli-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string>) => runCli(children, args, env);

/** Signs up through the real pages, as a browser would: authorize, follow to the interaction, post the form. */
async function signUpThroughPages(base: string, email: string): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    client_id: 'kluis-web',
    response_type: 'code',
    redirect_uri: `${base}/auth/callback`,
    scope: 'openid',
    state: 'st4te',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const start = await fetch(`${base}/oidc/auth?${q}`, { redirect: 'manual' });
  const location = start.headers.get('location') ?? '';
  const uid = /\/auth\/interaction\/([^/?"]+)/.exec(location)?.[1];
  assert.ok(uid, `no interaction in ${start.status} ${location}`);
  const cookie = start.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${base}/auth/interaction/${uid}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email,
      password: 'groene schildpad leest de krant',
      businessName: 'Schildpad B.V.',
      lang: 'nl',
    }).toString(),
  });
  assert.equal(res.status, 200, await res.text());
}

test('a newcomer reads the sign-up confirmation with kluis outbox, while the server runs and after', async () => {
  const dataDir = path.join(work, 'data');
  const port = await freePort();
  const env = { KLUIS_DATA_DIR: dataDir, PORT: String(port) };
  const base = `http://localhost:${port}`;
  const server = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], {
    env: { LOG_LEVEL: 'warn', ...env },
  });
  children.push(server);
  let serverErr = '';
  server.stderr.on('data', (d) => (serverErr += d));
  const exit = new Promise((resolve) => server.on('exit', resolve));
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (i > 1200) throw new Error(`server did not start: ${serverErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  const empty = await cli(['outbox'], env);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /empty/);

  const email = `nieuw-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  await signUpThroughPages(base, email);
  // The mail leaves after the page answered: wait until the server has stored it.
  let listed: { id: string; date: string; to: string[]; subject: string }[] = [];
  for (let i = 0; listed.length === 0; i++) {
    const r = await cli(['outbox', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    listed = JSON.parse(r.stdout);
    if (listed.length === 0) {
      assert.ok(i < 100, 'the confirmation mail never reached the outbox');
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  const [mail] = listed;
  assert.ok(mail);
  assert.deepEqual(mail.to, [email]);
  assert.ok(mail.subject.length > 0);
  assert.ok(!Number.isNaN(Date.parse(mail.date)));

  const text = await cli(['outbox'], env);
  assert.match(text.stdout, new RegExp(`${mail.id}.*${email.replace('.', '\\.')}`));

  const shown = await cli(['outbox', 'show', mail.id], env);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, new RegExp(`To: +${email.replace('.', '\\.')}`));
  const link = /https?:\/\/\S+\/auth\/confirm\?t=\S+/.exec(shown.stdout)?.[0];
  assert.ok(link, `no confirmation link in:\n${shown.stdout}`);
  assert.ok(link.startsWith(base), 'the link points at this installation');

  const unknown = await cli(['outbox', 'show', '0190a5f0-0000-7000-8000-000000000000'], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /mail_not_found/);
  const bad = await cli(['outbox', 'open'], env);
  assert.equal(bad.code, 2);

  server.kill('SIGTERM');
  assert.equal(await exit, 0, serverErr);

  // No server: the CLI opens the data directory itself and reads the same mail.
  const offline = await cli(['outbox', 'show', mail.id, '--json'], env);
  assert.equal(offline.code, 0, offline.stderr);
  const parsed = JSON.parse(offline.stdout) as { id: string; text: string; to: string[] };
  assert.equal(parsed.id, mail.id);
  assert.match(parsed.text, /\/auth\/confirm\?t=/);

  const smtp = await cli(['outbox', '--json'], { ...env, SMTP_URL: 'smtp://127.0.0.1:2525' });
  assert.equal(smtp.code, 0, smtp.stderr);
  assert.deepEqual(JSON.parse(smtp.stdout), { outbox: false });
});
