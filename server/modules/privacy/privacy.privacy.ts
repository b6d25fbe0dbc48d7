/** The data catalogue entry of the privacy center's tables: no personal data, only ids, counts and times. */
import { notPersonal, type TableCatalogue } from '../../db/catalogue.ts';

const time = notPersonal('technical timestamp');

export const PRIVACY_CATALOGUE: Record<string, TableCatalogue> = {
  data_exports: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    status: notPersonal('lifecycle state'),
    requested_by_type: notPersonal('kind of actor'),
    requested_by_id: notPersonal('pseudonymous account id'),
    progress_done: notPersonal('counter'),
    progress_total: notPersonal('counter'),
    bytes: notPersonal('size of the archive'),
    sha256: notPersonal('hash of the encrypted-at-rest archive contents'),
    error_code: notPersonal('error code'),
    downloads: notPersonal('counter'),
    created_at: time,
    finished_at: time,
    expires_at: time,
  },
};
