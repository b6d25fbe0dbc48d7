/** The data catalogue entry of the notices tables: references and timestamps, nothing personal. */
import { notPersonal, type TableCatalogue } from '../../db/catalogue.ts';

export const NOTICES_CATALOGUE: Record<string, TableCatalogue> = {
  business_notices: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    kind: notPersonal('kind of notice'),
    subject_id: notPersonal('id of a subprocessor, incident, request or an agreement version'),
    created_at: notPersonal('technical timestamp'),
    read_at: notPersonal('technical timestamp'),
    read_by: notPersonal('pseudonymous account id'),
  },
  operator_alerts: {
    key: notPersonal('alert kind and record ids'),
    kind: notPersonal('kind of alert'),
    sent_at: notPersonal('technical timestamp'),
    mailed: notPersonal('delivery flag'),
  },
};
