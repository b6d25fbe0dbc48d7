/**
 * Inline validation with the same rules the server applies (domain/identifiers.ts), so a person
 * sees a wrong IBAN, VAT or KvK number while typing instead of after saving. Empty optional fields
 * are fine; the server stays the judge.
 */
import {
  validateDutchPostalCode,
  validateEmail,
  validateIban,
  validateKvk,
  validateVatNumber,
} from '../../domain/identifiers.ts';
import type { Checked } from '../../domain/result.ts';
import type { Key } from './i18n.tsx';

type Rule = (text: string) => Checked<string>;

const RULES: Record<string, { rule: Rule; message: Key }> = {
  iban: { rule: validateIban, message: 'invalid.iban' },
  vatNumber: { rule: validateVatNumber, message: 'invalid.vat' },
  kvkNumber: { rule: validateKvk, message: 'invalid.kvk' },
  email: { rule: validateEmail, message: 'invalid.email' },
  postalCode: { rule: validateDutchPostalCode, message: 'invalid.postalCode' },
};

/** The message key for a field's value, or undefined when it is empty or valid. */
export function checkField(field: keyof typeof RULES, value: string, country = 'NL'): Key | undefined {
  if (!value.trim()) return undefined;
  if (field === 'postalCode' && country.toUpperCase() !== 'NL') return undefined;
  const r = RULES[field];
  if (!r) return undefined;
  return r.rule(value).ok ? undefined : r.message;
}

/** The message key for a server issue on a field (its code), falling back to a generic one. */
export function issueKey(code: string): Key {
  if (code === 'required') return 'invalid.required';
  if (code.includes('iban')) return 'invalid.iban';
  if (code.includes('vat')) return 'invalid.vat';
  if (code.includes('kvk')) return 'invalid.kvk';
  if (code.includes('email')) return 'invalid.email';
  if (code.includes('postal')) return 'invalid.postalCode';
  return 'invalid.generic';
}
