/** The data catalogue entry of support access grants: ids, times and the owner's sealed reason. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const time = notPersonal('technical timestamp');
const account = notPersonal('pseudonymous account id');

export const SUPPORT_ACCESS_CATALOGUE: Record<string, TableCatalogue> = {
  support_grants: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    scope: notPersonal('access scope code'),
    reason_enc: personal('free_text', 'business_owner', 'service', 'subscription'),
    operator_id: account,
    granted_by: account,
    granted_at: time,
    expires_at: time,
    revoked_at: time,
    revoked_by: account,
    first_used_at: time,
  },
};
