/** The data catalogue entry of the idempotency keys: stored responses hold personal data for a day. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

export const IDEMPOTENCY_CATALOGUE: Record<string, TableCatalogue> = {
  idempotency_keys: {
    tenant_id: notPersonal('identifies the business'),
    key_hash: notPersonal("keyed hash of the client's idempotency key"),
    id: notPersonal('random identifier'),
    fingerprint: notPersonal('keyed hash of the request (method, route, caller, body); not reversible'),
    state: notPersonal('in_progress or completed'),
    status_code: notPersonal('HTTP status of the stored response'),
    // The response of a creating call (e.g. the new customer) is replayed to a retrying client;
    // the row is removed when the key expires, 24 hours after the first request.
    response_enc: personal('free_text', 'customer', 'service', 'subscription'),
    created_at: notPersonal('technical timestamp'),
    expires_at: notPersonal('technical timestamp'),
  },
};
