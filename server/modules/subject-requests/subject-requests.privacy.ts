/** The data catalogue entry of data-subject requests: what the person wrote, and the outcomes. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const time = notPersonal('technical timestamp');
const asked = (category: Parameters<typeof personal>[0]) =>
  personal(category, 'customer', 'customer_administration', 'subscription');

export const SUBJECT_REQUESTS_CATALOGUE: Record<string, TableCatalogue> = {
  subject_requests: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    kind: notPersonal('kind of request'),
    name_enc: asked('name'),
    email_enc: asked('email'),
    description_enc: asked('free_text'),
    lang: notPersonal('language code'),
    received_at: time,
    deadline_at: time,
    status: notPersonal('status code'),
    updated_at: time,
  },
  subject_request_outcomes: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    request_id: notPersonal('random identifier'),
    outcome: notPersonal('outcome code'),
    reason_enc: asked('free_text'),
    deadline_at: time,
    decided_at: time,
    actor_type: notPersonal('kind of actor'),
    actor_id: notPersonal('pseudonymous account id'),
  },
  customer_restrictions: {
    tenant_id: notPersonal('identifies the business'),
    customer_id: notPersonal('random identifier'),
    kind: notPersonal('restriction or objection'),
    request_id: notPersonal('random identifier'),
    since: time,
    lifted_at: time,
  },
  invoice_pseudonymisations: {
    tenant_id: notPersonal('identifies the business'),
    invoice_id: notPersonal('random identifier'),
    request_id: notPersonal('random identifier'),
    pseudonymised_at: time,
  },
};
