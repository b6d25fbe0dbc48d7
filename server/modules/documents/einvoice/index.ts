/**
 * E-invoices of the documents module: UBL 2.1 for Peppol BIS Billing 3.0 and NLCIUS, and CII D16B
 * for Factur-X, written from the frozen InvoiceDocument. Other modules import from here only.
 */

export { CII_GUIDELINE_ID, writeCii } from './cii.ts';
export { CUSTOMIZATION_IDS, PROFILE_ID, type UblFormat, type UblOptions, writeUbl } from './ubl.ts';
