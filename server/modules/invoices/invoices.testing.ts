/** Test factories for invoices: a seller, a customer and the worked example of issue 4. Not a test file. */
import type { Ctx } from '../../context.ts';
import { queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { createCustomer } from '../customers/customers.service.ts';
import type { DraftInput } from './invoices.model.ts';
import { type SettingsInput, setInvoiceSettings } from './settings.service.ts';

/** A Dutch seller with every detail an invoice must print. */
export const SELLER: SettingsInput = {
  name: 'Testbedrijf B.V.',
  address: { street: 'Keizersgracht 1', postalCode: '1015 CJ', city: 'Amsterdam', country: 'NL' },
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
  iban: 'NL91ABNA0417164300',
  email: 'facturen@testbedrijf.example',
};

/** Sets the seller and creates the customer of the issue's API example; returns its id. */
export async function prepareBusiness(ctx: Ctx, seller: Partial<SettingsInput> = {}): Promise<string> {
  await setInvoiceSettings(ctx, { ...SELLER, ...seller });
  const customer = await createCustomer(ctx, {
    kind: 'company',
    name: 'Bakkerij De Korf B.V.',
    email: 'administratie@dekorf.example',
    address: { street: 'Dorpsstraat 1', postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
    vatNumber: 'NL004495445B01',
    kvkNumber: '12345678',
  });
  return customer.id;
}

/** The worked example: 10 × 2.50 at 9 % and 2 × 95.00 at 21 % → 215.00 + 42.15 = 257.15. */
export function workedExample(customerId: string): DraftInput {
  return {
    customerId,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    currency: 'EUR',
    lines: [
      { description: 'Broodjes', quantity: '10', unitPrice: '2.50', vatCategory: 'S', vatRate: '9' },
      { description: 'Advies', quantity: '2', unitPrice: '95.00', vatCategory: 'S', vatRate: '21' },
    ],
  };
}

/** The audit actions recorded for one target, in chain order. */
export async function auditActions(ctx: Ctx, targetId: string): Promise<string[]> {
  const rows = await inTenant(ctx.services.db, ctx.tenantId, (tx) =>
    queryRows<{ action: string }>(
      tx,
      sql`SELECT action FROM audit_events WHERE target_id = ${targetId} ORDER BY seq`,
    ),
  );
  return rows.map((r) => r.action);
}
