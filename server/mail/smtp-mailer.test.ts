/**
 * SMTP delivery against a real SMTP server (the `smtp-server` package) on 127.0.0.1, plus the
 * TLS rules for relays off loopback and the promise that delivery errors carry no personal data.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { ManualClock } from '../clock.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { newId } from '../ids.ts';
import { parseEml } from './eml.ts';
import { createMailer, MailDeliveryError, SmtpMailer, smtpTransportOptions } from './index.ts';

function tenantKeys(): TenantKeys {
  const data = randomBytes(32);
  return {
    tenantId: newId(),
    data: { current: { id: 1, key: data }, byId: (id) => (id === 1 ? data : undefined) },
    index: randomBytes(32),
    audit: randomBytes(32),
  };
}

interface Received {
  from: string;
  rcptTo: string[];
  user: string | undefined;
  raw: Buffer;
}

const REFUSED = 'weigeraar@klant.example';

describe('SmtpMailer against a real SMTP server on loopback', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  before(async () => {
    server = new SMTPServer({
      // Plain SMTP on loopback, as the mailer allows there; AUTH over it only for this test.
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, done) {
        if (auth.username === 'kluis' && auth.password === 'p@ss:w/rd') done(null, { user: auth.username });
        else done(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, done) {
        if (address.address === REFUSED)
          done(Object.assign(new Error(`<${REFUSED}> unknown user`), { responseCode: 550 }));
        else done();
      },
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            raw: Buffer.concat(chunks),
          });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('delivers recipients, subject, body and attachment, authenticated from SMTP_URL', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00Z');
    const mailer = createMailer(
      {
        smtpUrl: `smtp://kluis:${encodeURIComponent('p@ss:w/rd')}@127.0.0.1:${port}`,
        mailFrom: 'Kluis <facturen@kluis.example>',
      },
      undefined as never, // SMTP needs no blob store
      clock,
    );
    assert.ok(mailer instanceof SmtpMailer);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
    const sent = await mailer.send(tenantKeys(), {
      to: ['jan@klant.example', 'Boekhouding <boekhouding@klant.example>'],
      subject: 'Factuur 2026-0042 — €1.210,00',
      text: 'Beste Jan,\n\nIn de bijlage vindt u factuur 2026-0042.',
      html: '<p>Beste Jan,</p>',
      attachments: [{ filename: 'factuur-2026-0042.pdf', contentType: 'application/pdf', content: pdf }],
    });
    mailer.close();
    assert.equal(sent.transport, 'smtp');
    assert.match(sent.messageId, /^<[0-9a-f-]{36}@kluis\.example>$/);

    const got = received.at(-1)!;
    assert.equal(got.user, 'kluis');
    assert.equal(got.from, 'facturen@kluis.example');
    assert.deepEqual(got.rcptTo, ['jan@klant.example', 'boekhouding@klant.example']);
    const mail = parseEml(got.raw);
    assert.equal(mail.messageId, sent.messageId);
    assert.deepEqual(mail.to, ['jan@klant.example', 'boekhouding@klant.example']);
    assert.equal(mail.subject, 'Factuur 2026-0042 — €1.210,00');
    assert.equal(mail.text.replace(/\r\n/g, '\n'), 'Beste Jan,\n\nIn de bijlage vindt u factuur 2026-0042.');
    assert.equal(mail.html, '<p>Beste Jan,</p>');
    assert.equal(
      mail.date?.toISOString(),
      '2026-11-20T10:00:00.000Z',
      'the Date header comes from the clock',
    );
    assert.equal(mail.attachments.length, 1);
    assert.equal(mail.attachments[0]?.filename, 'factuur-2026-0042.pdf');
    assert.equal(mail.attachments[0]?.contentType, 'application/pdf');
    assert.deepEqual(mail.attachments[0]?.content, pdf);
  });

  test('a refused recipient becomes a MailDeliveryError without the address or reply text', async () => {
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'facturen@kluis.example');
    const err = await mailer.send(tenantKeys(), { to: [REFUSED], subject: 'Herinnering', text: 'x' }).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    mailer.close();
    assert.ok(err instanceof MailDeliveryError);
    assert.equal(err.responseCode, 550);
    const logged = JSON.stringify({ ...err, message: err.message, stack: err.stack });
    assert.ok(!logged.includes('weigeraar'), `no address in ${logged}`);
    assert.ok(!logged.includes('Herinnering'));
  });

  test('with the off-loopback options, a server without STARTTLS gets nothing', async () => {
    const before = received.length;
    // The options of a remote relay, pointed at the plain loopback server: requireTLS must refuse.
    const transport = createTransport({
      ...smtpTransportOptions(`smtp://relay.example.eu:${port}`),
      host: '127.0.0.1',
    });
    await assert.rejects(
      transport.sendMail({ from: 'a@kluis.example', to: 'b@klant.example', text: 'x' }),
      (e: Error & { code?: string }) => e.code === 'ETLS',
    );
    transport.close();
    assert.equal(received.length, before);
  });
});

describe('SMTP transport options', () => {
  test('smtp:// off loopback requires STARTTLS and verifies the certificate', () => {
    const o = smtpTransportOptions('smtp://user%40bedrijf.nl:geheim%2F1@smtp.relay.example.eu:587');
    assert.equal(o.host, 'smtp.relay.example.eu');
    assert.equal(o.port, 587);
    assert.equal(o.secure, false);
    assert.equal(o.requireTLS, true);
    assert.equal(o.ignoreTLS, undefined);
    assert.equal(o.tls?.rejectUnauthorized, true);
    assert.equal(o.tls?.minVersion, 'TLSv1.2');
    assert.deepEqual(o.auth, { user: 'user@bedrijf.nl', pass: 'geheim/1' });
    assert.equal(o.logger, false, "nodemailer's logger would print addresses");
  });

  test('smtps:// uses implicit TLS on 465 by default', () => {
    const o = smtpTransportOptions('smtps://smtp.relay.example.eu');
    assert.equal(o.secure, true);
    assert.equal(o.port, 465);
    assert.equal(o.tls?.rejectUnauthorized, true);
    assert.equal(o.auth, undefined);
  });

  test('loopback may use plain SMTP', () => {
    for (const url of ['smtp://127.0.0.1:2525', 'smtp://localhost:25', 'smtp://[::1]:25']) {
      const o = smtpTransportOptions(url);
      assert.equal(o.requireTLS, false, url);
      assert.equal(o.secure, false, url);
    }
  });
});
