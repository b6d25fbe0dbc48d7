/**
 * What the UBL and CII writers share: how amounts, rates and dates are written, which identifiers a
 * party gets, which exemption reason goes with a VAT category, and the allowances and charges of a
 * line or of the document in one shape. Pure functions of the frozen InvoiceDocument.
 */

import { minorUnits } from '../../../../domain/currency.ts';
import { formatDecimal, fromUnits } from '../../../../domain/decimal.ts';
import type { DocumentParty, InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { amountDecimals } from '../../../../domain/totals.ts';
import { parseVatRate } from '../../../../domain/vat-rates.ts';

/**
 * An amount in minor units written with the decimals EN 16931 allows for the currency (its minor
 * digits, at most 2: BR-DEC-01 and friends). Totals are rounded to those decimals already, so this
 * never rounds; it throws if it would have to.
 */
export function formatAmount(minor: bigint, currency: string): string {
  return formatDecimal(fromUnits(minor, minorUnits(currency)), amountDecimals(currency));
}

/** A VAT rate in canonical form ("21", "5.5"), as BT-119 and BT-152 are compared numerically. */
export function formatRate(rate: string): string {
  const parsed = parseVatRate(rate);
  if (!parsed.ok) throw new RangeError(`Not a VAT rate: ${rate}`);
  return parsed.value;
}

/** An ISO date as CII's format 102 wants it: YYYYMMDD. */
export function compactDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`Not an ISO date: ${isoDate}`);
  return isoDate.replaceAll('-', '');
}

// Peppol electronic address schemes (EAS) for VAT numbers, by the number's prefix. Only schemes in
// the Peppol EAS list; a party elsewhere needs its electronicAddress set explicitly.
const VAT_EAS: Readonly<Record<string, string>> = {
  AT: '9914',
  BE: '9925',
  BG: '9926',
  CY: '9928',
  CZ: '9929',
  DE: '9930',
  EE: '9931',
  EL: '9933',
  ES: '9920',
  FR: '9957',
  HR: '9934',
  HU: '9910',
  IE: '9935',
  LT: '9937',
  LU: '9938',
  LV: '9939',
  MT: '9943',
  NL: '9944',
  PL: '9945',
  PT: '9946',
  RO: '9947',
  SI: '9949',
  SK: '9950',
};

/**
 * The electronic address of a party (BT-34 / BT-49): the one given; else the KvK number under 0106
 * (a Dutch legal entity is reachable on Peppol by it); else the VAT number under its country's VAT
 * scheme; else none.
 */
export function electronicAddress(party: DocumentParty): { scheme: string; id: string } | null {
  if (party.electronicAddress?.id.trim()) return party.electronicAddress;
  if (party.kvkNumber?.trim()) return { scheme: '0106', id: party.kvkNumber.trim() };
  const vat = party.vatNumber?.trim();
  const scheme = vat ? VAT_EAS[vat.slice(0, 2)] : undefined;
  return vat && scheme ? { scheme, id: vat } : null;
}

/**
 * True when the document has a line, allowance or charge outside the scope of VAT (category O): it
 * then must not carry the seller's or the buyer's VAT number (BR-O-02), and carries no rates (BR-O-05).
 */
export function isOutsideScope(doc: InvoiceDocument): boolean {
  return doc.totals.vatBreakdown.some((group) => group.vatCategory === 'O');
}

/** The VAT number to write for a party: none when the document is outside the scope of VAT (BR-O-02). */
export function vatNumberToWrite(doc: InvoiceDocument, party: DocumentParty): string | null {
  return isOutsideScope(doc) ? null : (party.vatNumber?.trim() ?? null) || null;
}

/** True when a category's rate is written: never for O (BR-O-05, BR-O-06, BR-O-07). */
export function hasRate(category: string): boolean {
  return category !== 'O';
}

/**
 * The exemption reason of a VAT category (BT-120 text, BT-121 code) from the texts the VAT engine
 * decided; S and Z carry none (BR-S-10, BR-Z-10). E, AE, K, G and O always carry one (BR-E-10 …).
 */
export function exemptionFor(doc: InvoiceDocument, category: string): { code?: string; text: string } | null {
  if (category === 'S' || category === 'Z') return null;
  const found = doc.texts.find((t) => t.category === category);
  if (found) return { ...(found.code ? { code: found.code } : {}), text: found.text };
  return null;
}

/** Every document note (BT-22) in one text: Peppol allows one note only (PEPPOL-EN16931-R002). */
export function documentNote(doc: InvoiceDocument): string | null {
  const notes = doc.notes.map((n) => n.trim()).filter((n) => n !== '');
  return notes.length > 0 ? notes.join('\n') : null;
}

/** An allowance or charge as the writers write it, at line or document level. */
export interface WrittenAdjustment {
  isCharge: boolean;
  reason: string;
  amount: bigint;
  baseAmount?: bigint;
  percent?: string;
  /** Only on document level (BT-95/BT-102, BT-96/BT-103). */
  vat?: { category: string; rate: string };
}

const LINE_REASONS = {
  nl: { allowance: 'Korting', charge: 'Toeslag' },
  en: { allowance: 'Discount', charge: 'Surcharge' },
} as const;

/**
 * The allowance and charge of line `index` (BG-27, BG-28). The document keeps the line's discount
 * as given and its charges as one sum, so there is at most one of each; each gets a reason in the
 * document's language, as BR-42 and BR-44 require one.
 */
export function lineAdjustments(doc: InvoiceDocument, index: number): WrittenAdjustment[] {
  const line = doc.lines[index];
  const totals = doc.totals.lines[index];
  if (!line || !totals) throw new RangeError(`No line ${index}`);
  const reasons = LINE_REASONS[doc.language];
  const out: WrittenAdjustment[] = [];
  if (totals.allowanceAmount !== 0n) {
    const percent = line.discount && 'percent' in line.discount ? line.discount.percent : undefined;
    out.push({
      isCharge: false,
      reason: reasons.allowance,
      amount: totals.allowanceAmount,
      // BT-137 and BT-138 go together (PEPPOL-EN16931-R041/R042); the base of a percent is the gross.
      ...(percent === undefined ? {} : { baseAmount: totals.grossAmount, percent }),
    });
  }
  if (totals.chargeAmount !== 0n) {
    out.push({ isCharge: true, reason: reasons.charge, amount: totals.chargeAmount });
  }
  return out;
}

/** The document-level allowances (BG-20) then charges (BG-21), with their reasons and VAT. */
export function documentAdjustments(doc: InvoiceDocument): WrittenAdjustment[] {
  const build =
    (isCharge: boolean) => (total: InvoiceDocument['totals']['allowances'][number], i: number) => {
      const given = (isCharge ? doc.charges : doc.allowances)[i];
      if (!given) throw new RangeError(`No document ${isCharge ? 'charge' : 'allowance'} ${i}`);
      return {
        isCharge,
        reason: given.reason,
        amount: total.amount,
        ...(total.percent === undefined || total.baseAmount === undefined
          ? {}
          : { baseAmount: total.baseAmount, percent: total.percent }),
        vat: { category: total.vatCategory, rate: total.vatRate },
      };
    };
  return [...doc.totals.allowances.map(build(false)), ...doc.totals.charges.map(build(true))];
}

/**
 * The payment means code (BT-81): 58, SEPA credit transfer, for EUR; 30, credit transfer, for any
 * other currency, since SEPA carries euros only. Both are allowed by NL-R-008 and BR-NL-12.
 */
export function paymentMeansCode(doc: InvoiceDocument): '58' | '30' {
  return doc.currency === 'EUR' ? '58' : '30';
}

/** The buyer reference to write: BT-10 as given, or the invoice number when neither BT-10 nor BT-13 is known (ADR 0040). */
export function buyerReference(doc: InvoiceDocument): string | null {
  if (doc.buyerReference?.trim()) return doc.buyerReference;
  return doc.orderReference?.trim() ? null : doc.number;
}
