/**
 * Customer use cases: create, read and search by identifier. Input is validated by the pure rules
 * in domain/ (every problem reported at once); values reach the repository normalised, and the
 * audit event is written in the same transaction as the change or the read.
 */
import { AppError, type FieldIssue, invalidInput, notFound } from '../../../domain/errors.ts';
import {
  validateBic,
  validateDutchPostalCode,
  validateEmail,
  validateIban,
  validateKvk,
  validateVatNumber,
} from '../../../domain/identifiers.ts';
import type { Checked } from '../../../domain/result.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { requirePermission } from '../../policy.ts';
import {
  type CustomerPersonal,
  type CustomerPlain,
  type CustomerRecord,
  findCustomer,
  findCustomersBy,
  insertCustomer,
  listCustomerRows,
  type SearchField,
  updateCustomerRow,
} from './customers.repo.ts';

/** What a client sends to create a customer. */
export interface CustomerInput {
  kind: 'person' | 'company';
  name: string;
  contactPerson?: string | null;
  email?: string | null;
  otherEmails?: string[];
  phone?: string | null;
  address?: {
    street?: string | null;
    postalCode?: string | null;
    city?: string | null;
    country?: string | null;
  };
  iban?: string | null;
  bic?: string | null;
  accountHolder?: string | null;
  vatNumber?: string | null;
  kvkNumber?: string | null;
  salutation?: string | null;
  language?: 'nl' | 'en';
  paymentTermDays?: number;
  defaultVatCategory?: string | null;
  peppolId?: string | null;
  reference?: string | null;
  notes?: string | null;
}

/** A customer as use cases return it. */
export type Customer = CustomerRecord;

const MESSAGES: Record<string, string> = {
  iban_format: 'Not an IBAN',
  iban_country: 'Unknown IBAN country',
  iban_length: 'The IBAN has the wrong length for its country',
  iban_checksum: 'The IBAN check digits do not match',
  vat_number_is_bsn: 'This looks like a citizen service number (BSN), not a VAT number',
  vat_number_checksum: 'The VAT number does not pass its check',
  kvk_format: 'A KvK number has 8 digits',
  postal_code_format: 'A Dutch postal code looks like 1234 AB',
};

/** Validates and normalises a customer as the API does, reporting every problem at once (400). */
export function validateCustomer(input: CustomerInput): {
  plain: CustomerPlain;
  personal: CustomerPersonal;
} {
  const issues: FieldIssue[] = [];
  const check = (path: string, value: string | null | undefined, rule: (v: string) => Checked<string>) => {
    if (value === null || value === undefined || value.trim() === '') return null;
    const r = rule(value);
    if (r.ok) return r.value;
    issues.push({ path, code: r.code, message: MESSAGES[r.code] ?? 'Not valid' });
    return null;
  };
  const text = (path: string, value: string | null | undefined, max: number) => {
    const v = value?.trim() || null;
    if (v && v.length > max) issues.push({ path, code: 'too_long', message: `At most ${max} characters` });
    return v;
  };
  const name = text('name', input.name, 200);
  if (!name) issues.push({ path: 'name', code: 'required', message: 'A name is required' });
  const country = input.address?.country?.trim().toUpperCase() || null;
  if (country && !/^[A-Z]{2}$/.test(country)) {
    issues.push({ path: 'address.country', code: 'country_format', message: 'An ISO country code like NL' });
  }
  const otherEmails = (input.otherEmails ?? []).map((e, i) => check(`otherEmails.${i}`, e, validateEmail));
  const personalValues = {
    name: name ?? '',
    contactPerson: text('contactPerson', input.contactPerson, 200),
    email: check('email', input.email, validateEmail),
    otherEmails: otherEmails.length ? JSON.stringify(otherEmails.filter(Boolean)) : null,
    phone: text('phone', input.phone, 40),
    street: text('address.street', input.address?.street, 200),
    postalCode:
      country === 'NL' || !country
        ? check('address.postalCode', input.address?.postalCode, validateDutchPostalCode)
        : text('address.postalCode', input.address?.postalCode, 20),
    city: text('address.city', input.address?.city, 100),
    iban: check('iban', input.iban, validateIban),
    accountHolder: text('accountHolder', input.accountHolder, 200),
    vatNumber: check('vatNumber', input.vatNumber, validateVatNumber),
    kvkNumber: check('kvkNumber', input.kvkNumber, validateKvk),
    salutation: text('salutation', input.salutation, 40),
    peppolId: text('peppolId', input.peppolId, 100),
    reference: text('reference', input.reference, 200),
    notes: text('notes', input.notes, 4000),
  };
  const bic = check('bic', input.bic, validateBic);
  const paymentTermDays = input.paymentTermDays ?? 30;
  if (!Number.isInteger(paymentTermDays) || paymentTermDays < 0 || paymentTermDays > 365) {
    issues.push({ path: 'paymentTermDays', code: 'out_of_range', message: 'From 0 to 365 days' });
  }
  if (issues.length > 0) throw invalidInput(issues);
  return {
    plain: {
      kind: input.kind,
      country,
      bic,
      language: input.language ?? 'nl',
      paymentTermDays,
      defaultVatCategory: input.defaultVatCategory ?? null,
    },
    personal: personalValues,
  };
}

/** Creates a customer and records `customer.created`. */
export async function createCustomer(ctx: Ctx, input: CustomerInput): Promise<Customer> {
  requirePermission(ctx, 'customers:write');
  const { plain, personal } = validateCustomer(input);
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const at = clock.now();
    const id = newId(at);
    await insertCustomer(tx, keys, id, plain, personal, at);
    await appendAudit(tx, keys, {
      action: 'customer.created',
      actor: ctx.actor,
      target: { type: 'customer', id },
      requestId: ctx.requestId,
      ip: ctx.ip,
      at,
    });
    const created = await findCustomer(tx, keys, id);
    if (!created) throw new Error('customer vanished inside its own transaction');
    return created;
  });
}

/** Returns one customer (another tenant's id looks exactly like a missing one) and records the read. */
export async function getCustomer(ctx: Ctx, id: string): Promise<Customer> {
  requirePermission(ctx, 'customers:read');
  if (!isUuid(id)) throw notFound('customer');
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const customer = await findCustomer(tx, keys, id);
    if (!customer) throw notFound('customer');
    await appendAudit(tx, keys, {
      action: 'customer.viewed',
      actor: ctx.actor,
      target: { type: 'customer', id },
      requestId: ctx.requestId,
      ip: ctx.ip,
      at: clock.now(),
    });
    return customer;
  });
}

/** Finds customers by an exact identifier (name, e-mail, IBAN, VAT or KvK number), without plaintext in the database. */
export async function searchCustomers(ctx: Ctx, field: SearchField, value: string): Promise<Customer[]> {
  requirePermission(ctx, 'customers:read');
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const found = await findCustomersBy(tx, keys, field, value);
    await appendAudit(tx, keys, {
      action: 'customer.searched',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { field, results: found.length },
      at: clock.now(),
    });
    return found;
  });
}

/** The identifiers a free-text search tries, each through its own blind index. */
const ANY_FIELD: readonly SearchField[] = ['name', 'email', 'iban', 'vatNumber', 'kvkNumber'];

/**
 * Finds customers whose name, e-mail, IBAN, VAT or KvK number equals `text` (after normalising),
 * for one search box: each field's blind index is tried, nothing is stored or compared in plaintext.
 */
export async function searchCustomersByAny(ctx: Ctx, text: string): Promise<Customer[]> {
  requirePermission(ctx, 'customers:read');
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const byId = new Map<string, Customer>();
    for (const field of ANY_FIELD) {
      for (const c of await findCustomersBy(tx, keys, field, text)) byId.set(c.id, c);
    }
    const found = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : 1));
    await appendAudit(tx, keys, {
      action: 'customer.searched',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { field: 'any', results: found.length },
      at: clock.now(),
    });
    return found;
  });
}

/**
 * A stored customer's fields in the API's shape: what a client sends (so a patch can be merged and
 * validated whole) and, with id, version and times, what it reads back.
 */
export function customerFields(c: Customer) {
  const p = c.personal;
  return {
    kind: c.kind,
    name: p.name ?? '',
    contactPerson: p.contactPerson,
    email: p.email,
    otherEmails: p.otherEmails ? (JSON.parse(p.otherEmails) as string[]) : [],
    phone: p.phone,
    address: { street: p.street, postalCode: p.postalCode, city: p.city, country: c.country },
    iban: p.iban,
    bic: c.bic,
    accountHolder: p.accountHolder,
    vatNumber: p.vatNumber,
    kvkNumber: p.kvkNumber,
    salutation: p.salutation,
    language: c.language,
    paymentTermDays: c.paymentTermDays,
    defaultVatCategory: c.defaultVatCategory,
    peppolId: p.peppolId,
    reference: p.reference,
    notes: p.notes,
  };
}

/**
 * Changes a customer: the patch is merged into the stored values and the whole is validated
 * again. With `expectedVersion`, a concurrent change answers 409 instead of being overwritten.
 */
export async function updateCustomer(
  ctx: Ctx,
  id: string,
  patch: Partial<CustomerInput>,
  expectedVersion?: number,
): Promise<Customer> {
  requirePermission(ctx, 'customers:write');
  if (!isUuid(id)) throw notFound('customer');
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const current = await findCustomer(tx, keys, id);
    if (!current) throw notFound('customer');
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new AppError(
        'conflict',
        'customer_changed',
        'The customer was changed by someone else; reload it',
      );
    }
    const before: CustomerInput = customerFields(current);
    const merged = { ...before, ...patch, address: { ...before.address, ...patch.address } };
    const { plain, personal } = validateCustomer(merged);
    const at = clock.now();
    if (!(await updateCustomerRow(tx, keys, id, current.version, plain, personal, at))) {
      throw new AppError(
        'conflict',
        'customer_changed',
        'The customer was changed by someone else; reload it',
      );
    }
    await appendAudit(tx, keys, {
      action: 'customer.updated',
      actor: ctx.actor,
      target: { type: 'customer', id },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { fields: Object.keys(patch).sort().join(',') },
      at,
    });
    const updated = await findCustomer(tx, keys, id);
    if (!updated) throw new Error('customer vanished inside its own transaction');
    return updated;
  });
}

/** A page of customers in creation order; `nextCursor` is null on the last page. A bulk read, so audited. */
export async function listCustomers(
  ctx: Ctx,
  page: { cursor?: string | null; limit?: number },
): Promise<{ items: Customer[]; nextCursor: string | null }> {
  requirePermission(ctx, 'customers:read');
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 200);
  const after = page.cursor && isUuid(page.cursor) ? page.cursor : null;
  if (page.cursor && !after)
    throw invalidInput([{ path: 'cursor', code: 'cursor_invalid', message: 'Not a cursor' }]);
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const rows = await listCustomerRows(tx, keys, after, limit + 1);
    const items = rows.slice(0, limit);
    await appendAudit(tx, keys, {
      action: 'customer.listed',
      actor: ctx.actor,
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { results: items.length },
      at: clock.now(),
    });
    return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  });
}
