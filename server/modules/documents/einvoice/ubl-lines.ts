/**
 * UBL invoice lines (BG-25) and credit note lines: quantity, net amount, line allowances and charges,
 * item with its VAT category, and price. Amounts come from the computed totals, never recomputed.
 */

import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { formatAmount, lineAdjustments } from './common.ts';
import { type UblFormat, writeAllowanceCharge, writeTaxCategory } from './ubl-parts.ts';
import type { XmlWriter } from './xml.ts';

/** Writes every line of the document as `cac:InvoiceLine` or `cac:CreditNoteLine`. */
export function writeUblLines(x: XmlWriter, doc: InvoiceDocument, format: UblFormat): void {
  const isCredit = doc.kind === 'credit_note';
  const currencyID = doc.currency;
  doc.lines.forEach((line, i) => {
    const totals = doc.totals.lines[i];
    if (!totals) throw new RangeError(`No totals for line ${i}`);
    x.element(isCredit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine', null, () => {
      x.leaf('cbc:ID', line.id);
      x.leaf(isCredit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity', line.quantity, {
        unitCode: line.unitCode,
      });
      // BT-131, rounded once by computeTotals; PEPPOL-EN16931-R120 recomputes it within a cent.
      x.leaf('cbc:LineExtensionAmount', formatAmount(totals.netAmount, doc.currency), { currencyID });
      for (const adjustment of lineAdjustments(doc, i)) writeAllowanceCharge(x, doc, adjustment, format);
      x.element('cac:Item', null, () => {
        x.leaf('cbc:Description', line.description);
        x.leaf('cbc:Name', line.name);
        writeTaxCategory(x, 'cac:ClassifiedTaxCategory', doc, line.vatCategory, line.vatRate, { format });
      });
      x.element('cac:Price', null, () => {
        // BT-146 keeps the decimals it was entered with (up to 4): EN 16931 limits amounts, not prices.
        x.leaf('cbc:PriceAmount', line.unitPrice, { currencyID });
        // BT-149/150: the unit must be the quantity's (PEPPOL-EN16931-R130).
        if (line.priceBaseQuantity !== undefined) {
          x.leaf('cbc:BaseQuantity', line.priceBaseQuantity, { unitCode: line.unitCode });
        }
      });
    });
  });
}
