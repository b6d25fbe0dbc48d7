/**
 * Privacy center point 2: acceptance of the agreement. Signing up records who accepted which
 * version, when and from where; a newer version in force makes `mustAccept` true until an owner or
 * admin accepts exactly that version (audited); the business's PDF copy carries its details and the
 * acceptance record; a new version is announced by mail to every business's data-protection contact.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SYSTEM } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { listOutbox } from '../../mail/outbox-mailer.ts';
import type { ApiTest } from '../../test/api.ts';
import { signUp } from '../identity/accounts.service.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { auditActions, prepareBusiness } from '../invoices/invoices.testing.ts';
import { createTenant } from '../tenants/tenants.service.ts';
import { agreementCopyLines, announceAgreementVersion, getAgreement } from './agreement.service.ts';
import { CURRENT_AGREEMENT } from './documents.ts';
import { OPERATOR_SETTINGS, openLegalTest } from './legal.testing.ts';

const NEXT = { version: '2.0', date: '2027-01-01' };
const SETTINGS = { ...OPERATOR_SETTINGS, agreement: NEXT };
let t: ApiTest;
before(async () => {
  t = await openLegalTest(SETTINGS);
});
after(() => t.close());

async function signedUp() {
  const rt = createIdentityRuntime(t.s);
  const email = `owner-${Math.random().toString(36).slice(2)}@example.test`;
  const { userId, tenantId } = await signUp(
    rt,
    { email, password: 'een lange zin van woorden', businessName: 'Bakkerij De Korf', locale: 'nl' },
    { ip: '198.51.100.4', requestId: 'req-signup' },
  );
  return { userId, tenantId, token: await mintAccessToken(t.s, { sub: userId, kluis_tenant: tenantId }) };
}

test('signing up records who accepted which version, when and from where', async () => {
  const { userId, tenantId } = await signedUp();
  const ctx = { ...t.a, tenantId, actor: { type: 'user' as const, id: userId } };
  const view = await getAgreement(ctx, CURRENT_AGREEMENT);
  assert.equal(view.mustAccept, false);
  assert.equal(view.accepted?.version, CURRENT_AGREEMENT.version);
  assert.equal(view.accepted?.acceptedAt.toISOString(), t.s.clock.now().toISOString());
  assert.deepEqual(view.accepted?.actor, { type: 'user', id: userId });
  assert.equal(view.accepted?.ip, '198.51.100.4');
  const actions = await auditActions(ctx, view.accepted?.id ?? '');
  assert.deepEqual(actions, ['agreement.accepted']);
});

test('a new version must be accepted: mustAccept until an owner accepts exactly that version', async () => {
  const { tenantId, token } = await signedUp();
  const before = await t.call('GET', '/api/v1/agreement', token);
  assert.equal(before.statusCode, 200);
  assert.equal(before.json().mustAccept, true);
  assert.deepEqual(before.json().current, NEXT);
  assert.equal(before.json().accepted.version, CURRENT_AGREEMENT.version);

  const old = await t.call('POST', '/api/v1/agreement/accept', token, { version: CURRENT_AGREEMENT.version });
  assert.equal(old.statusCode, 409);
  assert.equal(old.json().error.code, 'agreement_version_not_current');

  const ctx = { ...t.a, tenantId };
  const viewer = await t.tokenFor(ctx, 'viewer');
  assert.equal(
    (await t.call('GET', '/api/v1/agreement', viewer)).json().mustAccept,
    true,
    'any member sees the flag',
  );
  assert.equal(
    (await t.call('POST', '/api/v1/agreement/accept', viewer, { version: '2.0' })).statusCode,
    403,
  );

  const ok = await t.call('POST', '/api/v1/agreement/accept', token, { version: '2.0' });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().mustAccept, false);
  assert.equal(ok.json().accepted.version, '2.0');
  assert.equal(ok.json().accepted.ip, '127.0.0.1');
  const again = await t.call('POST', '/api/v1/agreement/accept', token, { version: '2.0' });
  assert.equal(
    again.json().accepted.acceptedAt,
    ok.json().accepted.acceptedAt,
    'accepting twice changes nothing',
  );
  assert.equal((await t.call('GET', '/api/v1/agreement', token)).json().mustAccept, false);

  // Another business's acceptance is its own: B (made without sign-up) has none.
  const b = (await t.call('GET', '/api/v1/agreement', t.ownerB)).json();
  assert.equal(b.accepted, null);
  assert.equal(b.mustAccept, true);
});

test("the business's PDF copy has its details and the acceptance record", async () => {
  const { userId, tenantId, token } = await signedUp();
  const ctx = { ...t.a, tenantId, actor: { type: 'user' as const, id: userId } };
  await prepareBusiness(ctx);
  const res = await t.call('GET', '/api/v1/agreement.pdf', token);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');

  const view = await getAgreement(ctx, CURRENT_AGREEMENT);
  const party = {
    name: 'Testbedrijf B.V.',
    seat: 'Amsterdam',
    address: 'Keizersgracht 1, 1015 CJ Amsterdam',
    kvkNumber: '12345678',
    representative: null,
  };
  const text = agreementCopyLines(SETTINGS, CURRENT_AGREEMENT, party, view.accepted)
    .map((l) => l.text)
    .join('\n');
  assert.match(
    text,
    /Verwerkingsverantwoordelijke: Testbedrijf B\.V\., statutair gevestigd te Amsterdam, kantoorhoudende op Keizersgracht 1, 1015 CJ Amsterdam, KvK-nummer 12345678/,
  );
  assert.match(text, /Verwerker: Kluisbeheer Noord B\.V\./);
  assert.match(text, /Versie: 1\.0/);
  assert.match(text, /Vanaf IP-adres: 198\.51\.100\.4/);
  assert.match(text, new RegExp(`Door: user ${userId}`));
});

test('a new version is announced by mail to every business’s data-protection contact', async () => {
  const { id: silent } = await createTenant(t.s, SYSTEM, { name: 'Zonder contact' });
  const result = await announceAgreementVersion(t.s, SETTINGS, NEXT);
  assert.ok(result.mailed >= 2, 'A and B have a contact');
  assert.ok(result.withoutContact >= 1, 'a business without a contact is counted, not mailed');
  const keys = await inTenant(t.s.db, t.a.tenantId, (tx) => t.s.keyring.forTenant(tx, t.a.tenantId));
  const mails = await listOutbox(t.s.blobs, keys);
  const mail = mails.find((m) => m.subject.includes('Nieuwe versie van de verwerkersovereenkomst (2.0)'));
  assert.ok(mail, 'the announcement is in A’s outbox');
  const silentKeys = await inTenant(t.s.db, silent, (tx) => t.s.keyring.forTenant(tx, silent));
  assert.equal((await listOutbox(t.s.blobs, silentKeys)).length, 0);
});
