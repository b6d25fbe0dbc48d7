/**
 * The data catalogue (invariant 2): every column of every table is declared here as personal data
 * (with category, purpose, retention and whose data it is) or as not personal (with the reason).
 * Encryption rules, the register of processing, subject export and erasure are driven by it, and
 * a meta-test fails when the database has a column the catalogue does not classify, or a personal
 * column that is not stored encrypted (`_enc`) or as a blind index (`_bidx`).
 */

/** Categories of personal data, as the register of processing and the DPA annex name them. */
export type PersonalCategory =
  | 'name'
  | 'contact_person'
  | 'address'
  | 'email'
  | 'phone'
  | 'bank_account'
  | 'vat_number'
  | 'kvk_number'
  | 'ip_address'
  | 'electronic_identifier'
  | 'free_text'
  | 'salutation';

/** Whose data a field is. */
export type DataSubject = 'customer' | 'contact_person' | 'user' | 'business_owner' | 'operator_staff';

/** Why it is processed (the purposes the DPA allows). */
export type Purpose =
  | 'invoicing'
  | 'customer_administration'
  | 'financial_administration'
  | 'security'
  | 'service';

/** How long it is kept. */
export type Retention =
  | 'fiscal_7_years' // part of the fiscal record: 7 years after the fiscal year (10 for real estate)
  | 'while_customer' // until the business deletes the customer, within the subscription
  | 'subscription' // until the end of the subscription and the retention timer
  | 'audit_7_years'; // audit trail: kept as long as the records it proves

export interface PersonalField {
  personal: true;
  category: PersonalCategory;
  subject: DataSubject;
  purpose: Purpose;
  retention: Retention;
}

export interface NotPersonalField {
  personal: false;
  why: string;
}

export type FieldClass = PersonalField | NotPersonalField;

/** Declares a personal field. */
export function personal(
  category: PersonalCategory,
  subject: DataSubject,
  purpose: Purpose,
  retention: Retention,
): PersonalField {
  return { personal: true, category, subject, purpose, retention };
}

/** Declares a column that holds no personal data, saying why. */
export function notPersonal(why: string): NotPersonalField {
  return { personal: false, why };
}

/** A table's entry: every column, by its SQL name. */
export type TableCatalogue = Record<string, FieldClass>;

const id = notPersonal('random identifier');
const tenantId = notPersonal('identifies the business, not a person');
const time = notPersonal('technical timestamp');

/** The platform tables (server/db/platform.tables.ts). */
export const PLATFORM_CATALOGUE: Record<string, TableCatalogue> = {
  tenants: {
    id,
    name_enc: personal('name', 'business_owner', 'service', 'subscription'),
    status: notPersonal('lifecycle state'),
    created_at: time,
    shredded_at: time,
  },
  tenant_keys: {
    tenant_id: tenantId,
    purpose: notPersonal('key purpose'),
    key_id: notPersonal('key version'),
    wrapped: notPersonal('wrapped key material'),
    master_key_id: notPersonal('master key fingerprint'),
    created_at: time,
  },
  audit_heads: { tenant_id: tenantId, seq: notPersonal('counter'), hash: notPersonal('hash') },
  audit_events: {
    tenant_id: tenantId,
    seq: notPersonal('counter'),
    id,
    occurred_at: time,
    actor_type: notPersonal('kind of actor'),
    actor_id: notPersonal('pseudonymous account id'),
    action: notPersonal('catalogued action name'),
    target_type: notPersonal('kind of record'),
    target_id: notPersonal('random record id'),
    request_id: notPersonal('random request id'),
    ip_enc: personal('ip_address', 'user', 'security', 'audit_7_years'),
    data: notPersonal('ids, counts and codes only (enforced by the AuditInput type)'),
    prev_hash: notPersonal('hash'),
    hash: notPersonal('hash'),
    mac: notPersonal('MAC'),
  },
  jobs: {
    id,
    kind: notPersonal('job type'),
    key: notPersonal('idempotency key made of ids'),
    payload: notPersonal('ids only: job payloads never carry personal data'),
    status: notPersonal('state'),
    run_at: time,
    attempts: notPersonal('counter'),
    max_attempts: notPersonal('limit'),
    locked_by: notPersonal('process id'),
    locked_until: time,
    last_error: notPersonal('error code'),
    created_at: time,
    finished_at: time,
  },
};
