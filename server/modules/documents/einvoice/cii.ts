/**
 * UN/CEFACT CII D16B CrossIndustryInvoice per EN 16931, the XML inside a Factur-X PDF of profile
 * EN 16931 (guideline `urn:cen.eu:en16931:2017`). Pure: the same document always gives the same string.
 */

import type { DocumentParty, InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { writeCiiAdjustment, writeCiiLines, writeDate } from './cii-lines.ts';
import {
  documentAdjustments,
  documentNote,
  electronicAddress,
  exemptionFor,
  formatAmount,
  formatRate,
  hasRate,
  paymentMeansCode,
  vatNumberToWrite,
} from './common.ts';
import { assertWritable } from './validation.ts';
import { XmlWriter } from './xml.ts';

/** The guideline id (BT-24) of EN 16931 itself, which the Factur-X EN 16931 profile uses. */
export const CII_GUIDELINE_ID = 'urn:cen.eu:en16931:2017';

const NS = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

/** Writes the document as CII: type 380 for an invoice, 381 for a credit note. Throws what validation.ts refuses. */
export function writeCii(doc: InvoiceDocument): string {
  assertWritable(doc);
  const x = new XmlWriter();
  x.element('rsm:CrossIndustryInvoice', NS, () => {
    x.element('rsm:ExchangedDocumentContext', null, () =>
      x.element('ram:GuidelineSpecifiedDocumentContextParameter', null, () =>
        x.leaf('ram:ID', CII_GUIDELINE_ID),
      ),
    );
    x.element('rsm:ExchangedDocument', null, () => {
      x.leaf('ram:ID', doc.number);
      x.leaf('ram:TypeCode', doc.kind === 'credit_note' ? '381' : '380');
      writeDate(x, 'ram:IssueDateTime', doc.issueDate);
      // One note, as in UBL, so both syntaxes carry the same BT-22.
      const note = documentNote(doc);
      if (note) x.element('ram:IncludedNote', null, () => x.leaf('ram:Content', note));
    });
    x.element('rsm:SupplyChainTradeTransaction', null, () => {
      writeCiiLines(x, doc);
      writeAgreement(x, doc);
      writeDelivery(x, doc);
      writeSettlement(x, doc);
    });
  });
  return x.toString();
}

// BG-4 / BG-7: name, legal registration (KvK, 0106), contact, address, electronic address, VAT number.
function writeParty(x: XmlWriter, doc: InvoiceDocument, name: string, party: DocumentParty): void {
  x.element(name, null, () => {
    x.leaf('ram:Name', party.name);
    const tradingName = party.tradingName?.trim() !== party.name.trim() ? party.tradingName : null;
    x.element('ram:SpecifiedLegalOrganization', null, () => {
      x.leaf('ram:ID', party.kvkNumber, { schemeID: '0106' });
      x.leaf('ram:TradingBusinessName', tradingName);
    });
    const contact = party.contact;
    if (contact) {
      x.element('ram:DefinedTradeContact', null, () => {
        x.leaf('ram:PersonName', contact.name);
        x.element('ram:TelephoneUniversalCommunication', null, () =>
          x.leaf('ram:CompleteNumber', contact.phone),
        );
        x.element('ram:EmailURIUniversalCommunication', null, () => x.leaf('ram:URIID', contact.email));
      });
    }
    x.element('ram:PostalTradeAddress', null, () => {
      x.leaf('ram:PostcodeCode', party.address.postalCode);
      x.leaf('ram:LineOne', party.address.street);
      x.leaf('ram:CityName', party.address.city);
      x.leaf('ram:CountryID', party.address.country);
    });
    const address = electronicAddress(party);
    if (address) {
      x.element('ram:URIUniversalCommunication', null, () =>
        x.leaf('ram:URIID', address.id, { schemeID: address.scheme }),
      );
    }
    const vat = vatNumberToWrite(doc, party);
    if (vat) x.element('ram:SpecifiedTaxRegistration', null, () => x.leaf('ram:ID', vat, { schemeID: 'VA' }));
  });
}

function writeAgreement(x: XmlWriter, doc: InvoiceDocument): void {
  x.element('ram:ApplicableHeaderTradeAgreement', null, () => {
    x.leaf('ram:BuyerReference', doc.buyerReference);
    writeParty(x, doc, 'ram:SellerTradeParty', doc.seller);
    writeParty(x, doc, 'ram:BuyerTradeParty', doc.buyer);
    if (doc.orderReference?.trim()) {
      x.element('ram:BuyerOrderReferencedDocument', null, () =>
        x.leaf('ram:IssuerAssignedID', doc.orderReference),
      );
    }
  });
}

// BG-13: the country the goods go to for an intra-community supply (BT-80, BR-IC-12) and the supply
// date (BT-72). The schema requires the container even when it would be empty.
function writeDelivery(x: XmlWriter, doc: InvoiceDocument): void {
  const isIntraCommunity = doc.totals.vatBreakdown.some((g) => g.vatCategory === 'K');
  x.element(
    'ram:ApplicableHeaderTradeDelivery',
    null,
    () => {
      if (isIntraCommunity) {
        x.element('ram:ShipToTradeParty', null, () =>
          x.element('ram:PostalTradeAddress', null, () => x.leaf('ram:CountryID', doc.buyer.address.country)),
        );
      }
      // Dutch invoices state the supply date only when it differs from the issue date, so without
      // one (and without a period) the issue date is the supply date; writing it keeps the
      // container from being empty (PEPPOL-EN16931-R008, a warning under Factur-X).
      const supplyDate = doc.supplyDate ?? (doc.period ? null : doc.issueDate);
      if (supplyDate) {
        x.element('ram:ActualDeliverySupplyChainEvent', null, () =>
          writeDate(x, 'ram:OccurrenceDateTime', supplyDate),
        );
      }
    },
    true,
  );
}

function writeSettlement(x: XmlWriter, doc: InvoiceDocument): void {
  const t = doc.totals;
  const currency = doc.currency;
  x.element('ram:ApplicableHeaderTradeSettlement', null, () => {
    x.leaf('ram:PaymentReference', doc.payment?.reference);
    if (currency !== 'EUR') x.leaf('ram:TaxCurrencyCode', 'EUR');
    x.leaf('ram:InvoiceCurrencyCode', currency);
    const payment = doc.payment;
    if (payment) {
      x.element('ram:SpecifiedTradeSettlementPaymentMeans', null, () => {
        x.leaf('ram:TypeCode', paymentMeansCode(doc));
        x.element('ram:PayeePartyCreditorFinancialAccount', null, () => {
          x.leaf('ram:IBANID', payment.iban);
          x.leaf('ram:AccountName', payment.accountName);
        });
        x.element('ram:PayeeSpecifiedCreditorFinancialInstitution', null, () =>
          x.leaf('ram:BICID', payment.bic),
        );
      });
    }
    for (const group of t.vatBreakdown) {
      // BG-23: BT-117, BT-120, BT-116, BT-118, BT-121, BT-119, in the schema's order.
      const reason = exemptionFor(doc, group.vatCategory);
      x.element('ram:ApplicableTradeTax', null, () => {
        x.leaf('ram:CalculatedAmount', formatAmount(group.taxAmount, currency));
        x.leaf('ram:TypeCode', 'VAT');
        x.leaf('ram:ExemptionReason', reason?.text);
        x.leaf('ram:BasisAmount', formatAmount(group.taxableAmount, currency));
        x.leaf('ram:CategoryCode', group.vatCategory);
        x.leaf('ram:ExemptionReasonCode', reason?.code);
        if (hasRate(group.vatCategory)) x.leaf('ram:RateApplicablePercent', formatRate(group.vatRate));
      });
    }
    if (doc.period) {
      x.element('ram:BillingSpecifiedPeriod', null, () => {
        writeDate(x, 'ram:StartDateTime', doc.period?.start);
        writeDate(x, 'ram:EndDateTime', doc.period?.end);
      });
    }
    for (const adjustment of documentAdjustments(doc)) writeCiiAdjustment(x, doc, adjustment);
    if (doc.paymentTerms?.trim() || doc.dueDate) {
      x.element('ram:SpecifiedTradePaymentTerms', null, () => {
        x.leaf('ram:Description', doc.paymentTerms);
        writeDate(x, 'ram:DueDateDateTime', doc.dueDate);
      });
    }
    x.element('ram:SpecifiedTradeSettlementHeaderMonetarySummation', null, () => {
      const amount = (name: string, value: bigint, attrs?: { currencyID: string }): void => {
        x.leaf(name, formatAmount(value, attrs?.currencyID ?? currency), attrs);
      };
      amount('ram:LineTotalAmount', t.lineExtensionAmount);
      if (t.charges.length > 0) amount('ram:ChargeTotalAmount', t.chargeTotalAmount);
      if (t.allowances.length > 0) amount('ram:AllowanceTotalAmount', t.allowanceTotalAmount);
      amount('ram:TaxBasisTotalAmount', t.taxExclusiveAmount);
      // BT-110 carries its currency; BT-111 follows in euros for another currency (BR-53).
      amount('ram:TaxTotalAmount', t.taxAmount, { currencyID: currency });
      if (currency !== 'EUR' && doc.vatInEur) {
        amount('ram:TaxTotalAmount', doc.vatInEur.amount, { currencyID: 'EUR' });
      }
      if (t.roundingAmount !== 0n) amount('ram:RoundingAmount', t.roundingAmount);
      amount('ram:GrandTotalAmount', t.taxInclusiveAmount);
      if (t.prepaidAmount !== 0n) amount('ram:TotalPrepaidAmount', t.prepaidAmount);
      amount('ram:DuePayableAmount', t.payableAmount);
    });
    const credited = doc.creditedInvoice;
    if (credited) {
      // BG-3: the credited invoice's number (BT-25) and date (BT-26).
      x.element('ram:InvoiceReferencedDocument', null, () => {
        x.leaf('ram:IssuerAssignedID', credited.number);
        writeDate(x, 'ram:FormattedIssueDateTime', credited.issueDate, 'qdt');
      });
    }
  });
}
