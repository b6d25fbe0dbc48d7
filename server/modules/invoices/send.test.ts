/**
 * Sending an issued invoice over the API (issue 5 point 7): the request marks it sent and queues
 * its mail in one transaction; the `invoice.mail` job puts the mail — text in the customer's
 * language, the stored PDF and the UBL attached — into the outbox. Drafts, missing addresses,
 * viewers, narrow scopes and other businesses are refused.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { Ctx } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import { inTenant } from '../../db/transactions.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { parseEml } from '../../mail/eml.ts';
import { listOutbox, readOutbox } from '../../mail/outbox-mailer.ts';
import { SmtpMailer } from '../../mail/smtp-mailer.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import type { TestServices } from '../../test/harness.ts';
import { createApiClient } from '../clients/clients.service.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { pdfBlobKey } from './documents.service.ts';
import { SELLER } from './invoices.testing.ts';
import { deliverInvoiceMail, INVOICE_MAIL_JOB, registerInvoiceJobs } from './send.service.ts';
import { setInvoiceSettings } from './settings.service.ts';

let t: ApiTest;
let s: TestServices;
let a: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];
let keysA: TenantKeys;
let runner: JobRunner;

before(async () => {
  t = await openApiTest();
  ({ s, a, ownerA, ownerB, call } = t);
  await setInvoiceSettings(a, SELLER);
  await setInvoiceSettings(t.b, SELLER);
  keysA = await inTenant(s.db, a.tenantId, (tx) => s.keyring.forTenant(tx, a.tenantId));
  runner = registerInvoiceJobs(new JobRunner(s, { workerId: 'send-test' }));
});
after(() => t.close());

const COMPANY = {
  kind: 'company',
  name: 'Bakkerij De Korf B.V.',
  email: 'administratie@dekorf.example',
  address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
};

/** Creates a customer and an invoice for it; issues it unless `draft`. */
async function invoiceFor(
  token: string,
  customer: object,
  draft = false,
): Promise<{ id: string; number: string }> {
  const c = await call('POST', '/api/v1/customers', token, customer);
  assert.equal(c.statusCode, 201, c.body);
  const res = await call('POST', '/api/v1/invoices', token, {
    customerId: c.json().id,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    currency: 'EUR',
    lines: [
      { description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' },
      { description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' },
    ],
  });
  assert.equal(res.statusCode, 201, res.body);
  if (draft) return res.json();
  const issued = await call('POST', `/api/v1/invoices/${res.json().id}/issue`, token);
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json();
}

/** Runs the queued mail jobs, then returns the outbox mails that arrived meanwhile. */
async function deliver(): Promise<Awaited<ReturnType<typeof readOutbox>>[]> {
  const before = new Set((await listOutbox(s.blobs, keysA)).map((m) => m.id));
  await runner.runDueJobs();
  const now = await listOutbox(s.blobs, keysA);
  return Promise.all(now.filter((m) => !before.has(m.id)).map((m) => readOutbox(s.blobs, keysA, m.id)));
}

async function events(invoiceId: string): Promise<{ action: string; data: Record<string, unknown> }[]> {
  return s.db.asOwner(
    'SELECT action, data FROM audit_events WHERE tenant_id = $1 AND target_id = $2 ORDER BY seq',
    [a.tenantId, invoiceId],
  );
}

describe('POST /api/v1/invoices/{id}/send', () => {
  test('a Dutch customer gets a Dutch mail with the stored PDF and the NLCIUS UBL; the invoice is sent', async () => {
    const inv = await invoiceFor(ownerA, COMPANY);
    const res = await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA);
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().status, 'sent');
    assert.equal(res.json().sentAt, s.clock.now().toISOString());

    const mails = await deliver();
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.ok(mail);
    assert.deepEqual(mail.to, ['administratie@dekorf.example']);
    assert.equal(mail.subject, `Factuur ${inv.number} van Testbedrijf B.V.`);
    assert.match(mail.text, /Hierbij ontvangt u factuur/);
    assert.match(mail.text, /€ 257,15/);
    assert.match(mail.text, /NL91ABNA0417164300/);
    const pdf = mail.attachments.find((f) => f.contentType === 'application/pdf');
    const xml = mail.attachments.find((f) => f.contentType.startsWith('application/xml'));
    assert.ok(pdf && xml, 'both the PDF and the UBL are attached');
    assert.equal(pdf.filename, `${inv.number}.pdf`);
    assert.deepEqual(
      pdf.content,
      await s.blobs.get(keysA, pdfBlobKey(inv.id)),
      'the stored PDF, byte for byte',
    );
    assert.match(xml.content.toString('utf8'), /urn:fdc:nen\.nl:nlcius:v1\.0/);
    const raw = (await s.blobs.get(keysA, `outbox/${mail.id}.eml`)).toString('utf8');
    assert.match(raw, /^Reply-To: facturen@testbedrijf\.example\r$/m, "replies go to the seller's address");
    assert.match(xml.content.toString('utf8'), new RegExp(`<cbc:ID>${inv.number}</cbc:ID>`));

    const got = await call('GET', `/api/v1/invoices/${inv.id}`, ownerA);
    assert.equal(got.json().status, 'sent');
    const recorded = await events(inv.id);
    assert.deepEqual(
      recorded.map((e) => e.action),
      ['invoice.created', 'invoice.issued', 'invoice.sent', 'mail.sent', 'invoice.viewed'],
    );
    const sent = recorded.find((e) => e.action === 'invoice.sent');
    assert.equal(sent?.data.channel, 'mail');
    assert.equal(recorded.find((e) => e.action === 'mail.sent')?.data.ubl, 'nlcius');
    // No personal data in the events: no address, name or amount of the buyer.
    const data = JSON.stringify(recorded.map((e) => e.data));
    for (const secret of ['dekorf', 'Korf', '257']) assert.ok(!data.includes(secret), secret);
  });

  test('an English-speaking customer gets the mail in English', async () => {
    const inv = await invoiceFor(ownerA, {
      ...COMPANY,
      name: 'Canal Tours B.V.',
      email: 'ap@canaltours.example',
      language: 'en',
    });
    assert.equal((await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA)).statusCode, 202);
    const [mail] = await deliver();
    assert.ok(mail);
    assert.deepEqual(mail.to, ['ap@canaltours.example']);
    assert.equal(mail.subject, `Invoice ${inv.number} from Testbedrijf B.V.`);
    assert.match(mail.text, /Please find attached invoice/);
    assert.match(mail.text, /€257\.15/);
    assert.equal(mail.attachments.length, 2);
  });

  test('a consumer gets the PDF only: no UBL format can address a Dutch consumer', async () => {
    const inv = await invoiceFor(ownerA, {
      kind: 'person',
      name: 'J. de Boer',
      email: 'jdeboer@mail.example',
      address: { street: 'Lindelaan 4', postalCode: '9712 AA', city: 'Groningen', country: 'NL' },
    });
    assert.equal((await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA)).statusCode, 202);
    const [mail] = await deliver();
    assert.ok(mail);
    assert.deepEqual(
      mail.attachments.map((f) => f.contentType),
      ['application/pdf'],
    );
    assert.match(mail.text, /bijgevoegd als PDF\./);
  });

  test('a job that runs again does not send the mail twice', async () => {
    const inv = await invoiceFor(ownerA, COMPANY);
    assert.equal((await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA)).statusCode, 202);
    const [job] = await s.db.asOwner<{ id: string; payload: Record<string, string> }>(
      `SELECT id, payload FROM jobs WHERE kind = $1 AND payload->>'invoiceId' = $2`,
      [INVOICE_MAIL_JOB, inv.id],
    );
    assert.ok(job);
    assert.equal(Object.keys(job.payload).sort().join(','), 'invoiceId,mailId,tenantId', 'ids only');
    assert.equal((await deliver()).length, 1);
    const input = { payload: job.payload, jobId: job.id, attempt: 2, signal: new AbortController().signal };
    const before = (await listOutbox(s.blobs, keysA)).length;
    await deliverInvoiceMail(input, s);
    assert.equal((await listOutbox(s.blobs, keysA)).length, before);
  });

  test('an invoice already paid keeps its status but gets sentAt', async () => {
    const inv = await invoiceFor(ownerA, COMPANY);
    await s.db.asOwner(
      "UPDATE invoices SET status = 'paid', paid_minor = 25715 WHERE tenant_id = $1 AND id = $2",
      [a.tenantId, inv.id],
    );
    const res = await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA);
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().status, 'paid');
    assert.ok(res.json().sentAt);
    await deliver();
  });

  test('a draft is 409, a buyer without e-mail 422, and nothing is marked or queued', async () => {
    const draft = await invoiceFor(ownerA, COMPANY, true);
    const res = await call('POST', `/api/v1/invoices/${draft.id}/send`, ownerA);
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'invoice_not_issued');
    const marked = await call('POST', `/api/v1/invoices/${draft.id}/mark-sent`, ownerA);
    assert.equal(marked.statusCode, 409);
    assert.equal(marked.json().error.code, 'invoice_not_issued');

    const { email: _none, ...withoutEmail } = COMPANY;
    const inv = await invoiceFor(ownerA, withoutEmail);
    const noMail = await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA);
    assert.equal(noMail.statusCode, 422, noMail.body);
    assert.equal(noMail.json().error.code, 'invoice_recipient_missing');
    assert.equal((await call('GET', `/api/v1/invoices/${inv.id}`, ownerA)).json().status, 'issued');
    assert.deepEqual(
      await s.db.asOwner(`SELECT id FROM jobs WHERE payload->>'invoiceId' = $1`, [inv.id]),
      [],
    );
  });

  test('viewers and clients without invoices:write get 403', async () => {
    const inv = await invoiceFor(ownerA, COMPANY);
    const viewer = await t.tokenFor(a, 'viewer');
    const { clientId } = await createApiClient(a, { name: 'Lezer', scopes: ['invoices:read'] });
    const reader = await mintAccessToken(s, {
      sub: clientId,
      client_id: clientId,
      kluis_tenant: a.tenantId,
      scope: 'invoices:read',
    });
    for (const token of [viewer, reader]) {
      for (const route of ['send', 'mark-sent']) {
        const res = await call('POST', `/api/v1/invoices/${inv.id}/${route}`, token);
        assert.equal(res.statusCode, 403, `${route}: ${res.body}`);
        assert.equal(res.json().error.code, 'insufficient_permission');
      }
    }
    assert.equal((await call('GET', `/api/v1/invoices/${inv.id}`, reader)).json().status, 'issued');
  });

  test("another business's invoice answers exactly like a missing one", async () => {
    const theirs = await invoiceFor(ownerB, COMPANY);
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const route of ['send', 'mark-sent']) {
      const foreign = await call('POST', `/api/v1/invoices/${theirs.id}/${route}`, ownerA);
      const none = await call('POST', `/api/v1/invoices/${missing}/${route}`, ownerA);
      assert.equal(foreign.statusCode, 404, route);
      assert.deepEqual(foreign.json(), {
        ...none.json(),
        error: { ...none.json().error, requestId: foreign.json().error.requestId },
      });
    }
    assert.equal((await call('GET', `/api/v1/invoices/${theirs.id}`, ownerB)).json().status, 'issued');
  });
});

describe('POST /api/v1/invoices/{id}/mark-sent', () => {
  test('marks an invoice sent outside Kluis: no mail, audited with channel manual', async () => {
    const inv = await invoiceFor(ownerA, COMPANY);
    const res = await call('POST', `/api/v1/invoices/${inv.id}/mark-sent`, ownerA);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'sent');
    assert.ok(res.json().sentAt);
    assert.equal((await deliver()).length, 0);
    const sent = (await events(inv.id)).filter((e) => e.action === 'invoice.sent');
    assert.deepEqual(
      sent.map((e) => e.data.channel),
      ['manual'],
    );
  });
});

describe('through SMTP when configured', () => {
  test('the job hands the mail with both attachments to the relay; a refusal is retried, not lost', async () => {
    const received: Buffer[] = [];
    let refuse = true;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onRcptTo(_address, _session, done) {
        if (refuse) done(Object.assign(new Error('try later'), { responseCode: 451 }));
        else done();
      },
      onData(stream, _session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Kluis <no-reply@kluis.test>', s.clock);
    const smtp = registerInvoiceJobs(
      new JobRunner({ ...s, mailer }, { workerId: 'send-smtp', random: () => 0 }),
    );
    try {
      const inv = await invoiceFor(ownerA, COMPANY);
      assert.equal((await call('POST', `/api/v1/invoices/${inv.id}/send`, ownerA)).statusCode, 202);
      assert.equal(await smtp.runDueJobs(), 1);
      assert.equal(received.length, 0, 'the relay refused it');
      const [job] = await s.db.asOwner<{ status: string; last_error: string }>(
        `SELECT status, last_error FROM jobs WHERE kind = $1 AND payload->>'invoiceId' = $2`,
        [INVOICE_MAIL_JOB, inv.id],
      );
      assert.equal(job?.status, 'queued', 'queued again with backoff');
      refuse = false;
      s.clock.advance(60_000);
      assert.equal(await smtp.runDueJobs(), 1);
      assert.equal(received.length, 1);
      const mail = parseEml(received[0] as Buffer);
      assert.deepEqual(mail.to, ['administratie@dekorf.example']);
      assert.deepEqual(mail.attachments.map((f) => f.contentType).sort(), [
        'application/pdf',
        'application/xml',
      ]);
      const pdf = mail.attachments.find((f) => f.contentType === 'application/pdf');
      assert.deepEqual(pdf?.content, await s.blobs.get(keysA, pdfBlobKey(inv.id)));
      const delivered = (await events(inv.id)).filter((e) => e.action === 'mail.sent');
      assert.deepEqual(
        delivered.map((e) => e.data.transport),
        ['smtp'],
      );
    } finally {
      mailer.close();
      await smtp.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
