/**
 * `npm run kluis -- demo`: a demo business a newcomer can try at once — an owner who signs in with
 * a generated password (printed once, never stored in plain text), ~25 customers, products, ~60
 * invoices across every VAT case (21 %, 9 %, 0 %, exempt, reverse charge, intra-community, export,
 * one in USD), some sent and paid, credit notes. Everything goes through the real use cases, so the
 * demo holds exactly what a user could have made: encrypted, numbered, audited.
 * Running it again changes nothing: an existing business named DEMO_BUSINESS_NAME is reported.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../context.ts';
import { createCustomer } from '../customers/customers.service.ts';
import { signUp } from '../identity/accounts.service.ts';
import type { IdentityRuntime } from '../identity/runtime.ts';
import {
  createCreditNote,
  createInvoice,
  type Invoice,
  issueInvoice,
  setInvoiceSettings,
} from '../invoices/index.ts';
import { recordPayment } from '../invoices/payments.service.ts';
import { markInvoiceSent } from '../invoices/send.service.ts';
import { setPrivacyContact } from '../legal/index.ts';
import { createProduct } from '../products/products.service.ts';
import { acceptQuote, declineQuote, sendQuote } from '../quotes/lifecycle.service.ts';
import { createQuote } from '../quotes/quotes.service.ts';
import { createSchedule } from '../recurring/index.ts';
import { listTenants } from '../tenants/tenants.service.ts';
import {
  type CustomerRole,
  DEMO_BUSINESS_NAME,
  DEMO_OWNER_EMAIL,
  DEMO_PRODUCTS,
  DEMO_SELLER,
  demoCustomers,
} from './demo.data.ts';
import { demoInvoicePlan, minusDays, planLine } from './demo.plan.ts';

/** What the demo command reports; the password only when the demo was just made. */
export type DemoResult =
  | { created: false; tenantId: string }
  | {
      created: true;
      tenantId: string;
      email: string;
      password: string;
      counts: {
        customers: number;
        products: number;
        invoices: number;
        creditNotes: number;
        quotes: number;
        schedules: number;
      };
    };

/** Fills a demo business, or reports the one that exists. */
export async function createDemo(rt: IdentityRuntime): Promise<DemoResult> {
  const { services } = rt;
  const existing = (await listTenants(services)).find(
    (t) => t.name === DEMO_BUSINESS_NAME && t.status === 'active',
  );
  if (existing) return { created: false, tenantId: existing.id };

  // 144 random bits: strong by any policy, shown once by the CLI; only its argon2id hash is kept.
  const password = randomBytes(18).toString('base64url');
  const meta = { ip: '127.0.0.1', requestId: null };
  const { userId, tenantId } = await signUp(
    rt,
    { email: DEMO_OWNER_EMAIL, password, businessName: DEMO_BUSINESS_NAME, locale: 'nl' },
    meta,
  );
  // The owner made all of it, as if by hand: that is what the audit log of a demo should show.
  const ctx: Ctx = {
    tenantId,
    actor: { type: 'user', id: userId },
    access: { role: 'owner', scopes: [] },
    requestId: null,
    ip: null,
    services,
  };
  await setInvoiceSettings(ctx, DEMO_SELLER);
  await setPrivacyContact(ctx, { name: 'Demo Privacy', email: DEMO_OWNER_EMAIL, phone: null });
  const customers: { role: CustomerRole; id: string; country: string }[] = [];
  for (const c of demoCustomers()) {
    const created = await createCustomer(ctx, c.input);
    customers.push({ role: c.role, id: created.id, country: c.input.address?.country ?? 'NL' });
  }
  for (const p of DEMO_PRODUCTS) await createProduct(ctx, p);

  const today = services.clock.now().toISOString().slice(0, 10);
  const plan = demoInvoicePlan(customers, today);
  let invoices = 0;
  let creditNotes = 0;
  for (const step of plan) {
    const draft = await createInvoice(ctx, step.draft);
    invoices++;
    if (step.then === 'draft') continue;
    const issued = await issueInvoice(ctx, draft.id);
    if (step.then === 'sent' || step.then === 'paid' || step.then === 'part_paid') {
      await markInvoiceSent(ctx, issued.id);
    }
    if (step.then === 'paid' || step.then === 'part_paid') {
      await pay(ctx, issued, step.then === 'paid' ? 1n : 2n, today);
    }
    if (step.then === 'credited' || step.then === 'part_credited') {
      const note = await createCreditNote(
        ctx,
        issued.id,
        step.then === 'credited' ? {} : { lines: [{ lineId: issued.lines[0]?.id ?? '', quantity: '1' }] },
      );
      await issueInvoice(ctx, note.id);
      creditNotes++;
    }
  }
  const quotes = await makeQuotes(ctx, customers, today);
  // Monthly hosting from the first of next month, left as drafts to check: the server's job runner
  // makes each one on its date (nothing is made while only the CLI runs).
  const hosting = customers.find((c) => c.role === 'nl_company');
  if (hosting) {
    const next = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    next.setUTCMonth(next.getUTCMonth() + 1);
    await createSchedule(ctx, {
      customerId: hosting.id,
      template: { currency: 'EUR', lines: [planLine('Webhosting', '1', '24.95', 'S', '21', 'MON')] },
      frequency: 'monthly',
      startDate: next.toISOString().slice(0, 10),
      mode: 'draft',
    });
  }
  return {
    created: true,
    tenantId,
    email: DEMO_OWNER_EMAIL,
    password,
    counts: {
      customers: customers.length,
      products: DEMO_PRODUCTS.length,
      // An accepted quote made one more draft invoice.
      invoices: invoices + 1,
      creditNotes,
      quotes,
      schedules: hosting ? 1 : 0,
    },
  };
}

/** Quotes in each state a newcomer meets: a draft, sent ones, one accepted (now an invoice), one declined. */
async function makeQuotes(ctx: Ctx, customers: { role: CustomerRole; id: string }[], today: string) {
  const nl = customers.filter((c) => c.role === 'nl_company');
  const outcomes = ['draft', 'sent', 'sent', 'accepted', 'declined'] as const;
  for (const [i, outcome] of outcomes.entries()) {
    const customer = nl[(i * 5) % nl.length];
    if (!customer) continue;
    const quote = await createQuote(ctx, {
      customerId: customer.id,
      quoteDate: minusDays(today, 10 - i),
      currency: 'EUR',
      lines: [
        planLine('Ontwerp huisstijl', '24', '82.50', 'S', '21', 'HUR'),
        planLine('Drukwerk visitekaartjes', '500', '0.1200', 'S', '21'),
      ],
    });
    if (outcome === 'draft') continue;
    await sendQuote(ctx, quote.id);
    if (outcome === 'accepted') await acceptQuote(ctx, quote.id);
    if (outcome === 'declined') await declineQuote(ctx, quote.id);
  }
  return outcomes.length;
}

/** Pays an invoice in full (`divisor` 1) or the first part of it, ten days after it was issued. */
async function pay(ctx: Ctx, invoice: Invoice, divisor: bigint, today: string): Promise<void> {
  const minor = invoice.totals.payable / divisor;
  const amount = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
  const due = minusDays(invoice.issueDate ?? today, -10);
  await recordPayment(ctx, invoice.id, { amount, date: due < today ? due : today, method: 'bank_transfer' });
}
