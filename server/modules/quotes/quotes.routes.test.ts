/**
 * The quotes API (Invoicing core point 12): draft → sent → accepted, declined or expired. Totals by
 * the invoices' EN 16931 rules, numbers per business and year when sent, expiry on the injected
 * clock, accepting that makes a draft invoice in the same transaction, refusals with stable codes,
 * roles and scopes, and another business's quote answering exactly like a missing one.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DAY } from '../../clock.ts';
import type { Ctx } from '../../context.ts';
import { type ApiTest, openApiTest } from '../../test/api.ts';
import { makeTenant } from '../../test/harness.ts';
import { createApiClient } from '../clients/index.ts';
import { mintAccessToken } from '../identity/testing.ts';
import { auditActions, prepareBusiness, workedExample } from '../invoices/invoices.testing.ts';

const START = '2026-11-20T10:00:00Z';

let t: ApiTest;
let a: Ctx;
let ownerA: string;
let ownerB: string;
let call: ApiTest['call'];
let customerA: string;
let customerB: string;

before(async () => {
  t = await openApiTest();
  ({ a, ownerA, ownerB, call } = t);
  customerA = await prepareBusiness(a);
  customerB = await prepareBusiness(t.b);
});
afterEach(() => t.s.clock.set(START));
after(() => t.close());

/** The issue's worked example as a quote: 215.00 net, 42.15 VAT, 257.15 gross. */
function quoteBody(customerId: string, extra: Record<string, unknown> = {}) {
  const { customerId: _c, issueDate: _i, dueDate: _d, ...rest } = workedExample(customerId);
  return { customerId, ...rest, notes: 'Prijs voor mevrouw J. de Vries', ...extra };
}

async function sentQuote(token: string, customerId: string, extra: Record<string, unknown> = {}) {
  const q = (await call('POST', '/api/v1/quotes', token, quoteBody(customerId, extra))).json();
  const sent = await call('POST', `/api/v1/quotes/${q.id}/send`, token);
  assert.equal(sent.statusCode, 200, sent.body);
  return sent.json();
}

const codeOf = (res: { json(): { error: { code: string } } }) => res.json().error.code;

describe('quotes API', () => {
  test('draft → sent → accepted: totals as invoices, a number when sent, a draft invoice in one call', async () => {
    const created = await call('POST', '/api/v1/quotes', ownerA, quoteBody(customerA));
    assert.equal(created.statusCode, 201, created.body);
    const q = created.json();
    assert.equal(q.status, 'draft');
    assert.equal(q.number, null);
    assert.deepEqual(
      [q.totals.net, q.totals.vat, q.totals.gross],
      ['215.00', '42.15', '257.15'],
      'the EN 16931 totals of the worked example',
    );
    assert.equal(q.lines[1].netAmount, '190.00');
    const patched = await call('PATCH', `/api/v1/quotes/${q.id}`, ownerA, {
      validUntil: '2026-12-31',
      version: 1,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().validUntil, '2026-12-31');
    assert.equal(patched.json().lines.length, 2, 'untouched lines stay');

    const sent = await call('POST', `/api/v1/quotes/${q.id}/send`, ownerA);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().status, 'sent');
    assert.match(sent.json().number, /^OFF-2026-\d{4}$/);
    assert.equal(sent.json().quoteDate, '2026-11-20', 'dated today when sent without a date');
    assert.ok(sent.json().sentAt);

    const accepted = await call('POST', `/api/v1/quotes/${q.id}/accept`, ownerA);
    assert.equal(accepted.statusCode, 200, accepted.body);
    const { quote, invoiceId } = accepted.json();
    assert.equal(quote.status, 'accepted');
    assert.equal(quote.invoiceId, invoiceId);
    const invoice = (await call('GET', `/api/v1/invoices/${invoiceId}`, ownerA)).json();
    assert.equal(invoice.status, 'draft');
    assert.equal(invoice.customerId, customerA);
    assert.equal(invoice.notes, 'Prijs voor mevrouw J. de Vries');
    assert.deepEqual(invoice.totals.gross, '257.15');
    assert.deepEqual(
      invoice.lines.map((l: Record<string, string>) => [l.description, l.quantity, l.unitPrice, l.vatRate]),
      quote.lines.map((l: Record<string, string>) => [l.description, l.quantity, l.unitPrice, l.vatRate]),
    );
    const again = await call('POST', `/api/v1/quotes/${q.id}/accept`, ownerA);
    assert.equal(again.statusCode, 409);
    assert.equal(codeOf(again), 'quote_already_accepted');
    assert.deepEqual(await auditActions(a, q.id), [
      'quote.created',
      'quote.updated',
      'quote.sent',
      'quote.accepted',
    ]);
    assert.deepEqual(await auditActions(a, invoiceId), ['invoice.created', 'invoice.viewed']);
    const issued = await call('POST', `/api/v1/invoices/${invoiceId}/issue`, ownerA);
    assert.equal(issued.statusCode, 200, 'the invoice from a quote issues like any draft');
  });

  test('numbers count per business and per year of the quote date, without gaps', async () => {
    const owner = await t.tokenFor(await makeTenant(t.s, 'Nummers'), 'owner');
    const tenant = (await call('GET', '/api/v1/me', owner)).json().business.id as string;
    const customer = await prepareBusiness({ ...a, tenantId: tenant });
    const numbers = [];
    for (const quoteDate of ['2026-11-01', '2026-11-20', '2027-01-04', '2026-11-19']) {
      numbers.push(
        (await sentQuote(owner, customer, { quoteDate, validUntil: '2027-02-01' })).number as string,
      );
    }
    assert.deepEqual(numbers, ['OFF-2026-0001', 'OFF-2026-0002', 'OFF-2027-0001', 'OFF-2026-0003']);
    const draft = (await call('POST', '/api/v1/quotes', owner, quoteBody(customer))).json();
    await call('DELETE', `/api/v1/quotes/${draft.id}`, owner);
    assert.equal((await sentQuote(owner, customer)).number, 'OFF-2026-0004', 'a deleted draft used none');
  });

  test('20 quotes sent at once get 20 consecutive numbers', async () => {
    const owner = await t.tokenFor(await makeTenant(t.s, 'Tegelijk'), 'owner');
    const tenant = (await call('GET', '/api/v1/me', owner)).json().business.id as string;
    const customer = await prepareBusiness({ ...a, tenantId: tenant });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push((await call('POST', '/api/v1/quotes', owner, quoteBody(customer))).json().id);
    }
    const sent = await Promise.all(ids.map((id) => call('POST', `/api/v1/quotes/${id}/send`, owner)));
    assert.deepEqual(
      sent.map((r) => r.statusCode),
      ids.map(() => 200),
    );
    const numbers = sent.map((r) => r.json().number as string).sort();
    assert.deepEqual(
      numbers,
      ids.map((_, i) => `OFF-2026-${String(i + 1).padStart(4, '0')}`),
    );
  });

  test('invalid input gets a stable code per field, and nothing is stored', async () => {
    const before = (await call('GET', '/api/v1/quotes?limit=200', ownerA)).json().items.length;
    const res = await call('POST', '/api/v1/quotes', ownerA, {
      customerId: customerA,
      quoteDate: '2026-11-20',
      validUntil: '2026-11-19',
      lines: [
        { description: 'A', quantity: '1.23456', unitPrice: '1', vatCategory: 'S', vatRate: '21' },
        { description: 'B', quantity: '1', unitPrice: '1', vatCategory: 'S', vatRate: '210' },
      ],
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(codeOf(res), 'validation_failed');
    assert.deepEqual(
      Object.fromEntries(
        res.json().error.issues.map((i: { path: string; code: string }) => [i.path, i.code]),
      ),
      {
        validUntil: 'valid_until_before_quote_date',
        'lines.0.quantity': 'decimal_too_many_decimals',
        'lines.1.vatRate': 'vat_rate_format',
      },
    );
    const cases: [Record<string, unknown>, string, string][] = [
      [{ customerId: customerB }, 'customerId', 'customer_not_found'],
      [{ customerId: 'nope' }, 'customerId', 'customer_id_format'],
      [{ currency: 'XXY' }, 'currency', 'currency_unknown'],
      [{ lines: [] }, 'lines', 'lines_required'],
      [{ validUntil: '2026-02-30' }, 'validUntil', 'date_invalid'],
    ];
    for (const [change, path, code] of cases) {
      const bad = await call('POST', '/api/v1/quotes', ownerA, quoteBody(customerA, change));
      assert.equal(bad.statusCode, 400, JSON.stringify(change));
      const issues = bad.json().error.issues.map((i: { path: string; code: string }) => [i.path, i.code]);
      assert.deepEqual(issues, [[path, code]], JSON.stringify(change));
    }
    const unknown = await call('POST', '/api/v1/quotes', ownerA, quoteBody(customerA, { colour: 'red' }));
    assert.equal(unknown.statusCode, 400, 'unknown fields are refused, not ignored');
    assert.equal((await call('GET', '/api/v1/quotes?limit=200', ownerA)).json().items.length, before);
  });

  test('the state machine refuses with 409 and a stable code', async () => {
    const draft = (await call('POST', '/api/v1/quotes', ownerA, quoteBody(customerA))).json();
    for (const action of ['accept', 'decline']) {
      const res = await call('POST', `/api/v1/quotes/${draft.id}/${action}`, ownerA);
      assert.equal(res.statusCode, 409, action);
      assert.equal(codeOf(res), 'quote_not_sent');
    }
    const sent = await sentQuote(ownerA, customerA);
    for (const [method, suffix, payload] of [
      ['PATCH', '', { notes: 'later' }],
      ['DELETE', '', undefined],
      ['POST', '/send', undefined],
    ] as const) {
      const res = await call(method, `/api/v1/quotes/${sent.id}${suffix}`, ownerA, payload);
      assert.equal(res.statusCode, 409, `${method} ${suffix}`);
      assert.equal(codeOf(res), 'quote_not_draft');
    }
    const declined = await call('POST', `/api/v1/quotes/${sent.id}/decline`, ownerA);
    assert.equal(declined.statusCode, 200, declined.body);
    assert.equal(declined.json().status, 'declined');
    assert.ok(declined.json().declinedAt);
    for (const action of ['accept', 'decline']) {
      const res = await call('POST', `/api/v1/quotes/${sent.id}/${action}`, ownerA);
      assert.equal(res.statusCode, 409);
      assert.equal(codeOf(res), 'quote_already_declined');
    }
    const stale = await call('PATCH', `/api/v1/quotes/${draft.id}`, ownerA, { notes: 'x', version: 7 });
    assert.equal(stale.statusCode, 409);
    assert.equal(codeOf(stale), 'quote_changed');
    assert.equal((await call('DELETE', `/api/v1/quotes/${draft.id}`, ownerA)).statusCode, 204);
    assert.equal((await call('GET', `/api/v1/quotes/${draft.id}`, ownerA)).statusCode, 404);
    assert.deepEqual(await auditActions(a, draft.id), ['quote.created', 'quote.deleted']);
    assert.deepEqual(await auditActions(a, sent.id), ['quote.created', 'quote.sent', 'quote.declined']);
  });

  test('a quote expires after its last valid day on the clock: 409 quote_expired, and no invoice', async () => {
    const q = await sentQuote(ownerA, customerA, { validUntil: '2026-11-25' });
    const clock = t.s.clock;
    // 23:30 in Amsterdam on the last valid day: still valid.
    clock.set('2026-11-25T22:30:00Z');
    let owner = await t.tokenFor(a, 'owner');
    assert.equal((await call('GET', `/api/v1/quotes/${q.id}`, owner)).json().status, 'sent');
    // Half past midnight in Amsterdam the next day: expired, though nothing was written.
    clock.set('2026-11-25T23:30:00Z');
    owner = await t.tokenFor(a, 'owner');
    assert.equal((await call('GET', `/api/v1/quotes/${q.id}`, owner)).json().status, 'expired');
    const ids = async (status: string) =>
      (await call('GET', `/api/v1/quotes?status=${status}&customerId=${customerA}&limit=200`, owner))
        .json()
        .items.map((x: { id: string }) => x.id);
    assert.ok((await ids('expired')).includes(q.id));
    assert.ok(!(await ids('sent')).includes(q.id));
    const invoicesBefore = (
      await call('GET', `/api/v1/invoices?customerId=${customerA}&limit=200`, owner)
    ).json().items.length;
    for (const action of ['accept', 'decline']) {
      const res = await call('POST', `/api/v1/quotes/${q.id}/${action}`, owner);
      assert.equal(res.statusCode, 409, action);
      assert.equal(codeOf(res), 'quote_expired');
    }
    const invoicesAfter = (
      await call('GET', `/api/v1/invoices?customerId=${customerA}&limit=200`, owner)
    ).json().items.length;
    assert.equal(invoicesAfter, invoicesBefore, 'no invoice from an expired quote');
    const late = (
      await call('POST', '/api/v1/quotes', owner, quoteBody(customerA, { validUntil: '2026-11-25' }))
    ).json();
    const refused = await call('POST', `/api/v1/quotes/${late.id}/send`, owner);
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.issues[0].code, 'valid_until_past');
    clock.advance(-10 * DAY);
    owner = await t.tokenFor(a, 'owner');
    assert.equal((await call('GET', `/api/v1/quotes/${q.id}`, owner)).json().status, 'sent', 'time decides');
  });

  test('lists filter by status and customer and page with a cursor', async () => {
    const owner = await t.tokenFor(await makeTenant(t.s, 'Lijst'), 'owner');
    const tenant = (await call('GET', '/api/v1/me', owner)).json().business.id as string;
    const ctx = { ...a, tenantId: tenant };
    const one = await prepareBusiness(ctx);
    const two = await prepareBusiness(ctx);
    const drafts = [];
    for (const c of [one, one, two]) {
      drafts.push((await call('POST', '/api/v1/quotes', owner, quoteBody(c))).json().id);
    }
    const sent = await sentQuote(owner, two);
    const list = async (query: string) =>
      (await call('GET', `/api/v1/quotes?${query}`, owner)).json().items.map((x: { id: string }) => x.id);
    assert.deepEqual((await list('status=draft')).sort(), [...drafts].sort());
    assert.deepEqual(await list('status=sent'), [sent.id]);
    assert.deepEqual((await list(`customerId=${two}`)).sort(), [drafts[2], sent.id].sort());
    assert.deepEqual(await list(`customerId=${two}&status=draft`), [drafts[2]]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await call('GET', `/api/v1/quotes?limit=3${cursor ? `&cursor=${cursor}` : ''}`, owner)
      ).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), [...drafts, sent.id].sort());
    const bad = await call('GET', '/api/v1/quotes?status=lost', owner);
    assert.equal(bad.statusCode, 400);
    const badCursor = await call('GET', '/api/v1/quotes?cursor=x', owner);
    assert.equal(badCursor.json().error.issues[0].code, 'cursor_invalid');
  });

  test("another business's quote answers exactly like a missing one, on every route", async () => {
    const theirs = await sentQuote(ownerB, customerB);
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { notes: 'van A' }],
      ['DELETE', '', undefined],
      ['POST', '/send', undefined],
      ['POST', '/accept', undefined],
      ['POST', '/decline', undefined],
    ] as const) {
      const foreign = await call(method, `/api/v1/quotes/${theirs.id}${suffix}`, ownerA, payload);
      const none = await call(method, `/api/v1/quotes/${missing}${suffix}`, ownerA, payload);
      assert.equal(foreign.statusCode, 404, `${method} ${suffix}`);
      const { requestId: _f, ...f } = foreign.json().error;
      const { requestId: _n, ...n } = none.json().error;
      assert.deepEqual(f, n, `${method} ${suffix}`);
      assert.equal(f.code, 'quote_not_found');
    }
    const listed = (await call('GET', `/api/v1/quotes?customerId=${customerB}`, ownerA)).json();
    assert.deepEqual(listed.items, []);
    const still = (await call('GET', `/api/v1/quotes/${theirs.id}`, ownerB)).json();
    assert.equal(still.status, 'sent', "B's quote is untouched");
    const intoB = await call('PATCH', `/api/v1/quotes/${theirs.id}`, ownerA, { customerId: customerA });
    assert.equal(intoB.statusCode, 404);
  });

  test('a viewer reads but cannot write; API clients need quotes scopes, and invoices:write to accept', async () => {
    const q = await sentQuote(ownerA, customerA);
    const viewer = await t.tokenFor(a, 'viewer');
    assert.equal((await call('GET', `/api/v1/quotes/${q.id}`, viewer)).statusCode, 200);
    assert.equal((await call('GET', '/api/v1/quotes', viewer)).statusCode, 200);
    for (const [method, suffix, payload] of [
      ['POST', '', quoteBody(customerA)],
      ['PATCH', `/${q.id}`, { notes: 'x' }],
      ['DELETE', `/${q.id}`, undefined],
      ['POST', `/${q.id}/send`, undefined],
      ['POST', `/${q.id}/accept`, undefined],
      ['POST', `/${q.id}/decline`, undefined],
    ] as const) {
      const denied = await call(method, `/api/v1/quotes${suffix}`, viewer, payload);
      assert.equal(denied.statusCode, 403, `${method} ${suffix}`);
      assert.equal(codeOf(denied), 'insufficient_permission');
    }
    const client = async (scopes: string[]) => {
      const { clientId } = await createApiClient(a, { name: scopes.join(' '), scopes });
      return mintAccessToken(t.s, {
        sub: clientId,
        client_id: clientId,
        kluis_tenant: a.tenantId,
        scope: scopes.join(' '),
      });
    };
    const reader = await client(['quotes:read']);
    assert.equal((await call('GET', `/api/v1/quotes/${q.id}`, reader)).statusCode, 200);
    assert.equal((await call('POST', '/api/v1/quotes', reader, quoteBody(customerA))).statusCode, 403);
    const writer = await client(['quotes:read', 'quotes:write']);
    assert.equal((await call('POST', '/api/v1/quotes', writer, quoteBody(customerA))).statusCode, 201);
    const noInvoices = await call('POST', `/api/v1/quotes/${q.id}/accept`, writer);
    assert.equal(noInvoices.statusCode, 403, 'accepting creates an invoice');
    assert.equal((await call('GET', `/api/v1/quotes/${q.id}`, writer)).json().status, 'sent');
    const both = await client(['quotes:write', 'invoices:write']);
    const ok = await call('POST', `/api/v1/quotes/${q.id}/accept`, both);
    assert.equal(ok.statusCode, 200, ok.body);
    const invoicesOnly = await client(['invoices:read', 'invoices:write']);
    assert.equal((await call('GET', '/api/v1/quotes', invoicesOnly)).statusCode, 403);
  });

  test('two accepts at once make one invoice; notes and line texts are stored encrypted', async () => {
    const q = await sentQuote(ownerA, customerA, { notes: 'Zeldzame notitie Pietersen' });
    const results = await Promise.all([
      call('POST', `/api/v1/quotes/${q.id}/accept`, ownerA),
      call('POST', `/api/v1/quotes/${q.id}/accept`, ownerA),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
    assert.deepEqual(
      (await auditActions(a, q.id)).filter((x) => x === 'quote.accepted'),
      ['quote.accepted'],
    );
    const raw = await t.s.db.asOwner<{ hit: boolean }>(
      `SELECT (position(convert_to('Pietersen', 'UTF8') in q.notes_enc) > 0
               OR EXISTS (SELECT 1 FROM quote_lines l WHERE l.quote_id = q.id
                          AND position(convert_to('Broodjes', 'UTF8') in l.description_enc) > 0)) AS hit
         FROM quotes q WHERE q.id = $1`,
      [q.id],
    );
    assert.equal(raw[0]?.hit, false);
  });
});
