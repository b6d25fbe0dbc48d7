/**
 * UBL 2.1 building blocks shared by the document and its lines: parties (BG-4, BG-7), tax categories,
 * allowances and charges. Element order follows the UBL 2.1 schema, which the XSD check enforces.
 */

import type { DocumentParty, InvoiceDocument } from '../../../../domain/invoice-document.ts';
import {
  electronicAddress,
  exemptionFor,
  formatAmount,
  formatRate,
  hasRate,
  vatNumberToWrite,
  type WrittenAdjustment,
} from './common.ts';
import type { XmlWriter } from './xml.ts';

/** Which UBL customization is written. */
export type UblFormat = 'peppol' | 'nlcius';

/** The UBL namespaces of the document roots and the component libraries. */
export const UBL_NS = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/** Writes a `cac:TaxScheme` with VAT, the only tax scheme an EN 16931 VAT breakdown knows. */
export function writeVatScheme(x: XmlWriter): void {
  x.element('cac:TaxScheme', null, () => x.leaf('cbc:ID', 'VAT'));
}

/**
 * Writes a tax category (line BT-151/152, allowance BT-95/96, breakdown BT-118/119/120/121). The
 * exemption reason is written only in the breakdown; NLCIUS advises against the code (BR-NL-35),
 * so there the text alone carries it, which BR-E-10 … BR-O-10 accept.
 */
export function writeTaxCategory(
  x: XmlWriter,
  name: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory',
  doc: InvoiceDocument,
  category: string,
  rate: string,
  options: { withReason?: boolean; format: UblFormat },
): void {
  x.element(name, null, () => {
    x.leaf('cbc:ID', category);
    if (hasRate(category)) x.leaf('cbc:Percent', formatRate(rate));
    if (options.withReason) {
      const reason = exemptionFor(doc, category);
      if (options.format === 'peppol') x.leaf('cbc:TaxExemptionReasonCode', reason?.code);
      x.leaf('cbc:TaxExemptionReason', reason?.text);
    }
    writeVatScheme(x);
  });
}

/** Writes one allowance or charge; document-level ones carry their VAT category (BT-95, BT-102). */
export function writeAllowanceCharge(
  x: XmlWriter,
  doc: InvoiceDocument,
  adjustment: WrittenAdjustment,
  format: UblFormat,
): void {
  const currencyID = doc.currency;
  x.element('cac:AllowanceCharge', null, () => {
    x.leaf('cbc:ChargeIndicator', adjustment.isCharge ? 'true' : 'false');
    x.leaf('cbc:AllowanceChargeReason', adjustment.reason);
    if (adjustment.percent !== undefined) x.leaf('cbc:MultiplierFactorNumeric', adjustment.percent);
    x.leaf('cbc:Amount', formatAmount(adjustment.amount, doc.currency), { currencyID });
    if (adjustment.baseAmount !== undefined) {
      x.leaf('cbc:BaseAmount', formatAmount(adjustment.baseAmount, doc.currency), { currencyID });
    }
    if (adjustment.vat)
      writeTaxCategory(x, 'cac:TaxCategory', doc, adjustment.vat.category, adjustment.vat.rate, { format });
  });
}

function writeAddress(x: XmlWriter, party: DocumentParty): void {
  x.element('cac:PostalAddress', null, () => {
    x.leaf('cbc:StreetName', party.address.street);
    x.leaf('cbc:CityName', party.address.city);
    x.leaf('cbc:PostalZone', party.address.postalCode);
    x.element('cac:Country', null, () => x.leaf('cbc:IdentificationCode', party.address.country));
  });
}

/**
 * Writes a party: electronic address (BT-34/49), trading name (BT-28/45), address (BG-5/8), VAT
 * number (BT-31/48), legal name and KvK number under scheme 0106 (BT-27/30, BT-44/47; NL-R-003,
 * BR-NL-1, BR-NL-10), and contact (BG-6/9).
 */
export function writeParty(x: XmlWriter, doc: InvoiceDocument, role: 'seller' | 'buyer'): void {
  const party = doc[role];
  const wrapper = role === 'seller' ? 'cac:AccountingSupplierParty' : 'cac:AccountingCustomerParty';
  x.element(wrapper, null, () =>
    x.element('cac:Party', null, () => {
      const address = electronicAddress(party);
      // Peppol requires it (R010/R020); NLCIUS only checks its scheme, so a consumer may go without.
      if (address) x.leaf('cbc:EndpointID', address.id, { schemeID: address.scheme });
      if (party.tradingName?.trim() && party.tradingName.trim() !== party.name.trim()) {
        x.element('cac:PartyName', null, () => x.leaf('cbc:Name', party.tradingName));
      }
      writeAddress(x, party);
      const vat = vatNumberToWrite(doc, party);
      if (vat) {
        x.element('cac:PartyTaxScheme', null, () => {
          x.leaf('cbc:CompanyID', vat);
          writeVatScheme(x);
        });
      }
      x.element('cac:PartyLegalEntity', null, () => {
        x.leaf('cbc:RegistrationName', party.name);
        x.leaf('cbc:CompanyID', party.kvkNumber, { schemeID: '0106' });
      });
      const contact = party.contact;
      if (contact) {
        x.element('cac:Contact', null, () => {
          x.leaf('cbc:Name', contact.name);
          x.leaf('cbc:Telephone', contact.phone);
          x.leaf('cbc:ElectronicMail', contact.email);
        });
      }
    }),
  );
}
