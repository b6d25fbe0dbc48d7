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
import { createProduct } from '../products/products.service.ts';
import { listTenants } from '../tenants/tenants.service.ts';
import {
  type CustomerRole,
  DEMO_BUSINESS_NAME,
  DEMO_OWNER_EMAIL,
  DEMO_PRODUCTS,
  DEMO_SELLER,
  demoCustomers,
} from './demo.data.ts';
import { demoInvoicePlan, minusDays } from './demo.plan.ts';

/** What the demo command reports; the password only when the demo was just made. */
export type DemoResult =
  | { created: false; tenantId: string }
  | {
      created: true;
      tenantId: string;
      email: string;
      password: string;
      counts: { customers: number; products: number; invoices: number; creditNotes: number };
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
  return {
    created: true,
    tenantId,
    email: DEMO_OWNER_EMAIL,
    password,
    counts: { customers: customers.length, products: DEMO_PRODUCTS.length, invoices, creditNotes },
  };
}

/** Pays an invoice in full (`divisor` 1) or the first part of it, ten days after it was issued. */
async function pay(ctx: Ctx, invoice: Invoice, divisor: bigint, today: string): Promise<void> {
  const minor = invoice.totals.payable / divisor;
  const amount = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
  const due = minusDays(invoice.issueDate ?? today, -10);
  await recordPayment(ctx, invoice.id, { amount, date: due < today ? due : today, method: 'bank_transfer' });
}
