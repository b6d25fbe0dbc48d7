/**
 * CII line items (BG-25) and the CII parts shared with the header: the VAT of a line, allowances and
 * charges, dates in format 102. Element order follows the CII D16B schema.
 */

import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import {
  compactDate,
  formatAmount,
  formatRate,
  hasRate,
  lineAdjustments,
  type WrittenAdjustment,
} from './common.ts';
import type { XmlWriter } from './xml.ts';

/** Writes a date as `udt:DateTimeString` in format 102 (YYYYMMDD), the only one EN 16931 CII allows. */
export function writeDate(
  x: XmlWriter,
  name: string,
  isoDate: string | null | undefined,
  prefix = 'udt',
): void {
  if (!isoDate) return;
  x.element(name, null, () => x.leaf(`${prefix}:DateTimeString`, compactDate(isoDate), { format: '102' }));
}

/** Writes an allowance or charge; on document level with its VAT category (BT-95/96, BT-102/103). */
export function writeCiiAdjustment(x: XmlWriter, doc: InvoiceDocument, adjustment: WrittenAdjustment): void {
  x.element('ram:SpecifiedTradeAllowanceCharge', null, () => {
    x.element('ram:ChargeIndicator', null, () =>
      x.leaf('udt:Indicator', adjustment.isCharge ? 'true' : 'false'),
    );
    if (adjustment.percent !== undefined) x.leaf('ram:CalculationPercent', adjustment.percent);
    if (adjustment.baseAmount !== undefined) {
      x.leaf('ram:BasisAmount', formatAmount(adjustment.baseAmount, doc.currency));
    }
    x.leaf('ram:ActualAmount', formatAmount(adjustment.amount, doc.currency));
    x.leaf('ram:Reason', adjustment.reason);
    const vat = adjustment.vat;
    if (vat) {
      x.element('ram:CategoryTradeTax', null, () => {
        x.leaf('ram:TypeCode', 'VAT');
        x.leaf('ram:CategoryCode', vat.category);
        if (hasRate(vat.category)) x.leaf('ram:RateApplicablePercent', formatRate(vat.rate));
      });
    }
  });
}

/** Writes every line as `ram:IncludedSupplyChainTradeLineItem`. */
export function writeCiiLines(x: XmlWriter, doc: InvoiceDocument): void {
  doc.lines.forEach((line, i) => {
    const totals = doc.totals.lines[i];
    if (!totals) throw new RangeError(`No totals for line ${i}`);
    x.element('ram:IncludedSupplyChainTradeLineItem', null, () => {
      x.element('ram:AssociatedDocumentLineDocument', null, () => x.leaf('ram:LineID', line.id));
      x.element('ram:SpecifiedTradeProduct', null, () => {
        x.leaf('ram:Name', line.name);
        x.leaf('ram:Description', line.description);
      });
      x.element('ram:SpecifiedLineTradeAgreement', null, () =>
        // BT-146 net price with BT-149 base quantity in the unit of the quantity.
        x.element('ram:NetPriceProductTradePrice', null, () => {
          x.leaf('ram:ChargeAmount', line.unitPrice);
          if (line.priceBaseQuantity !== undefined) {
            x.leaf('ram:BasisQuantity', line.priceBaseQuantity, { unitCode: line.unitCode });
          }
        }),
      );
      x.element('ram:SpecifiedLineTradeDelivery', null, () =>
        x.leaf('ram:BilledQuantity', line.quantity, { unitCode: line.unitCode }),
      );
      x.element('ram:SpecifiedLineTradeSettlement', null, () => {
        x.element('ram:ApplicableTradeTax', null, () => {
          x.leaf('ram:TypeCode', 'VAT');
          x.leaf('ram:CategoryCode', line.vatCategory);
          if (hasRate(line.vatCategory)) x.leaf('ram:RateApplicablePercent', formatRate(line.vatRate));
        });
        for (const adjustment of lineAdjustments(doc, i)) writeCiiAdjustment(x, doc, adjustment);
        x.element('ram:SpecifiedTradeSettlementLineMonetarySummation', null, () =>
          x.leaf('ram:LineTotalAmount', formatAmount(totals.netAmount, doc.currency)),
        );
      });
    });
  });
}
