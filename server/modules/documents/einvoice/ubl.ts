/**
 * UBL 2.1 Invoice and CreditNote in two customizations of EN 16931: Peppol BIS Billing 3.0 and the
 * Dutch NLCIUS (SI-UBL 2.0). Pure: the same document always gives the same string.
 */

import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import {
  buyerReference,
  documentAdjustments,
  documentNote,
  formatAmount,
  paymentMeansCode,
} from './common.ts';
import { writeUblLines } from './ubl-lines.ts';
import { UBL_NS, type UblFormat, writeAllowanceCharge, writeParty, writeTaxCategory } from './ubl-parts.ts';
import { assertNlciusWritable, assertPeppolAddressable, assertWritable } from './validation.ts';
import { XmlWriter } from './xml.ts';

export type { UblFormat } from './ubl-parts.ts';

/** The CustomizationID (BT-24) of each format. */
export const CUSTOMIZATION_IDS: Readonly<Record<UblFormat, string>> = {
  peppol: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
  nlcius: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0',
};

/** The ProfileID (BT-23): the Peppol billing process, which NLCIUS documents declare as well. */
export const PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/** Options of writeUbl: the invoice's own PDF, attached as an additional document (BG-24). */
export interface UblOptions {
  pdf?: { filename: string; data: Buffer };
}

/**
 * Writes the document as UBL 2.1: an Invoice (type 380) or, for a credit note, a CreditNote (381)
 * referring to the credited invoice. Throws an AppError for what Kluis refuses to send (validation.ts).
 */
export function writeUbl(doc: InvoiceDocument, format: UblFormat, options: UblOptions = {}): string {
  assertWritable(doc);
  if (format === 'peppol') assertPeppolAddressable(doc);
  else assertNlciusWritable(doc);
  const isCredit = doc.kind === 'credit_note';
  const root = isCredit ? 'CreditNote' : 'Invoice';
  const x = new XmlWriter();
  x.element(root, { xmlns: UBL_NS[root], 'xmlns:cac': UBL_NS.cac, 'xmlns:cbc': UBL_NS.cbc }, () => {
    writeHeader(x, doc, format, options);
    writeParty(x, doc, 'seller');
    writeParty(x, doc, 'buyer');
    writeDelivery(x, doc);
    writePayment(x, doc, format);
    for (const adjustment of documentAdjustments(doc)) writeAllowanceCharge(x, doc, adjustment, format);
    writeTaxTotals(x, doc, format);
    writeMonetaryTotal(x, doc);
    writeUblLines(x, doc, format);
  });
  return x.toString();
}

function writeHeader(x: XmlWriter, doc: InvoiceDocument, format: UblFormat, options: UblOptions): void {
  const isCredit = doc.kind === 'credit_note';
  x.leaf('cbc:CustomizationID', CUSTOMIZATION_IDS[format]);
  x.leaf('cbc:ProfileID', PROFILE_ID);
  x.leaf('cbc:ID', doc.number);
  x.leaf('cbc:IssueDate', doc.issueDate);
  // A UBL 2.1 CreditNote has no DueDate: its BT-9 goes into PaymentMeans/PaymentDueDate.
  if (!isCredit) x.leaf('cbc:DueDate', doc.dueDate);
  x.leaf(isCredit ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode', isCredit ? '381' : '380');
  x.leaf('cbc:Note', documentNote(doc));
  x.leaf('cbc:DocumentCurrencyCode', doc.currency);
  // BT-6: the VAT accounting currency, only when it differs (PEPPOL-EN16931-R005).
  if (doc.currency !== 'EUR') x.leaf('cbc:TaxCurrencyCode', 'EUR');
  x.leaf('cbc:BuyerReference', buyerReference(doc));
  if (doc.period) {
    x.element('cac:InvoicePeriod', null, () => {
      x.leaf('cbc:StartDate', doc.period?.start);
      x.leaf('cbc:EndDate', doc.period?.end);
    });
  }
  if (doc.orderReference?.trim()) {
    x.element('cac:OrderReference', null, () => x.leaf('cbc:ID', doc.orderReference));
  }
  const credited = doc.creditedInvoice;
  if (credited) {
    // BG-3: BT-25 and BT-26 (NL-R-001). NLCIUS advises against the date (BR-NL-24, a warning), but
    // Dutch law wants a credit note to name the date of the invoice it corrects, so it stays.
    x.element('cac:BillingReference', null, () =>
      x.element('cac:InvoiceDocumentReference', null, () => {
        x.leaf('cbc:ID', credited.number);
        x.leaf('cbc:IssueDate', credited.issueDate);
      }),
    );
  }
  const pdf = options.pdf;
  if (pdf) {
    // BG-24 with BT-122 (the invoice number names the attachment) and BT-125 with its mime code and filename.
    x.element('cac:AdditionalDocumentReference', null, () => {
      x.leaf('cbc:ID', doc.number);
      x.element('cac:Attachment', null, () =>
        x.leaf('cbc:EmbeddedDocumentBinaryObject', pdf.data.toString('base64'), {
          mimeCode: 'application/pdf',
          filename: pdf.filename,
        }),
      );
    });
  }
}

// BG-13: the supply date (BT-72) and, for an intra-community supply, the country the goods go to
// (BT-80, BR-IC-12). The document has no separate delivery address: the goods go to the buyer.
function writeDelivery(x: XmlWriter, doc: InvoiceDocument): void {
  const isIntraCommunity = doc.totals.vatBreakdown.some((g) => g.vatCategory === 'K');
  x.element('cac:Delivery', null, () => {
    x.leaf('cbc:ActualDeliveryDate', doc.supplyDate);
    if (isIntraCommunity) {
      x.element('cac:DeliveryLocation', null, () =>
        x.element('cac:Address', null, () =>
          x.element('cac:Country', null, () => x.leaf('cbc:IdentificationCode', doc.buyer.address.country)),
        ),
      );
    }
  });
}

// BG-16/BG-17: credit transfer to the seller's IBAN with the payment reference (BT-83), and the
// payment terms (BT-20). NLCIUS advises against the account name (BR-NL-30) and, for SEPA, the BIC
// (BR-NL-31); Peppol keeps both.
function writePayment(x: XmlWriter, doc: InvoiceDocument, format: UblFormat): void {
  const payment = doc.payment;
  const isCredit = doc.kind === 'credit_note';
  const code = paymentMeansCode(doc);
  if (payment) {
    x.element('cac:PaymentMeans', null, () => {
      x.leaf('cbc:PaymentMeansCode', code);
      if (isCredit) x.leaf('cbc:PaymentDueDate', doc.dueDate);
      x.leaf('cbc:PaymentID', payment.reference);
      x.element('cac:PayeeFinancialAccount', null, () => {
        x.leaf('cbc:ID', payment.iban);
        if (format === 'peppol') x.leaf('cbc:Name', payment.accountName);
        if (format === 'peppol' || code !== '58') {
          x.element('cac:FinancialInstitutionBranch', null, () => x.leaf('cbc:ID', payment.bic));
        }
      });
    });
  }
  if (doc.paymentTerms?.trim()) {
    x.element('cac:PaymentTerms', null, () => x.leaf('cbc:Note', doc.paymentTerms));
  }
}

// BG-23 in one TaxTotal with subtotals (PEPPOL-EN16931-R053); for another currency a second TaxTotal
// with only BT-111 in euros (PEPPOL-EN16931-R054, BR-53). NLCIUS advises against it (BR-NL-33), but
// the VAT directive (art. 230) wants the VAT in euros on a Dutch invoice in another currency.
function writeTaxTotals(x: XmlWriter, doc: InvoiceDocument, format: UblFormat): void {
  const currencyID = doc.currency;
  x.element('cac:TaxTotal', null, () => {
    x.leaf('cbc:TaxAmount', formatAmount(doc.totals.taxAmount, doc.currency), { currencyID });
    for (const group of doc.totals.vatBreakdown) {
      x.element('cac:TaxSubtotal', null, () => {
        x.leaf('cbc:TaxableAmount', formatAmount(group.taxableAmount, doc.currency), { currencyID });
        x.leaf('cbc:TaxAmount', formatAmount(group.taxAmount, doc.currency), { currencyID });
        writeTaxCategory(x, 'cac:TaxCategory', doc, group.vatCategory, group.vatRate, {
          withReason: true,
          format,
        });
      });
    }
  });
  if (doc.currency !== 'EUR' && doc.vatInEur) {
    const eur = doc.vatInEur.amount;
    x.element('cac:TaxTotal', null, () =>
      x.leaf('cbc:TaxAmount', formatAmount(eur, 'EUR'), { currencyID: 'EUR' }),
    );
  }
}

// BG-22. Allowance and charge totals are written when there are any; prepaid (BT-113) and rounding
// (BT-114) when not zero.
function writeMonetaryTotal(x: XmlWriter, doc: InvoiceDocument): void {
  const t = doc.totals;
  const currencyID = doc.currency;
  const amount = (name: string, value: bigint): void => {
    x.leaf(name, formatAmount(value, doc.currency), { currencyID });
  };
  x.element('cac:LegalMonetaryTotal', null, () => {
    amount('cbc:LineExtensionAmount', t.lineExtensionAmount);
    amount('cbc:TaxExclusiveAmount', t.taxExclusiveAmount);
    amount('cbc:TaxInclusiveAmount', t.taxInclusiveAmount);
    if (t.allowances.length > 0) amount('cbc:AllowanceTotalAmount', t.allowanceTotalAmount);
    if (t.charges.length > 0) amount('cbc:ChargeTotalAmount', t.chargeTotalAmount);
    if (t.prepaidAmount !== 0n) amount('cbc:PrepaidAmount', t.prepaidAmount);
    if (t.roundingAmount !== 0n) amount('cbc:PayableRoundingAmount', t.roundingAmount);
    amount('cbc:PayableAmount', t.payableAmount);
  });
}
