/**
 * The demo's ~60 invoices: each VAT case of the Dutch rules on the kind of customer it fits, spread
 * over the last ten months in date order (so numbers and dates rise together), and what happens
 * after: left a draft, issued, sent, paid in full or in part, or corrected by a credit note.
 */
import type { DraftInput } from '../invoices/index.ts';
import type { CustomerRole } from './demo.data.ts';

/** What happens to a planned invoice after it is created. */
export type Outcome = 'draft' | 'issued' | 'sent' | 'paid' | 'part_paid' | 'credited' | 'part_credited';

/** One planned invoice. */
export interface PlannedInvoice {
  draft: DraftInput;
  then: Outcome;
}

type Lines = DraftInput['lines'];
type Case = { role: CustomerRole; lines: Lines; extra?: Partial<DraftInput>; supplied?: boolean };

/** One line of a planned document. */
export const planLine = (
  description: string,
  quantity: string,
  unitPrice: string,
  vatCategory: string,
  vatRate: string,
  unit = 'C62',
) => ({
  description,
  quantity,
  unit,
  unitPrice,
  vatCategory,
  vatRate,
});

/** The VAT cases, each with the customer it suits. */
const CASES: Case[] = [
  {
    role: 'nl_company',
    lines: [
      planLine('Advies', '6', '95.00', 'S', '21', 'HUR'),
      planLine('Ontwerp', '3', '82.50', 'S', '21', 'HUR'),
    ],
  },
  {
    role: 'nl_company',
    lines: [planLine('Broodjes', '40', '2.50', 'S', '9'), planLine('Advies', '2', '95.00', 'S', '21', 'HUR')],
  },
  { role: 'nl_person', lines: [planLine('Koffiebonen 1 kg', '3', '18.7500', 'S', '9', 'KGM')] },
  {
    role: 'nl_company',
    lines: [planLine('Webhosting', '12', '24.95', 'S', '21', 'MON')],
    extra: { allowances: [{ percent: '10', reason: 'Jaarkorting', vatCategory: 'S', vatRate: '21' }] },
  },
  {
    role: 'nl_company',
    lines: [{ ...planLine('Espressomachine', '1', '1249.00', 'S', '21'), discount: { amount: '100.00' } }],
  },
  // 0 %: goods for a seagoing ship (Wet OB, table II, item a.2).
  { role: 'nl_company', lines: [planLine('Proviand voor zeeschip', '1', '850.00', 'Z', '0')] },
  // Exempt: vocational training (art. 11 lid 1 onderdeel o Wet OB).
  {
    role: 'nl_company',
    lines: [planLine('Cursusdag', '2', '450.00', 'E', '0', 'DAY')],
    extra: { exemptionReason: 'Vrijgesteld van btw: beroepsopleiding (art. 11 lid 1 onderdeel o Wet OB)' },
  },
  // Reverse charge within the Netherlands: subcontracted construction work.
  { role: 'nl_company', lines: [planLine('Onderaanneming tegelwerk', '16', '55.00', 'AE', '0', 'HUR')] },
  // Intra-community supply of goods, shipped to the buyer's member state.
  { role: 'eu_company', lines: [planLine('Espressomachine', '2', '1249.00', 'K', '0')], supplied: true },
  // B2B services to another member state: the buyer accounts for the VAT (reverse charge).
  { role: 'eu_company', lines: [planLine('Advies', '8', '95.00', 'AE', '0', 'HUR')] },
  // A consumer in another member state pays Dutch VAT (below the distance-selling threshold).
  { role: 'eu_person', lines: [planLine('Koffiebonen 1 kg', '2', '18.7500', 'S', '9', 'KGM')] },
  // Export outside the EU.
  { role: 'non_eu', lines: [planLine('Koffiebonen 1 kg', '40', '16.5000', 'G', '0', 'KGM')] },
];

/** The order outcomes come in: mostly issued and paid, some drafts and credit notes. */
const OUTCOMES: Outcome[] = [
  'paid',
  'paid',
  'sent',
  'paid',
  'issued',
  'part_paid',
  'paid',
  'sent',
  'paid',
  'credited',
];

/** `date` moved back by `days` (forward when negative). */
export function minusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** The plan for the demo's customers, dated before `today`. */
export function demoInvoicePlan(
  customers: { role: CustomerRole; id: string; country: string }[],
  today: string,
): PlannedInvoice[] {
  const byRole = (role: CustomerRole) => customers.filter((c) => c.role === role);
  const TOTAL = 60;
  const plan: PlannedInvoice[] = [];
  for (let k = 0; k < TOTAL; k++) {
    const isUsd = k === 30;
    const c: Case = isUsd
      ? { role: 'us', lines: [planLine('Koffiebonen 1 kg', '120', '17.2500', 'G', '0', 'KGM')] }
      : (CASES[k % CASES.length] as Case);
    const pool = byRole(c.role);
    const customer = pool[k % pool.length];
    if (!customer) continue;
    // The last five stay drafts (work in progress); the others run through their outcome.
    const then: Outcome =
      k >= TOTAL - 5 ? 'draft' : k === 17 ? 'part_credited' : (OUTCOMES[k % OUTCOMES.length] as Outcome);
    const issueDate = minusDays(today, (TOTAL - k) * 5);
    plan.push({
      then,
      draft: {
        customerId: customer.id,
        ...(then === 'draft' ? {} : { issueDate }),
        currency: isUsd ? 'USD' : 'EUR',
        ...(isUsd ? { exchangeRate: '0.9215' } : {}),
        ...(c.supplied ? { supplyDate: issueDate, deliveryCountry: customer.country } : {}),
        orderReference: k % 4 === 0 ? `PO-${1000 + k}` : null,
        lines: c.lines,
        ...c.extra,
      },
    });
  }
  return plan;
}
