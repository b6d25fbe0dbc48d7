/** The data catalogue entry of the agreement's tables: the data-protection contact and acceptances. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const time = notPersonal('technical timestamp');
const contact = (category: Parameters<typeof personal>[0]) =>
  personal(category, 'business_owner', 'service', 'subscription');

export const LEGAL_CATALOGUE: Record<string, TableCatalogue> = {
  privacy_settings: {
    tenant_id: notPersonal('identifies the business'),
    contact_name_enc: contact('name'),
    contact_email_enc: contact('email'),
    contact_phone_enc: contact('phone'),
    contact_confirmed_at: time,
    subprocessor_policy: notPersonal('policy code'),
    updated_at: time,
  },
  agreement_acceptances: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    document: notPersonal('document code'),
    version: notPersonal('document version'),
    accepted_at: time,
    actor_type: notPersonal('kind of actor'),
    actor_id: notPersonal('pseudonymous account id'),
    ip_enc: personal('ip_address', 'user', 'security', 'audit_7_years'),
  },
};
