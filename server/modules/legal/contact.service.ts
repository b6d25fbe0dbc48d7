/**
 * The business's data-protection contact (Privacy center point 3): name, e-mail and phone,
 * encrypted; required before the first invoice is issued; confirmed again every year; the
 * default recipient of every privacy notice (new agreement versions, new subprocessors).
 */
import { AppError, type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import type { Ctx, Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import {
  confirmPrivacyContactRow,
  findPrivacySettings,
  hasPrivacyContact,
  type PrivacyContact,
  type SubprocessorPolicy,
  savePrivacyContact,
  saveSubprocessorPolicy,
} from './contact.repo.ts';
import { inLegalTx, requireManager } from './legal.tx.ts';

export type { PrivacyContact, SubprocessorPolicy } from './contact.repo.ts';

/** A contact is confirmed again after this long. */
export const RECONFIRM_AFTER_MS = 365 * 86_400_000;

/** The contact as the API shows it. */
export interface PrivacyContactView {
  contact: PrivacyContact | null;
  confirmedAt: Date | null;
  /** True when the contact is missing or was last confirmed more than a year ago. */
  reconfirmDue: boolean;
  subprocessorPolicy: SubprocessorPolicy;
}

function checkContact(input: PrivacyContact): PrivacyContact {
  const issues: FieldIssue[] = [];
  const name = input.name.trim();
  const email = input.email.trim();
  const phone = input.phone?.trim() || null;
  if (name.length < 1 || name.length > 200) {
    issues.push({ path: 'name', code: 'name_length', message: 'A name has 1 to 200 characters' });
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    issues.push({ path: 'email', code: 'email_format', message: 'An e-mail address' });
  }
  if (phone !== null && !/^\+?[0-9 ()-]{6,30}$/.test(phone)) {
    issues.push({
      path: 'phone',
      code: 'phone_format',
      message: 'A phone number of digits, spaces, +, ( ) and -',
    });
  }
  if (issues.length > 0) throw invalidInput(issues);
  return { name, email, phone };
}

function view(s: Awaited<ReturnType<typeof findPrivacySettings>>, now: Date): PrivacyContactView {
  if (!s)
    return { contact: null, confirmedAt: null, reconfirmDue: true, subprocessorPolicy: 'notify_object' };
  return {
    contact: s.contact,
    confirmedAt: s.confirmedAt,
    reconfirmDue: now.getTime() - s.confirmedAt.getTime() > RECONFIRM_AFTER_MS,
    subprocessorPolicy: s.subprocessorPolicy,
  };
}

/** The contact, when it was confirmed, and whether it is due again. */
export async function getPrivacyContact(ctx: Ctx): Promise<PrivacyContactView> {
  requireManager(ctx, 'see the data-protection contact');
  return inLegalTx(ctx, async ({ tx, keys, at }) => view(await findPrivacySettings(tx, keys), at));
}

/** Sets (and thereby confirms) the contact; records `privacy_contact.updated`. */
export async function setPrivacyContact(ctx: Ctx, input: PrivacyContact): Promise<PrivacyContactView> {
  requireManager(ctx, 'set the data-protection contact');
  const contact = checkContact(input);
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    await savePrivacyContact(tx, keys, contact, at);
    await record(
      'privacy_contact.updated',
      { type: 'business', id: ctx.tenantId },
      { hasPhone: contact.phone !== null },
    );
    return view(await findPrivacySettings(tx, keys), at);
  });
}

/** Confirms the contact unchanged (the yearly check); records `privacy_contact.confirmed`. */
export async function confirmPrivacyContact(ctx: Ctx): Promise<PrivacyContactView> {
  requireManager(ctx, 'confirm the data-protection contact');
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    if (!(await confirmPrivacyContactRow(tx, ctx.tenantId, at))) throw contactMissing();
    await record('privacy_contact.confirmed', { type: 'business', id: ctx.tenantId });
    return view(await findPrivacySettings(tx, keys), at);
  });
}

/** Chooses notify-and-object or prior consent for new subprocessors; records the change. */
export async function setSubprocessorPolicy(
  ctx: Ctx,
  policy: SubprocessorPolicy,
): Promise<PrivacyContactView> {
  requireManager(ctx, 'choose the subprocessor policy');
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    if (!(await saveSubprocessorPolicy(tx, ctx.tenantId, policy, at))) throw contactMissing();
    await record('subprocessor_policy.changed', { type: 'business', id: ctx.tenantId }, { policy });
    return view(await findPrivacySettings(tx, keys), at);
  });
}

/** The error for a business without a data-protection contact. */
export function contactMissing(): AppError {
  return new AppError(
    'unprocessable',
    'privacy_contact_missing',
    'Set the data-protection contact first (PUT /api/v1/privacy/contact)',
  );
}

/** Throws 422 `privacy_contact_missing` unless the business has a contact (inside its transaction). */
export async function assertPrivacyContact(tx: Tx, tenantId: string): Promise<void> {
  if (!(await hasPrivacyContact(tx, tenantId))) throw contactMissing();
}

/** The contact of one business, for notices sent by the system; null when it has none. */
export async function findNoticeRecipient(
  services: Services,
  tenantId: string,
): Promise<PrivacyContact | null> {
  return inTenant(services.db, tenantId, async (tx) => {
    const keys = await services.keyring.forTenant(tx, tenantId);
    return (await findPrivacySettings(tx, keys))?.contact ?? null;
  });
}

/** A business's keys, for mail sent on its behalf by the system. */
export async function tenantKeys(services: Services, tenantId: string): Promise<TenantKeys> {
  return inTenant(services.db, tenantId, (tx) => services.keyring.forTenant(tx, tenantId));
}
