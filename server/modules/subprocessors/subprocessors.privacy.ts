/** The data catalogue entry of the subprocessor tables: companies, and a business's decisions. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const company = notPersonal('describes a company, not a person');

export const SUBPROCESSORS_CATALOGUE: Record<string, TableCatalogue> = {
  subprocessors: {
    id: notPersonal('random identifier'),
    name: company,
    purpose: company,
    data_categories: notPersonal('catalogue category codes'),
    country: company,
    parent_jurisdiction: company,
    agreement_reference: company,
    added_at: notPersonal('technical timestamp'),
    effective_from: notPersonal('technical timestamp'),
    removed_at: notPersonal('technical timestamp'),
  },
  subprocessor_decisions: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random identifier'),
    subprocessor_id: notPersonal('random identifier'),
    kind: notPersonal('objection or consent'),
    reason_enc: personal('free_text', 'user', 'service', 'subscription'),
    actor_type: notPersonal('kind of actor'),
    actor_id: notPersonal('pseudonymous account id'),
    decided_at: notPersonal('technical timestamp'),
  },
};
