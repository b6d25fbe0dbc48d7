/**
 * Dutch and EU VAT rules that depend on the whole invoice: which category fits which rate, what each
 * special case (reverse charge, intra-community supply, export, exemption, KOR) requires, and the
 * legal texts an invoice must print. Field formats (a VAT number's checksum) are checked elsewhere,
 * per field; this module assumes them and checks how the fields fit together.
 */

import type { IsoDate } from './dates.ts';
import type { FieldIssue } from './errors.ts';
import { invalidInput } from './errors.ts';
import { isEuMemberState, vatNumberCountry } from './identifiers.ts';
import {
  defaultExemptionReasonCode,
  isRateInTable,
  isVatCategory,
  parseVatRate,
  VAT_CATEGORIES,
  VAT_RATE_TABLES,
  VATEX_CODES,
  type VatCategory,
} from './vat-rates.ts';

/** The VAT part of an invoice line, document allowance or document charge. */
export interface VatItemInput {
  vatCategory: string;
  vatRate: string;
}

/** What the VAT rules need to know about an invoice. Countries are ISO 3166-1 alpha-2. */
export interface VatInvoiceInput {
  issueDate: IsoDate;
  /** Date of supply (BT-72) when it differs from the issue date; it decides the rate. */
  supplyDate?: IsoDate;
  seller: { country: string; vatNumber?: string; isKor?: boolean };
  buyer: { country: string; vatNumber?: string };
  /** Deliver-to country (BT-80): required for intra-community supplies, checked for exports. */
  deliveryCountry?: string;
  /** Exemption reason text (BT-120) for category E, e.g. "Vrijgesteld op grond van art. 11 Wet OB". */
  exemptionReason?: string;
  /** Exemption reason code (BT-121) for category E, a VATEX-EU code. */
  exemptionReasonCode?: string;
  lines: readonly VatItemInput[];
  allowances?: readonly VatItemInput[];
  charges?: readonly VatItemInput[];
}

// Since Brexit, Northern Ireland (XI) is still inside the EU VAT area for goods.
function isOtherMemberStateForGoods(country: string | undefined, sellerCountry: string): boolean {
  return country !== undefined && (isEuMemberState(country) || country === 'XI') && country !== sellerCountry;
}

function hasText(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

// Checks one item on its own: the category is known, and the rate fits the category (and the KOR).
function checkItem(item: VatItemInput, path: string, input: VatInvoiceInput, issues: FieldIssue[]): void {
  const issue = (field: string, code: string, message: string): void => {
    issues.push({ path: `${path}.${field}`, code, message });
  };
  if (!isVatCategory(item.vatCategory)) {
    issue('vatCategory', 'vat_category_unknown', 'VAT category must be one of S, Z, E, AE, K, G, O');
    return;
  }
  const rate = parseVatRate(item.vatRate);
  if (!rate.ok) {
    issue(
      'vatRate',
      'vat_rate_format',
      'VAT rate must be a percentage between 0 and 100, at most 2 decimals',
    );
    return;
  }
  const isZeroRate = rate.value === '0';
  if (input.seller.isKor) {
    // Under the KOR no VAT is charged at all: the line is exempt, and an invoice must not show "0 %".
    if (item.vatCategory !== 'E') {
      issue('vatCategory', 'kor_requires_exempt_category', 'Under the KOR every line is VAT category E');
    }
    if (!isZeroRate) issue('vatRate', 'kor_forbids_vat_rate', 'Under the KOR no VAT rate may be charged');
    return;
  }
  if (item.vatCategory === 'S') {
    const date = input.supplyDate ?? input.issueDate;
    const table = VAT_RATE_TABLES[input.seller.country];
    if (isZeroRate) {
      issue('vatRate', 'standard_rate_must_be_positive', 'Category S needs a rate above 0; use Z for 0 %');
    } else if (table && !isRateInTable(rate.value, date, table)) {
      issue('vatRate', 'vat_rate_not_in_table', `VAT rate ${rate.value} % is not valid on ${date}`);
    }
  } else if (!isZeroRate) {
    issue('vatRate', 'vat_rate_must_be_zero', `VAT category ${item.vatCategory} always has rate 0`);
  }
}

/** The categories used anywhere on the invoice (lines, allowances, charges), in table order. */
export function categoriesUsed(
  input: Pick<VatInvoiceInput, 'lines' | 'allowances' | 'charges'>,
): VatCategory[] {
  const used = new Set(
    [...input.lines, ...(input.allowances ?? []), ...(input.charges ?? [])].map((i) => i.vatCategory),
  );
  return VAT_CATEGORIES.filter((category) => used.has(category));
}

/**
 * Every VAT problem of an invoice, each with its field path and a stable code; empty when the VAT of
 * the invoice is consistent. Follows EN 16931 (BR-S/Z/E/AE/IC/G/O) and Dutch law (rates by supply date,
 * KOR, btw verlegd).
 */
export function checkVatConsistency(input: VatInvoiceInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, code: string, message: string): void => {
    issues.push({ path, code, message });
  };
  const groups = { lines: input.lines, allowances: input.allowances ?? [], charges: input.charges ?? [] };
  for (const [name, items] of Object.entries(groups)) {
    items.forEach((item, i) => {
      checkItem(item, `${name}.${i}`, input, issues);
    });
  }

  const used = new Set(categoriesUsed(input));
  const sellerCountry = input.seller.country;
  const needsSellerVat = [...used].some((category) => category !== 'O');
  if (needsSellerVat && !hasText(input.seller.vatNumber)) {
    add('seller.vatNumber', 'seller_vat_number_required', 'The seller VAT number must be on this invoice');
  }
  if (used.has('E') && !input.seller.isKor) {
    if (!hasText(input.exemptionReason) && !hasText(input.exemptionReasonCode)) {
      add(
        'exemptionReason',
        'exempt_requires_reason',
        'Exempt supplies need the legal ground of the exemption',
      );
    }
  }
  if (hasText(input.exemptionReasonCode) && VATEX_CODES.get(input.exemptionReasonCode ?? '') !== 'E') {
    add(
      'exemptionReasonCode',
      'exemption_reason_code_unknown',
      'Not a VATEX-EU exemption code for category E',
    );
  }
  if (used.has('AE') && !hasText(input.buyer.vatNumber)) {
    add(
      'buyer.vatNumber',
      'reverse_charge_requires_buyer_vat_number',
      'Reverse charge needs the buyer VAT number',
    );
  }
  if (used.has('K')) {
    const buyerVat = input.buyer.vatNumber?.replace(/[\s.-]+/g, '').toUpperCase();
    if (!hasText(buyerVat)) {
      add(
        'buyer.vatNumber',
        'intra_community_requires_buyer_vat_number',
        'An intra-community supply needs the buyer VAT number',
      );
    } else if (!isOtherMemberStateForGoods(vatNumberCountry(buyerVat ?? ''), sellerCountry)) {
      add(
        'buyer.vatNumber',
        'intra_community_requires_other_member_state',
        'The buyer VAT number must be from another EU member state',
      );
    }
    if (!hasText(input.deliveryCountry)) {
      add('deliveryCountry', 'intra_community_requires_delivery_country', 'Give the country the goods go to');
    } else if (!isOtherMemberStateForGoods(input.deliveryCountry, sellerCountry)) {
      add(
        'deliveryCountry',
        'intra_community_requires_other_member_state',
        'The goods must go to another EU member state',
      );
    }
    if (!hasText(input.supplyDate)) {
      add(
        'supplyDate',
        'intra_community_requires_supply_date',
        'An intra-community supply needs its supply date',
      );
    }
  }
  if (used.has('G')) {
    const destination = input.deliveryCountry ?? input.buyer.country;
    if (isEuMemberState(destination) || destination === 'XI') {
      add('deliveryCountry', 'export_requires_destination_outside_eu', 'An export must leave the EU');
    }
  }
  if (used.has('O') && used.size > 1) {
    add('lines', 'outside_scope_cannot_mix', 'Category O cannot be combined with other categories (BR-O-11)');
  }
  return issues;
}

/** Throws the validation error listing every VAT problem; does nothing when the VAT is consistent. */
export function assertVatConsistency(input: VatInvoiceInput): void {
  const issues = checkVatConsistency(input);
  if (issues.length > 0) throw invalidInput(issues, 'The VAT of the invoice is not consistent');
}

/** A legal text the invoice must print, for one VAT category (also usable as BT-120). */
export interface MandatoryText {
  category: VatCategory;
  /** The VATEX code to send with it (BT-121), when there is one. */
  code?: string;
  text: string;
}

// Our own wording of the texts Dutch law asks for (art. 35a Wet OB); "Btw verlegd" is literal.
const TEXTS = {
  AE: { nl: 'Btw verlegd', en: 'VAT reverse charged' },
  K: { nl: 'Intracommunautaire levering', en: 'Intra-community supply' },
  G: { nl: 'Uitvoer buiten de EU', en: 'Export outside the EU' },
  O: { nl: 'Niet onderworpen aan btw', en: 'Not subject to VAT' },
  E: { nl: 'Vrijgesteld van btw', en: 'Exempt from VAT' },
  KOR: {
    nl: 'Geen btw berekend: vrijgesteld op grond van de kleineondernemersregeling (KOR)',
    en: 'No VAT charged: exempt under the Dutch small businesses scheme (KOR)',
  },
} as const;

/**
 * The legal texts an invoice must print, per VAT category present, in Dutch or English. For E the
 * seller's own exemption reason is used as written; under the KOR the KOR text replaces it.
 */
export function mandatoryTexts(
  input: Pick<
    VatInvoiceInput,
    'seller' | 'lines' | 'allowances' | 'charges' | 'exemptionReason' | 'exemptionReasonCode'
  >,
  lang: 'nl' | 'en',
): MandatoryText[] {
  const texts: MandatoryText[] = [];
  for (const category of categoriesUsed(input)) {
    if (category === 'S' || category === 'Z') continue;
    if (category === 'E') {
      if (input.seller.isKor) {
        texts.push({ category, text: TEXTS.KOR[lang] });
      } else {
        const reason = input.exemptionReason?.trim();
        const code = input.exemptionReasonCode?.trim();
        texts.push({ category, ...(code ? { code } : {}), text: reason ? reason : TEXTS.E[lang] });
      }
      continue;
    }
    const code = defaultExemptionReasonCode(category);
    texts.push({ category, ...(code ? { code } : {}), text: TEXTS[category][lang] });
  }
  return texts;
}
