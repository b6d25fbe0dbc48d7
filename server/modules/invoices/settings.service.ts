/**
 * The seller details and number format a business's invoices use. Issuing copies the seller from
 * here into each invoice, so a later change never alters an issued invoice.
 */
import { AppError, type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import {
  validateBic,
  validateDutchPostalCode,
  validateEmail,
  validateIban,
  validateKvk,
  validateVatNumber,
} from '../../../domain/identifiers.ts';
import { parseNumberFormat } from '../../../domain/numbering.ts';
import type { Checked } from '../../../domain/result.ts';
import type { Ctx } from '../../context.ts';
import { assertMayWrite } from './invoices.policy.ts';
import { inInvoiceTx } from './invoices.tx.ts';
import { findSettings, type InvoiceSettings, saveSettings } from './settings.repo.ts';

/** What a client sends to set the seller details. */
export interface SettingsInput {
  name: string;
  address?: { street?: string | null; postalCode?: string | null; city?: string | null; country?: string };
  vatNumber?: string | null;
  kvkNumber?: string | null;
  iban?: string | null;
  bic?: string | null;
  email?: string | null;
  phone?: string | null;
  /**
   * Who represents the business in its processing agreement ("J. de Vries, directeur"); null clears
   * it, leaving it out keeps the current one (clients that predate the field do not wipe it).
   */
  representative?: string | null;
  /** The small-business scheme (KOR): no VAT is charged on any invoice. */
  isKor?: boolean;
  /** Default `{YYYY}-{seq:4}`: one series per calendar year. */
  numberFormat?: string;
  defaultPaymentTermDays?: number;
}

/** The longest representative text: a name and a role. */
export const REPRESENTATIVE_MAX = 120;

/** The default number format: one unbroken series per calendar year, e.g. 2026-0001. */
export const DEFAULT_NUMBER_FORMAT = '{YYYY}-{seq:4}';

function validate(input: SettingsInput): Omit<InvoiceSettings, 'updatedAt' | 'representative'> & {
  representative: string | null | undefined;
} {
  const issues: FieldIssue[] = [];
  const check = (path: string, value: string | null | undefined, rule: (v: string) => Checked<string>) => {
    if (!value?.trim()) return null;
    const r = rule(value);
    if (!r.ok) issues.push({ path, code: r.code, message: 'Not valid' });
    return r.ok ? r.value : null;
  };
  const text = (path: string, value: string | null | undefined, max: number) => {
    const v = value?.trim() || null;
    if (v && v.length > max) issues.push({ path, code: 'too_long', message: `At most ${max} characters` });
    return v;
  };
  const name = text('name', input.name, 200);
  if (!name) issues.push({ path: 'name', code: 'required', message: 'The business name is required' });
  const country = input.address?.country?.trim().toUpperCase() || 'NL';
  if (!/^[A-Z]{2}$/.test(country)) {
    issues.push({ path: 'address.country', code: 'country_format', message: 'An ISO country code like NL' });
  }
  const format = parseNumberFormat(input.numberFormat ?? DEFAULT_NUMBER_FORMAT);
  if (!format.ok)
    issues.push({ path: 'numberFormat', code: format.code, message: 'Not a valid number format' });
  const days = input.defaultPaymentTermDays ?? 30;
  if (!Number.isInteger(days) || days < 0 || days > 365) {
    issues.push({ path: 'defaultPaymentTermDays', code: 'out_of_range', message: 'From 0 to 365 days' });
  }
  const seller = {
    name: name ?? '',
    street: text('address.street', input.address?.street, 200),
    postalCode:
      country === 'NL'
        ? check('address.postalCode', input.address?.postalCode, validateDutchPostalCode)
        : text('address.postalCode', input.address?.postalCode, 20),
    city: text('address.city', input.address?.city, 100),
    country,
    vatNumber: check('vatNumber', input.vatNumber, validateVatNumber),
    kvkNumber: check('kvkNumber', input.kvkNumber, validateKvk),
    iban: check('iban', input.iban, validateIban),
    bic: check('bic', input.bic, validateBic),
    email: check('email', input.email, validateEmail),
    isKor: input.isKor ?? false,
  };
  const phone = text('phone', input.phone, 40);
  // Its length is checked by setInvoiceSettings (422 representative_too_long) before this runs.
  const representative =
    input.representative === undefined ? undefined : input.representative?.trim() || null;
  if (issues.length > 0) throw invalidInput(issues);
  return {
    seller,
    phone,
    representative,
    numberFormat: format.ok ? format.value.source : '',
    defaultPaymentTermDays: days,
  };
}

/** Sets the seller details and number format, and records `invoice_settings.updated`. */
export async function setInvoiceSettings(ctx: Ctx, input: SettingsInput): Promise<InvoiceSettings> {
  assertMayWrite(ctx.access);
  // Refused on its own, before the other fields: a clear 422 with a code the web app names.
  if ((input.representative?.trim().length ?? 0) > REPRESENTATIVE_MAX) {
    throw new AppError('unprocessable', 'representative_too_long', 'The representative is too long', [
      {
        path: 'representative',
        code: 'representative_too_long',
        message: `At most ${REPRESENTATIVE_MAX} characters`,
      },
    ]);
  }
  const valid = validate(input);
  return inInvoiceTx(ctx, async ({ tx, keys, at, record }) => {
    const representative =
      valid.representative === undefined
        ? ((await findSettings(tx, keys))?.representative ?? null)
        : valid.representative;
    const settings = { ...valid, representative };
    await saveSettings(tx, keys, settings, at);
    await record('invoice_settings.updated', 'invoice_settings', ctx.tenantId, {
      numberFormat: settings.numberFormat,
      isKor: settings.seller.isKor,
    });
    return { ...settings, updatedAt: at };
  });
}

/** Returns the settings; a business that has none yet gets `invoice_settings_missing`. */
export async function getInvoiceSettings(ctx: Ctx): Promise<InvoiceSettings> {
  return inInvoiceTx(ctx, async ({ tx, keys }) => {
    const settings = await findSettings(tx, keys);
    if (!settings) throw settingsMissing();
    return settings;
  });
}

/** The 409 for issuing before the seller details exist. */
export function settingsMissing(): AppError {
  return new AppError('conflict', 'invoice_settings_missing', 'Set the seller details before issuing');
}
