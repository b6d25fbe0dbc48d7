/** The data catalogue entry of the api_clients table. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

export const CLIENTS_CATALOGUE: Record<string, TableCatalogue> = {
  api_clients: {
    tenant_id: notPersonal('identifies the business'),
    id: notPersonal('random client id'),
    // A free-text label chosen by the business; it may name a person ("Jan's laptop script").
    name_enc: personal('free_text', 'user', 'service', 'subscription'),
    secret_hash: notPersonal('SHA-256 of a random 256-bit secret'),
    scopes: notPersonal('permission names'),
    redirect_uris: notPersonal('addresses of the integration, chosen by the business'),
    created_at: notPersonal('technical timestamp'),
    revoked_at: notPersonal('technical timestamp'),
  },
};
