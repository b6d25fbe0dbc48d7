/**
 * The data catalogue entry of the incident tables. The operator writes incidents about its own
 * systems in general terms and never names a person in them (the CLI says so); counts are plain
 * numbers, computed from the data without reading any personal field.
 */
import { notPersonal, type TableCatalogue } from '../../db/catalogue.ts';

const id = notPersonal('random identifier');
const time = notPersonal('technical timestamp');
const facts = notPersonal("the operator's description of an incident in its systems; names no person");

export const INCIDENTS_CATALOGUE: Record<string, TableCatalogue> = {
  incidents: {
    id,
    discovered_at: time,
    recorded_at: time,
    started_at: time,
    ended_at: time,
    nature: facts,
    systems: facts,
    data_categories: notPersonal('catalogue category codes'),
    description: facts,
    consequences: facts,
    measures: facts,
    encryption: notPersonal('a code'),
    contact: notPersonal("the operator's function address for incidents"),
    status: notPersonal('a code'),
    closed_at: time,
  },
  incident_scope: {
    incident_id: id,
    business_id: notPersonal('identifies the business, not a person'),
    people: notPersonal('a count'),
    records: notPersonal('a count'),
    scoped_at: time,
    notified_at: time,
    updates_sent: notPersonal('a count'),
  },
  incident_updates: {
    incident_id: id,
    seq: notPersonal('a sequence number'),
    at: time,
    text: facts,
  },
  breach_notices: {
    tenant_id: notPersonal('identifies the business'),
    id,
    incident_id: id,
    kind: notPersonal('a code'),
    seq: notPersonal('a sequence number'),
    sent_at: time,
    content: notPersonal('the notice as sent: incident facts and counts, names no person'),
  },
};
