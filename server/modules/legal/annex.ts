/**
 * The annex of the data processing agreement and the core of the register of processing, generated
 * from the data catalogue: which categories of personal data Kluis holds about which people, why
 * and for how long. A new catalogued column changes the annex without anyone editing a text.
 */
import type { DataSubject, PersonalCategory, Purpose, Retention } from '../../db/catalogue.ts';
import { DATA_CATALOGUE } from '../catalogue.ts';

/** Dutch names of the catalogue's categories. */
export const CATEGORY_NL: Record<PersonalCategory, string> = {
  name: 'naam',
  contact_person: 'contactpersoon',
  address: 'adres',
  email: 'e-mailadres',
  phone: 'telefoonnummer',
  bank_account: 'bankrekening (IBAN, rekeninghouder)',
  vat_number: 'btw-identificatienummer',
  kvk_number: 'KvK-nummer',
  ip_address: 'IP-adres',
  electronic_identifier: 'elektronisch adres (Peppol-id)',
  free_text: 'vrije tekst (notities, kenmerken, redenen)',
  salutation: 'aanhef',
};

/** Dutch names of the data subjects. */
export const SUBJECT_NL: Record<DataSubject, string> = {
  customer: 'klanten van de onderneming (afnemers)',
  contact_person: 'contactpersonen bij klanten',
  user: 'gebruikers van Kluis (medewerkers van de onderneming)',
  business_owner: 'de ondernemer en zijn contactpersoon voor gegevensbescherming',
  operator_staff: 'medewerkers van de beheerder',
};

/** Dutch names of the purposes. */
export const PURPOSE_NL: Record<Purpose, string> = {
  invoicing: 'facturen opstellen en versturen',
  customer_administration: 'de klantenadministratie bijhouden',
  financial_administration: 'betalingen en de financiële administratie',
  security: 'beveiliging en verantwoording (audit)',
  service: 'het leveren van de dienst aan de onderneming',
};

/** Dutch names of the retention periods. */
export const RETENTION_NL: Record<Retention, string> = {
  fiscal_7_years: 'zeven jaar na afloop van het boekjaar (fiscale bewaarplicht)',
  while_customer: 'zolang de onderneming de klant in haar administratie heeft',
  subscription: 'tot het einde van het abonnement en de bewaartermijn daarna',
  audit_7_years: 'zeven jaar, zo lang als de gegevens die het auditlog verantwoordt',
};

/** One data subject with what Kluis holds about them. */
export interface AnnexEntry {
  subject: DataSubject;
  categories: PersonalCategory[];
  purposes: Purpose[];
  retentions: Retention[];
  /** The tables and columns, for the register (technical detail). */
  fields: string[];
}

/** The annex: per data subject, the categories, purposes and retention periods, from the catalogue. */
export function dataAnnex(): AnnexEntry[] {
  const bySubject = new Map<DataSubject, AnnexEntry>();
  for (const [table, columns] of Object.entries(DATA_CATALOGUE)) {
    for (const [column, cls] of Object.entries(columns)) {
      if (!cls.personal) continue;
      const entry = bySubject.get(cls.subject) ?? {
        subject: cls.subject,
        categories: [],
        purposes: [],
        retentions: [],
        fields: [],
      };
      if (!entry.categories.includes(cls.category)) entry.categories.push(cls.category);
      if (!entry.purposes.includes(cls.purpose)) entry.purposes.push(cls.purpose);
      if (!entry.retentions.includes(cls.retention)) entry.retentions.push(cls.retention);
      entry.fields.push(`${table}.${column}`);
      bySubject.set(cls.subject, entry);
    }
  }
  const order = Object.keys(SUBJECT_NL);
  return [...bySubject.values()]
    .map((e) => ({
      ...e,
      categories: e.categories.sort(),
      purposes: e.purposes.sort(),
      retentions: e.retentions.sort(),
    }))
    .sort((a, b) => order.indexOf(a.subject) - order.indexOf(b.subject));
}
