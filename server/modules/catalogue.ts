/**
 * The complete data catalogue: the platform's tables plus each module's `*.privacy.ts`. A module
 * with tables adds its entry here; the catalogue meta-test compares this with the live database.
 */
import { PLATFORM_CATALOGUE, type TableCatalogue } from '../db/catalogue.ts';
import { CLIENTS_CATALOGUE } from './clients/clients.privacy.ts';
import { CUSTOMERS_CATALOGUE } from './customers/customers.privacy.ts';
import { ENDING_CATALOGUE } from './ending/ending.privacy.ts';
import { IDEMPOTENCY_CATALOGUE } from './idempotency/idempotency.privacy.ts';
import { IDENTITY_CATALOGUE } from './identity/identity.privacy.ts';
import { INCIDENTS_CATALOGUE } from './incidents/incidents.privacy.ts';
import { INVOICES_CATALOGUE } from './invoices/invoices.privacy.ts';
import { PAYMENTS_CATALOGUE } from './invoices/payments.privacy.ts';
import { LEGAL_CATALOGUE } from './legal/legal.privacy.ts';
import { NOTICES_CATALOGUE } from './notices/notices.privacy.ts';
import { PRIVACY_CATALOGUE } from './privacy/privacy.privacy.ts';
import { PRODUCTS_CATALOGUE } from './products/products.privacy.ts';
import { QUOTES_CATALOGUE } from './quotes/quotes.privacy.ts';
import { RECURRING_CATALOGUE } from './recurring/recurring.privacy.ts';
import { SUBJECT_REQUESTS_CATALOGUE } from './subject-requests/subject-requests.privacy.ts';
import { SUBPROCESSORS_CATALOGUE } from './subprocessors/subprocessors.privacy.ts';
import { SUPPORT_ACCESS_CATALOGUE } from './support-access/support-access.privacy.ts';

/** Every table Kluis has, with every column classified. */
export const DATA_CATALOGUE: Readonly<Record<string, TableCatalogue>> = {
  ...PLATFORM_CATALOGUE,
  ...CUSTOMERS_CATALOGUE,
  ...IDENTITY_CATALOGUE,
  ...CLIENTS_CATALOGUE,
  ...INVOICES_CATALOGUE,
  ...PAYMENTS_CATALOGUE,
  ...RECURRING_CATALOGUE,
  ...PRIVACY_CATALOGUE,
  ...IDEMPOTENCY_CATALOGUE,
  ...PRODUCTS_CATALOGUE,
  ...QUOTES_CATALOGUE,
  ...LEGAL_CATALOGUE,
  ...SUBPROCESSORS_CATALOGUE,
  ...INCIDENTS_CATALOGUE,
  ...SUBJECT_REQUESTS_CATALOGUE,
  ...ENDING_CATALOGUE,
  ...SUPPORT_ACCESS_CATALOGUE,
  ...NOTICES_CATALOGUE,
};
