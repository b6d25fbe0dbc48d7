/** The data catalogue entry of subscription endings: ids, times, counts and one sealed address. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const time = notPersonal('technical timestamp');

export const ENDING_CATALOGUE: Record<string, TableCatalogue> = {
  subscription_endings: {
    business_id: notPersonal('identifies the business'),
    status: notPersonal('lifecycle state'),
    return_requested: notPersonal('choice'),
    delete_requested: notPersonal('choice'),
    export_id: notPersonal('random identifier'),
    retention_days: notPersonal('setting'),
    ended_at: time,
    deadline_at: time,
    resumed_at: time,
    shredded_at: time,
    purged_at: time,
    certified_at: time,
    purged: notPersonal('row counts per table'),
    key_fingerprints: notPersonal('hashes of destroyed wrapped keys'),
    contact_enc: personal('email', 'business_owner', 'service', 'subscription'),
    contact_master_key_id: notPersonal('key identifier'),
    certificate_pdf: notPersonal('deletion certificate without personal data'),
    certificate_sha256: notPersonal('hash'),
    certificate_signature: notPersonal('signature'),
    certificate_key_id: notPersonal('key identifier'),
  },
};
