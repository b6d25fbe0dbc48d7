/**
 * What Kluis refuses to write although the official rules would let it through, and what the writers
 * need to be true of a document. Dutch law asks for the buyer's VAT number on a reverse-charge or
 * intra-community invoice (art. 35a Wet OB); EN 16931 accepts a legal registration number instead
 * (BR-AE-02, BR-IC-02 only partly), so this check is ours.
 */

import { AppError } from '../../../../domain/errors.ts';
import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { electronicAddress, exemptionFor } from './common.ts';

function refuse(code: string, message: string, path: string): AppError {
  return new AppError('invalid', code, message, [{ path, code, message }]);
}

function hasText(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** Throws an AppError when the document cannot become a lawful e-invoice; checks shared by UBL and CII. */
export function assertWritable(doc: InvoiceDocument): void {
  const categories = new Set(doc.totals.vatBreakdown.map((group) => group.vatCategory));
  if (categories.has('AE') && !hasText(doc.buyer.vatNumber)) {
    throw refuse(
      'reverse_charge_requires_buyer_vat_number',
      'A reverse-charge invoice needs the buyer VAT number',
      'buyer.vatNumber',
    );
  }
  if (categories.has('K') && !hasText(doc.buyer.vatNumber)) {
    throw refuse(
      'intra_community_requires_buyer_vat_number',
      'An intra-community supply needs the buyer VAT number',
      'buyer.vatNumber',
    );
  }
  if (doc.kind === 'credit_note' && !hasText(doc.creditedInvoice?.number)) {
    // BR-55 lets a credit note go without it; Dutch law and NL-R-001 want the credited invoice named.
    throw refuse(
      'credit_note_requires_credited_invoice',
      'A credit note names the invoice it corrects',
      'creditedInvoice',
    );
  }
  for (const category of categories) {
    if (category !== 'S' && category !== 'Z' && !exemptionFor(doc, category)) {
      // BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10: the texts come from domain/vat.ts mandatoryTexts.
      throw refuse(
        'exemption_reason_missing',
        `VAT category ${category} needs its exemption reason text`,
        'texts',
      );
    }
  }
  const lineCount = doc.lines.length;
  if (
    doc.totals.lines.length !== lineCount ||
    doc.totals.allowances.length !== doc.allowances.length ||
    doc.totals.charges.length !== doc.charges.length ||
    doc.totals.currency !== doc.currency
  ) {
    // A document whose totals belong to other lines is a bug in its builder, never client input.
    throw new RangeError('The totals of the document do not match its lines, allowances or charges');
  }
  if (doc.currency !== 'EUR' && !doc.vatInEur) {
    throw refuse(
      'vat_in_eur_required',
      'An invoice in another currency states its VAT total in euros (BT-111)',
      'vatInEur',
    );
  }
}

/** Peppol requires both electronic addresses (PEPPOL-EN16931-R010, R020): refuses a party that has none. */
export function assertPeppolAddressable(doc: InvoiceDocument): void {
  for (const role of ['seller', 'buyer'] as const) {
    if (!electronicAddress(doc[role])) {
      throw refuse(
        'peppol_requires_electronic_address',
        `Peppol needs the ${role}'s electronic address: a Peppol id, a KvK number or an EU VAT number`,
        `${role}.electronicAddress`,
      );
    }
  }
}

/**
 * NLCIUS wants a Dutch seller's KvK or OIN number (BR-NL-1) and, from a Dutch seller to a Dutch
 * buyer, the buyer's too (BR-NL-10): it is a format for businesses and governments, so a Dutch
 * consumer cannot receive it. Refused here with a clear code instead of an invalid file.
 */
export function assertNlciusWritable(doc: InvoiceDocument): void {
  if (doc.seller.address.country !== 'NL') return;
  if (!hasText(doc.seller.kvkNumber)) {
    throw refuse(
      'nlcius_requires_seller_kvk_number',
      'NLCIUS needs the seller KvK number',
      'seller.kvkNumber',
    );
  }
  if (doc.buyer.address.country === 'NL' && !hasText(doc.buyer.kvkNumber)) {
    throw refuse(
      'nlcius_requires_buyer_kvk_number',
      'NLCIUS needs the KvK number of a Dutch buyer; a consumer gets the PDF',
      'buyer.kvkNumber',
    );
  }
}
