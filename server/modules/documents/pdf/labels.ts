/**
 * The words and number formats of the printed invoice, in Dutch and English. Amounts are formatted
 * from bigint minor units by hand, exactly; only country names come from Intl, whose ICU data ships
 * with Node itself, so one Node version always prints the same names.
 */
import { minorUnits } from '../../../../domain/currency.ts';
import type { VatCategory } from '../../../../domain/vat-rates.ts';

/** The languages an invoice can be printed in. */
export type Lang = 'nl' | 'en';

const WORDS = {
  invoice: { nl: 'Factuur', en: 'Invoice' },
  creditNote: { nl: 'Creditnota', en: 'Credit note' },
  billTo: { nl: 'Factuur aan', en: 'Bill to' },
  invoiceNumber: { nl: 'Factuurnummer', en: 'Invoice number' },
  creditNoteNumber: { nl: 'Creditnotanummer', en: 'Credit note number' },
  invoiceDate: { nl: 'Factuurdatum', en: 'Invoice date' },
  creditNoteDate: { nl: 'Datum', en: 'Date' },
  dueDate: { nl: 'Vervaldatum', en: 'Due date' },
  supplyDate: { nl: 'Leverdatum', en: 'Date of supply' },
  period: { nl: 'Periode', en: 'Period' },
  buyerReference: { nl: 'Uw referentie', en: 'Your reference' },
  orderReference: { nl: 'Ordernummer', en: 'Order number' },
  creditedInvoice: { nl: 'Crediteert factuur', en: 'Credits invoice' },
  creditedInvoiceOf: { nl: 'van', en: 'of' },
  description: { nl: 'Omschrijving', en: 'Description' },
  quantity: { nl: 'Aantal', en: 'Qty' },
  unit: { nl: 'Eenheid', en: 'Unit' },
  unitPrice: { nl: 'Prijs excl. btw', en: 'Price excl. VAT' },
  discount: { nl: 'Korting', en: 'Discount' },
  vat: { nl: 'Btw', en: 'VAT' },
  amount: { nl: 'Bedrag', en: 'Amount' },
  subtotal: { nl: 'Subtotaal', en: 'Subtotal' },
  allowance: { nl: 'Korting', en: 'Discount' },
  charge: { nl: 'Toeslag', en: 'Charge' },
  totalExcl: { nl: 'Totaal excl. btw', en: 'Total excl. VAT' },
  totalVat: { nl: 'Totaal btw', en: 'Total VAT' },
  totalIncl: { nl: 'Totaal incl. btw', en: 'Total incl. VAT' },
  prepaid: { nl: 'Reeds betaald', en: 'Paid in advance' },
  rounding: { nl: 'Afronding', en: 'Rounding' },
  payable: { nl: 'Te betalen', en: 'Amount due' },
  credited: { nl: 'Te crediteren', en: 'Amount credited' },
  vatBreakdown: { nl: 'Btw-specificatie', en: 'VAT breakdown' },
  rate: { nl: 'Tarief', en: 'Rate' },
  taxable: { nl: 'Grondslag', en: 'Taxable amount' },
  vatInEur: { nl: 'Btw in EUR', en: 'VAT in EUR' },
  exchangeRate: { nl: 'koers', en: 'rate' },
  paymentDetails: { nl: 'Betaalgegevens', en: 'Payment details' },
  payBefore: { nl: 'Graag voldoen vóór', en: 'Please pay by' },
  iban: { nl: 'IBAN', en: 'IBAN' },
  bic: { nl: 'BIC', en: 'BIC' },
  accountName: { nl: 'Ten name van', en: 'Account holder' },
  reference: { nl: 'Betalingskenmerk', en: 'Payment reference' },
  scanToPay: { nl: 'Scan met uw bank-app', en: 'Scan with your banking app' },
  kvk: { nl: 'KvK', en: 'CoC (KvK)' },
  vatNumber: { nl: 'Btw-nr.', en: 'VAT no.' },
  buyerVatNumber: { nl: 'Btw-nummer', en: 'VAT number' },
  page: { nl: 'pagina', en: 'page' },
  privacyRequest: {
    nl: 'Vragen over uw persoonsgegevens of een privacyverzoek',
    en: 'Questions about your personal data, or a privacy request',
  },
  of: { nl: 'van', en: 'of' },
  continued: { nl: 'vervolg', en: 'continued' },
} as const;

/** A label in the document's language. */
export function label(key: keyof typeof WORDS, lang: Lang): string {
  return WORDS[key][lang];
}

const MONTHS = {
  nl: 'januari februari maart april mei juni juli augustus september oktober november december'.split(' '),
  en: 'January February March April May June July August September October November December'.split(' '),
};

/** An ISO date as "15 januari 2026" or "15 January 2026". */
export function formatDate(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[lang][Number(m) - 1] ?? m} ${y}`;
}

const SYMBOLS: Record<string, string> = { EUR: '€', USD: '$', GBP: '£' };

function groupDigits(int: string, separator: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** Minor units as money: "€ 1.234,56" in Dutch, "€1,234.56" in English; other currencies by code. */
export function formatMoney(minor: bigint, currency: string, lang: Lang): string {
  const digits = minorUnits(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const int = abs.slice(0, abs.length - digits);
  const frac = abs.slice(abs.length - digits);
  const number =
    lang === 'nl'
      ? groupDigits(int, '.') + (digits ? `,${frac}` : '')
      : groupDigits(int, ',') + (digits ? `.${frac}` : '');
  const symbol = SYMBOLS[currency];
  const sign = negative ? '−' : '';
  if (lang === 'nl') return `${symbol ?? currency} ${sign}${number}`;
  return symbol ? `${sign}${symbol}${number}` : `${sign}${currency} ${number}`;
}

/**
 * A decimal string as entered ("2.5", "-1", "12.3456") in local notation; `minDecimals` pads prices
 * to cents ("12,50") while quantities keep what was entered.
 */
export function formatDecimalText(value: string, lang: Lang, minDecimals = 0): string {
  const negative = value.startsWith('-');
  const [intRaw = '0', fracRaw = ''] = value.replace(/^[-+]/, '').split('.');
  const frac = fracRaw.replace(/0+$/, '').padEnd(minDecimals, '0');
  const int = groupDigits(intRaw.replace(/^0+(?=\d)/, ''), lang === 'nl' ? '.' : ',');
  const sep = lang === 'nl' ? ',' : '.';
  return `${negative ? '−' : ''}${int}${frac ? sep + frac : ''}`;
}

const UNITS: Record<string, { nl: string; en: string }> = {
  C62: { nl: 'stuk', en: 'pc' },
  H87: { nl: 'stuk', en: 'pc' },
  EA: { nl: 'stuk', en: 'each' },
  HUR: { nl: 'uur', en: 'hour' },
  MIN: { nl: 'min', en: 'min' },
  DAY: { nl: 'dag', en: 'day' },
  WEE: { nl: 'week', en: 'week' },
  MON: { nl: 'maand', en: 'month' },
  ANN: { nl: 'jaar', en: 'year' },
  KGM: { nl: 'kg', en: 'kg' },
  GRM: { nl: 'g', en: 'g' },
  MTR: { nl: 'm', en: 'm' },
  MTK: { nl: 'm²', en: 'm²' },
  MTQ: { nl: 'm³', en: 'm³' },
  KMT: { nl: 'km', en: 'km' },
  LTR: { nl: 'liter', en: 'litre' },
  KWH: { nl: 'kWh', en: 'kWh' },
  LS: { nl: 'post', en: 'lump sum' },
  SET: { nl: 'set', en: 'set' },
  PR: { nl: 'paar', en: 'pair' },
};

/** A UN/ECE Rec 20 unit code as people read it ("HUR" → "uur"); unknown codes print as they are. */
export function unitName(code: string, lang: Lang): string {
  return UNITS[code]?.[lang] ?? code;
}

const CATEGORY_WORDS: Record<Exclude<VatCategory, 'S' | 'Z'>, { nl: string; en: string }> = {
  AE: { nl: 'verlegd', en: 'reverse charge' },
  K: { nl: 'ICL', en: 'intra-EU' },
  G: { nl: 'export', en: 'export' },
  E: { nl: 'vrijgesteld', en: 'exempt' },
  O: { nl: 'n.v.t.', en: 'n/a' },
};

/**
 * How a line's or group's VAT rate is printed: "21 %" for S and Z; a word for the special categories,
 * so a KOR or exempt line never shows "0 %".
 */
export function vatRateText(category: string, rate: string, lang: Lang): string {
  if (category === 'S' || category === 'Z') return `${formatDecimalText(rate, lang)} %`;
  return CATEGORY_WORDS[category as keyof typeof CATEGORY_WORDS]?.[lang] ?? category;
}

const regionNames = {
  nl: new Intl.DisplayNames(['nl'], { type: 'region' }),
  en: new Intl.DisplayNames(['en'], { type: 'region' }),
};

/** A country code as a name in the document's language ("DE" → "Duitsland"). */
export function countryName(code: string, lang: Lang): string {
  try {
    return regionNames[lang].of(code) ?? code;
  } catch {
    return code;
  }
}
