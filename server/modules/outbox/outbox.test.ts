/**
 * The business's outbox in the app (issue 7 point 9), through the real app: owners and admins list
 * and open the mails kept instead of sent, every read audited; other roles are refused, another
 * business's mail is not found, and with SMTP there is no outbox.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { SmtpMailer } from '../../mail/smtp-mailer.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';

let t: ApiTest;
before(async () => {
  t = await openApiTest();
});
after(async () => {
  await t.close();
});

async function mailFor(ctx: Ctx, subject: string): Promise<string> {
  t.s.clock.advance(1000); // ids are time-ordered: one mail per second keeps the order testable
  const keys = await inTenant(t.s.db, ctx.tenantId, (tx) => t.s.keyring.forTenant(tx, ctx.tenantId));
  const sent = await t.s.mailer.send(keys, {
    to: ['klant@voorbeeld.nl'],
    subject,
    text: 'Hierbij de factuur.\nMet vriendelijke groet',
    attachments: [{ filename: 'factuur.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-') }],
  });
  return sent.id;
}

const audited = async (tenantId: string, action: string) =>
  (
    await t.s.db.asOwner<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = $2',
      [tenantId, action],
    )
  )[0]?.n ?? 0;

test('an owner lists the outbox newest first and opens a mail; both reads are audited', async () => {
  const first = await mailFor(t.a, 'Factuur 2026-0001');
  const second = await mailFor(t.a, 'Factuur 2026-0002');
  const list = await t.call('GET', '/api/v1/outbox', t.ownerA);
  assert.equal(list.statusCode, 200, list.body);
  const { items } = list.json() as { items: { id: string; subject: string; to: string[]; date: string }[] };
  assert.deepEqual(
    items.map((i) => i.id),
    [second, first],
  );
  assert.equal(items[0]?.subject, 'Factuur 2026-0002');
  assert.deepEqual(items[0]?.to, ['klant@voorbeeld.nl']);
  assert.ok(!Number.isNaN(Date.parse(items[0]?.date ?? '')));

  const one = await t.call('GET', `/api/v1/outbox/${first}`, t.ownerA);
  assert.equal(one.statusCode, 200, one.body);
  const mail = one.json();
  assert.equal(mail.subject, 'Factuur 2026-0001');
  assert.match(mail.text, /Hierbij de factuur/);
  assert.deepEqual(mail.attachments, [{ filename: 'factuur.pdf', contentType: 'application/pdf', size: 5 }]);
  assert.equal(await audited(t.a.tenantId, 'mail.listed'), 1);
  assert.equal(await audited(t.a.tenantId, 'mail.viewed'), 1);
});

test('an admin may read it; a bookkeeper and a viewer may not', async () => {
  const id = await mailFor(t.a, 'Herinnering');
  assert.equal((await t.call('GET', `/api/v1/outbox/${id}`, await t.tokenFor(t.a, 'admin'))).statusCode, 200);
  for (const role of ['bookkeeper', 'viewer'] as const) {
    const token = await t.tokenFor(t.a, role);
    const res = await t.call('GET', '/api/v1/outbox', token);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'insufficient_permission');
    assert.equal((await t.call('GET', `/api/v1/outbox/${id}`, token)).statusCode, 403);
  }
});

test("another business's mail is not found, and not in its list", async () => {
  const id = await mailFor(t.a, 'Alleen voor A');
  const res = await t.call('GET', `/api/v1/outbox/${id}`, t.ownerB);
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'mail_not_found');
  const list = await t.call('GET', '/api/v1/outbox', t.ownerB);
  assert.ok(!(list.json() as { items: { id: string }[] }).items.some((i) => i.id === id));
  const junk = await t.call('GET', '/api/v1/outbox/niet-een-id', t.ownerA);
  assert.equal(junk.statusCode, 404);
});

test('with SMTP there is no outbox: 404 outbox_disabled', async () => {
  const services = t.s as { mailer: Mailer };
  const outbox = services.mailer;
  services.mailer = new SmtpMailer('smtp://127.0.0.1:2525', 'Kluis <no-reply@kluis.test>');
  try {
    const res = await t.call('GET', '/api/v1/outbox', t.ownerA);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'outbox_disabled');
  } finally {
    services.mailer = outbox;
  }
});
