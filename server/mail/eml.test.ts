/**
 * The outbox reader on hand-written edge cases that nodemailer's own output (covered by the
 * mailer tests) rarely produces: folded encoded words, soft line breaks, LF-only messages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWords, parseEml } from './eml.ts';

test('encoded words: Q and B, adjacent words joined, plain text kept', () => {
  assert.equal(decodeWords('=?UTF-8?Q?Factuur_=E2=82=AC?= =?UTF-8?B?IDEwMA==?= ok'), 'Factuur € 100 ok');
  assert.equal(decodeWords('=?ISO-8859-1?Q?Caf=E9?='), 'Café');
  assert.equal(decodeWords('Gewoon onderwerp'), 'Gewoon onderwerp');
});

test('folded headers, quoted-printable soft breaks, RFC 2231 filename, LF line ends', () => {
  const raw = Buffer.from(
    [
      'To: "De Vries, M." <m@example.nl>,',
      '  Groep: a@example.nl, b@example.nl;',
      'Subject: =?UTF-8?Q?Een_lang?=',
      ' =?UTF-8?Q?_onderwerp?=',
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      'preamble',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Regel met een zachte =',
      'afbreking en g=C3=A9=C3=A9n fout.',
      '--b1',
      "Content-Type: application/pdf; name*=utf-8''fact%E2%82%AC.pdf",
      'Content-Disposition: attachment;',
      " filename*0*=utf-8''fact%E2%82%AC;",
      ' filename*1=".pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjcK',
      '--b1--',
      'epilogue',
    ].join('\n'),
  );
  const mail = parseEml(raw);
  assert.deepEqual(mail.to, ['m@example.nl', 'a@example.nl', 'b@example.nl']);
  assert.equal(mail.subject, 'Een lang onderwerp');
  assert.equal(mail.date?.toISOString(), '2026-11-20T10:00:00.000Z');
  assert.equal(mail.text, 'Regel met een zachte afbreking en géén fout.');
  assert.equal(mail.attachments[0]?.filename, 'fact€.pdf');
  assert.equal(mail.attachments[0]?.content.toString(), '%PDF-1.7\n');
});
