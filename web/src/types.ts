/** The API's JSON shapes as the app reads them (amounts are exact decimal strings). */

export interface Address {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

export interface Customer {
  id: string;
  kind: 'person' | 'company';
  name: string;
  contactPerson: string | null;
  email: string | null;
  phone: string | null;
  address: Address;
  iban: string | null;
  vatNumber: string | null;
  kvkNumber: string | null;
  language: 'nl' | 'en';
  paymentTermDays: number;
  version: number;
}

export interface InvoiceLine {
  id: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
  netAmount: string;
}

export interface Invoice {
  id: string;
  kind: 'invoice' | 'credit_note';
  status: string;
  number: string | null;
  customerId: string;
  issueDate: string | null;
  dueDate: string | null;
  currency: string;
  notes: string | null;
  exemptionReason: string | null;
  lines: InvoiceLine[];
  totals: {
    net: string;
    vat: string;
    gross: string;
    payable: string;
    vatBreakdown: { vatCategory: string; vatRate: string; taxable: string; vat: string }[];
  };
  buyer: { name: string } | null;
  credited: { invoiceId: string; number: string | null; date: string | null } | null;
  paidAmount: string;
  issuedAt: string | null;
  version: number;
}

/** A row of `GET /api/v1/invoices/summaries`: the list's columns and the customer's name, no lines. */
export interface InvoiceSummary {
  id: string;
  kind: 'invoice' | 'credit_note';
  status: string;
  number: string | null;
  customerId: string;
  customerName: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string;
  totals: { net: string; vat: string; gross: string; payable: string };
  paidAmount: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Settings {
  name: string;
  address: { street: string | null; postalCode: string | null; city: string | null; country: string };
  vatNumber: string | null;
  kvkNumber: string | null;
  iban: string | null;
  bic: string | null;
  email: string | null;
  phone: string | null;
  /** Who represents the business, named in its copy of the processing agreement. */
  representative: string | null;
  isKor: boolean;
  numberFormat: string;
  defaultPaymentTermDays: number;
}
