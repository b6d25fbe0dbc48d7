/**
 * SQL for the business's privacy settings: the data-protection contact (encrypted at this
 * boundary), its last confirmation, and the subprocessor policy.
 */
import { eq } from 'drizzle-orm';
import { decryptField, decryptOptional, encryptField, encryptOptional } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { privacySettings } from './legal.tables.ts';

/** The data-protection contact. */
export interface PrivacyContact {
  name: string;
  email: string;
  phone: string | null;
}

/** How a business handles new subprocessors. */
export type SubprocessorPolicy = 'notify_object' | 'prior_consent';

/** The privacy settings row, decrypted. */
export interface PrivacySettings {
  contact: PrivacyContact;
  confirmedAt: Date;
  subprocessorPolicy: SubprocessorPolicy;
}

const TABLE = 'privacy_settings';
const place = (keys: TenantKeys, column: string) => ({
  tenantId: keys.tenantId,
  table: TABLE,
  column,
  rowId: keys.tenantId,
});

/** The business's privacy settings; undefined until the contact was first set. */
export async function findPrivacySettings(tx: Tx, keys: TenantKeys): Promise<PrivacySettings | undefined> {
  const [row] = await tx.select().from(privacySettings).where(eq(privacySettings.tenantId, keys.tenantId));
  if (!row) return undefined;
  return {
    contact: {
      name: decryptField(keys.data, place(keys, 'contact_name_enc'), row.contactNameEnc),
      email: decryptField(keys.data, place(keys, 'contact_email_enc'), row.contactEmailEnc),
      phone: decryptOptional(keys.data, place(keys, 'contact_phone_enc'), row.contactPhoneEnc),
    },
    confirmedAt: row.contactConfirmedAt,
    subprocessorPolicy: row.subprocessorPolicy === 'prior_consent' ? 'prior_consent' : 'notify_object',
  };
}

/** True when the business has a data-protection contact (no decryption). */
export async function hasPrivacyContact(tx: Tx, tenantId: string): Promise<boolean> {
  const rows = await tx
    .select({ t: privacySettings.tenantId })
    .from(privacySettings)
    .where(eq(privacySettings.tenantId, tenantId));
  return rows.length > 0;
}

/** Sets the contact and marks it confirmed at `at` (creating the row on first use). */
export async function savePrivacyContact(
  tx: Tx,
  keys: TenantKeys,
  contact: PrivacyContact,
  at: Date,
): Promise<void> {
  const values = {
    contactNameEnc: encryptField(keys.data, place(keys, 'contact_name_enc'), contact.name),
    contactEmailEnc: encryptField(keys.data, place(keys, 'contact_email_enc'), contact.email),
    contactPhoneEnc: encryptOptional(keys.data, place(keys, 'contact_phone_enc'), contact.phone),
    contactConfirmedAt: at,
    updatedAt: at,
  };
  await tx
    .insert(privacySettings)
    .values({ tenantId: keys.tenantId, ...values })
    .onConflictDoUpdate({ target: privacySettings.tenantId, set: values });
}

/** Marks the contact confirmed at `at`; false when there is no contact. */
export async function confirmPrivacyContactRow(tx: Tx, tenantId: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(privacySettings)
    .set({ contactConfirmedAt: at, updatedAt: at })
    .where(eq(privacySettings.tenantId, tenantId))
    .returning({ t: privacySettings.tenantId });
  return rows.length > 0;
}

/** Sets the subprocessor policy; false when there is no settings row yet. */
export async function saveSubprocessorPolicy(
  tx: Tx,
  tenantId: string,
  policy: SubprocessorPolicy,
  at: Date,
): Promise<boolean> {
  const rows = await tx
    .update(privacySettings)
    .set({ subprocessorPolicy: policy, updatedAt: at })
    .where(eq(privacySettings.tenantId, tenantId))
    .returning({ t: privacySettings.tenantId });
  return rows.length > 0;
}
