/**
 * The embedded outbox: mails round-trip through list and read, stay per tenant, and — because
 * they are personal data — a raw scan of the data directory finds no recipient, subject or body.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import { createBlobStore } from '../blobs/index.ts';
import { ManualClock } from '../clock.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { newId } from '../ids.ts';
import { createMailer, listOutbox, type OutboxMailer, readOutbox } from './index.ts';

function tenantKeys(): TenantKeys {
  const data = randomBytes(32);
  return {
    tenantId: newId(),
    data: { current: { id: 1, key: data }, byId: (id) => (id === 1 ? data : undefined) },
    index: randomBytes(32),
    audit: randomBytes(32),
  };
}

const RECIPIENT = 'marieke.de.vries@klant-voorbeeld.nl';
const SUBJECT = 'Factuur 2026-0042 voor Marieke';
const BODY = 'Beste Marieke, hierbij uw factuur. Uw IBAN NL91ABNA0417164300 wordt geïncasseerd.';
const isMailNotFound = (e: unknown) => e instanceof AppError && e.code === 'mail_not_found';

describe('OutboxMailer', () => {
  let dataDir: string;
  let mailer: OutboxMailer;
  const clock = new ManualClock('2026-11-20T10:00:00Z');

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kluis-outbox-'));
    const blobs = createBlobStore({ dataDir, s3: undefined });
    mailer = createMailer(
      { smtpUrl: undefined, mailFrom: 'Kluis <no-reply@kluis.example>' },
      blobs,
      clock,
    ) as OutboxMailer;
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('send, list and read back: recipients, subject, date, text, html and attachment', async () => {
    const keys = tenantKeys();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(100_000)]);
    const first = await mailer.send(keys, { to: [RECIPIENT], subject: 'Welkom', text: 'Hallo' });
    clock.advance(60_000);
    const second = await mailer.send(keys, {
      to: [RECIPIENT, 'Boekhouding <boekhouding@klant-voorbeeld.nl>'],
      subject: SUBJECT,
      text: BODY,
      html: `<p>${BODY}</p>`,
      attachments: [{ filename: 'factuur 2026-0042 (€).pdf', contentType: 'application/pdf', content: pdf }],
    });
    assert.equal(second.transport, 'outbox');
    assert.match(second.messageId, /^<[0-9a-f-]{36}@kluis\.example>$/);

    const list = await mailer.listOutbox(keys);
    assert.deepEqual(list, [
      {
        id: second.id,
        to: [RECIPIENT, 'boekhouding@klant-voorbeeld.nl'],
        subject: SUBJECT,
        date: new Date('2026-11-20T10:01:00Z'),
      },
      { id: first.id, to: [RECIPIENT], subject: 'Welkom', date: new Date('2026-11-20T10:00:00Z') },
    ]);

    const mail = await mailer.readOutbox(keys, second.id);
    assert.equal(mail.id, second.id);
    assert.equal(mail.messageId, second.messageId);
    assert.equal(mail.from, 'Kluis <no-reply@kluis.example>');
    assert.deepEqual(mail.to, [RECIPIENT, 'boekhouding@klant-voorbeeld.nl']);
    assert.equal(mail.subject, SUBJECT);
    assert.equal(mail.text, BODY);
    assert.equal(mail.html, `<p>${BODY}</p>`);
    assert.equal(mail.date?.toISOString(), '2026-11-20T10:01:00.000Z');
    assert.equal(mail.attachments[0]?.filename, 'factuur 2026-0042 (€).pdf');
    assert.deepEqual(mail.attachments[0]?.content, pdf);
  });

  test("another tenant's outbox is empty and its ids answer mail_not_found", async () => {
    const a = tenantKeys();
    const b = tenantKeys();
    const sent = await mailer.send(a, { to: [RECIPIENT], subject: SUBJECT, text: BODY });
    assert.deepEqual(await mailer.listOutbox(b), []);
    await assert.rejects(mailer.readOutbox(b, sent.id), isMailNotFound);
    await assert.rejects(mailer.readOutbox(a, newId()), isMailNotFound);
    await assert.rejects(mailer.readOutbox(a, '../../etc/passwd'), isMailNotFound);
  });

  test('invariant 2: a raw scan of the data directory finds no recipient, subject or body', async () => {
    const keys = tenantKeys();
    await mailer.send(keys, { to: [RECIPIENT], subject: SUBJECT, text: BODY, html: `<b>${BODY}</b>` });
    const files = (await readdir(dataDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    assert.ok(files.length >= 1);
    const raw = Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
    const names = files.join('\n');
    for (const secret of [RECIPIENT, 'marieke', SUBJECT, 'Beste Marieke', 'NL91ABNA0417164300']) {
      for (const encoding of ['utf8', 'utf16le', 'base64'] as const) {
        const needle = Buffer.from(
          Buffer.from(secret).toString(encoding === 'base64' ? 'base64' : 'utf8'),
          encoding === 'utf16le' ? 'utf16le' : 'utf8',
        );
        assert.equal(raw.indexOf(needle), -1, `${secret} (${encoding}) found on disk`);
      }
      assert.ok(!names.toLowerCase().includes(secret.toLowerCase()), `${secret} in a file name`);
    }
  });

  test('listOutbox and readOutbox also work as plain functions on the blob store', async () => {
    const keys = tenantKeys();
    const blobs = createBlobStore({ dataDir, s3: undefined });
    const sent = await mailer.send(keys, { to: [RECIPIENT], subject: 'Los', text: 'los' });
    assert.deepEqual(
      (await listOutbox(blobs, keys)).map((m) => m.id),
      [sent.id],
    );
    assert.equal((await readOutbox(blobs, keys, sent.id)).subject, 'Los');
  });
});
