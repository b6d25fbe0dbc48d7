/** The invoices module's public surface: use cases and the shapes they take and return. */
export { type CreditNoteInput, createCreditNote } from './credit-notes.service.ts';
export { invoiceCii, invoiceDocument, invoicePdf, invoiceUbl } from './documents.service.ts';
export {
  createInvoice,
  createInvoiceIn,
  type DraftOrigin,
  deleteInvoice,
  getInvoice,
  updateInvoice,
} from './drafts.service.ts';
export { findInvoiceStatus, issueInTransaction } from './generated.service.ts';
export {
  addDays,
  dutchDate,
  storedTotals,
  type ValidDraft,
  validateDraft,
} from './invoices.input.ts';
export type {
  DocumentAdjustment,
  DraftInput,
  DraftPatch,
  Invoice,
  InvoiceKind,
  InvoiceLine,
  InvoiceStatus,
  LineInput,
  StoredTotals,
} from './invoices.model.ts';
export { canMove, decide } from './invoices.policy.ts';
export { issueInvoice } from './issue.service.ts';
export { type InvoiceFilter, type InvoicePage, listInvoices } from './list.service.ts';
export {
  DEFAULT_NUMBER_FORMAT,
  getInvoiceSettings,
  type SettingsInput,
  setInvoiceSettings,
} from './settings.service.ts';
