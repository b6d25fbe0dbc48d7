/**
 * Validators for the identifiers on an invoice: IBAN, BIC, EU VAT numbers (with the Dutch btw-id's
 * checksums), KvK numbers, Dutch postal codes and e-mail addresses. Each returns the normalised value
 * (the one form we store and print) or a stable issue code; none of them does any I/O.
 */

import { accept, type Checked, refuse } from './result.ts';

/** The 27 EU member states (ISO 3166-1 alpha-2; Greece is GR here, EL only in VAT numbers). */
export const EU_MEMBER_STATES: ReadonlySet<string> = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);

/** True when `country` (ISO alpha-2) is an EU member state. */
export function isEuMemberState(country: string): boolean {
  return EU_MEMBER_STATES.has(country);
}

// Length of a full IBAN per country, from the SWIFT IBAN registry. French overseas territories use FR.
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 ' +
    'DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 ' +
    'IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 ' +
    'MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 ' +
    'SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

/** ISO 7064 mod 97-10 of an alphanumeric string, letters counting A=10 … Z=35 (IBAN, Dutch btw-id). */
export function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = char >= 'A' && char <= 'Z' ? char.charCodeAt(0) - 55 : char.charCodeAt(0) - 48;
    // One or two digits at a time keeps the remainder small without bigint.
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder;
}

/** Validates an IBAN: spaces and case are normalised, then country, length and mod 97 are checked. */
export function validateIban(text: string): Checked<string> {
  const iban = String(text).replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban)) return refuse('iban_format');
  const length = IBAN_LENGTHS.get(iban.slice(0, 2));
  if (length === undefined) return refuse('iban_country');
  if (iban.length !== length) return refuse('iban_length');
  if (iban.startsWith('NL') && !/^NL\d{2}[A-Z]{4}\d{10}$/.test(iban)) return refuse('iban_format');
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return refuse('iban_checksum');
  return accept(iban);
}

/** Prints a normalised IBAN in groups of four, as people read and type it. */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/** Validates a BIC (ISO 9362): 8 or 11 characters, bank code letters, country letters. */
export function validateBic(text: string): Checked<string> {
  const bic = String(text).replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic) ? accept(bic) : refuse('bic_format');
}

/** The Dutch 11-check (elfproef) on 9 digits: weights 9..2 on the first eight, minus the ninth. */
export function passesElevenCheck(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  return (sum - Number(digits[8])) % 11 === 0;
}

// VAT number formats per prefix (after removing spaces, dots and dashes). EL is Greece, XI is
// Northern Ireland (goods only, since Brexit). Only NL's checksum is verified; VIES does the rest.
const VAT_PATTERNS: Readonly<Record<string, RegExp>> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  EL: /^EL\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO[1-9]\d{1,9}$/,
  SE: /^SE\d{10}01$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
  XI: /^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
};

/**
 * Valid Dutch btw-id: the old numbers (derived from the fiscal number) pass the 11-check on their nine
 * digits; numbers issued since 2020 pass ISO 7064 mod 97-10 over the whole string (N=23, L=21, B=11).
 */
export function isValidDutchVatNumber(vat: string): boolean {
  if (!VAT_PATTERNS.NL?.test(vat)) return false;
  return passesElevenCheck(vat.slice(2, 11)) || mod97(vat) === 1;
}

/**
 * Validates an EU VAT number (prefix + number; EL for Greece, XI for Northern Ireland). Spaces, dots
 * and dashes are removed. A bare BSN is refused outright, so a citizen service number is never stored
 * in a VAT field by mistake.
 */
export function validateVatNumber(text: string): Checked<string> {
  const vat = String(text)
    .replace(/[\s.-]+/g, '')
    .toUpperCase();
  if (/^\d{9}$/.test(vat)) return refuse(passesElevenCheck(vat) ? 'vat_number_is_bsn' : 'vat_number_format');
  const pattern = VAT_PATTERNS[vat.slice(0, 2)];
  if (!pattern) return refuse('vat_number_country');
  if (!pattern.test(vat)) return refuse('vat_number_format');
  if (vat.startsWith('NL') && !isValidDutchVatNumber(vat)) return refuse('vat_number_checksum');
  return accept(vat);
}

/** The member state (ISO alpha-2) that issued a normalised VAT number: EL → GR; XI stays XI. */
export function vatNumberCountry(vat: string): string | undefined {
  const prefix = vat.slice(0, 2);
  if (!VAT_PATTERNS[prefix]) return undefined;
  return prefix === 'EL' ? 'GR' : prefix;
}

/** Validates a KvK (Dutch chamber of commerce) number: exactly 8 digits; spaces are removed. */
export function validateKvk(text: string): Checked<string> {
  const kvk = String(text).replace(/\s+/g, '');
  return /^\d{8}$/.test(kvk) ? accept(kvk) : refuse('kvk_format');
}

/**
 * Validates a Dutch postal code and prints it as "1234 AB". PostNL never issues codes starting with 0
 * nor the letter pairs SA, SD and SS.
 */
export function validateDutchPostalCode(text: string): Checked<string> {
  const code = String(text).replace(/\s+/g, '').toUpperCase();
  const match = /^([1-9]\d{3})([A-Z]{2})$/.exec(code);
  if (!match) return refuse('postal_code_format');
  const [, digits, letters = ''] = match;
  if (['SA', 'SD', 'SS'].includes(letters)) return refuse('postal_code_format');
  return accept(`${digits} ${letters}`);
}

/** The longest address SMTP can carry (RFC 5321 path limit minus the angle brackets). */
export const EMAIL_MAX_LENGTH = 254;

// Pragmatic, not RFC 5322: no quoted local parts or IP literals, which invoices never need.
const EMAIL_LOCAL = /^[^\s@"(),:;<>[\]\\]+$/;
const EMAIL_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** Validates an e-mail address pragmatically; trims it and lower-cases the domain (never the local part). */
export function validateEmail(text: string): Checked<string> {
  const email = String(text).trim();
  if (email.length > EMAIL_MAX_LENGTH) return refuse('email_too_long');
  const at = email.lastIndexOf('@');
  if (at < 1) return refuse('email_format');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const tld = labels.at(-1) ?? '';
  const isLocalOk =
    local.length <= 64 && EMAIL_LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.');
  const isDomainOk =
    labels.length >= 2 &&
    labels.every((label) => EMAIL_LABEL.test(label)) &&
    /^(\p{L}{2,}|xn--[a-z0-9-]+)$/u.test(tld);
  if (!isLocalOk || local.includes('..') || !isDomainOk) return refuse('email_format');
  return accept(`${local}@${domain}`);
}
