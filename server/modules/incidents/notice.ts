/**
 * What a breach notice says, laid out in the order of the Dutch Data Protection Authority's
 * (Autoriteit Persoonsgegevens) breach form, so the business can copy each answer into it: contact,
 * summary, nature, timeline, approximate numbers of people and records, categories of data,
 * systems, likely consequences, measures, encryption, follow-up notices. Pure: no I/O.
 */

/** Whether the data concerned was unintelligible to whoever got it. */
export const ENCRYPTION = ['encrypted', 'partly_encrypted', 'not_encrypted', 'unknown'] as const;
export type Encryption = (typeof ENCRYPTION)[number];

const ENCRYPTION_NL: Record<Encryption, string> = {
  encrypted: 'Ja: de gegevens waren versleuteld en de sleutels zijn niet getroffen',
  partly_encrypted: 'Gedeeltelijk: een deel van de gegevens was versleuteld',
  not_encrypted: 'Nee: de gegevens waren niet versleuteld',
  unknown: 'Nog niet bekend',
};

/** An update as a business receives it. */
export interface NoticeUpdate {
  seq: number;
  at: string;
  text: string;
}

/** The content of a notice to one business, as stored in its copy and mailed. */
export interface NoticeContent {
  incidentId: string;
  contact: string;
  description: string;
  nature: string;
  timeline: {
    startedAt: string | null;
    endedAt: string | null;
    discoveredAt: string;
    notifiedAt: string;
  };
  people: number;
  records: number;
  dataCategories: string[];
  systems: string[];
  consequences: string;
  measures: string;
  encryption: Encryption;
  updates: NoticeUpdate[];
}

/** One answer of the form. */
export interface FormAnswer {
  section: number;
  field: string;
  label: string;
  answer: string;
}

const when = (iso: string | null) => iso ?? 'onbekend';

/** The notice's answers, in the order of the AP's breach form. */
export function formAnswers(c: NoticeContent): FormAnswer[] {
  const rows: [string, string, string][] = [
    ['contact', 'Contactgegevens voor meer informatie', c.contact],
    ['summary', 'Samenvatting van het incident', c.description],
    ['nature', 'Aard van de inbreuk (wat is er met de gegevens gebeurd)', c.nature],
    [
      'timeline',
      'Tijdlijn (begin, einde, ontdekt, gemeld aan u)',
      `begin: ${when(c.timeline.startedAt)}; einde: ${when(c.timeline.endedAt)}; ontdekt: ${c.timeline.discoveredAt}; gemeld aan u: ${c.timeline.notifiedAt}`,
    ],
    [
      'numbers',
      'Aantal betrokken personen en records (bij benadering)',
      `ongeveer ${c.people} personen (uw klanten) en ${c.records} records (klanten en facturen)`,
    ],
    ['categories', 'Soort persoonsgegevens', c.dataCategories.join(', ') || 'geen'],
    ['systems', 'Getroffen systemen', c.systems.join(', ')],
    ['consequences', 'Mogelijke gevolgen voor de betrokkenen', c.consequences],
    ['measures', 'Genomen of voorgenomen maatregelen', c.measures],
    ['encryption', 'Waren de gegevens versleuteld (onbegrijpelijk)', ENCRYPTION_NL[c.encryption]],
    [
      'updates',
      'Vervolgmeldingen',
      c.updates.length === 0 ? 'geen' : c.updates.map((u) => `#${u.seq} (${u.at}): ${u.text}`).join('\n'),
    ],
  ];
  return rows.map(([field, label, answer], i) => ({ section: i + 1, field, label, answer }));
}

/** The answers as plain text, one numbered section each. */
export function formText(c: NoticeContent): string {
  return formAnswers(c)
    .map((a) => `${a.section}. ${a.label}\n${a.answer}\n`)
    .join('\n');
}

/** Whom a notice is addressed to: the data-protection contact, or the owners when there is none. */
export type Via = 'contact' | 'owners';

const GREETING: Record<Via, string> = {
  contact: 'Geachte contactpersoon voor gegevensbescherming,',
  owners: 'Geachte eigenaar,',
};
const FOOTER: Record<Via, string> = {
  contact: 'U ontvangt deze mail als contactpersoon voor gegevensbescherming van uw onderneming.',
  owners:
    'U ontvangt deze mail als eigenaar, omdat uw onderneming nog geen contactpersoon voor gegevensbescherming heeft ingesteld.',
};

/** The first notice's mail. */
export function noticeMail(
  c: NoticeContent,
  operatorName: string,
  via: Via = 'contact',
): { subject: string; text: string } {
  return {
    subject: `Melding beveiligingsincident (datalek) ${c.incidentId}`,
    text: [
      GREETING[via],
      '',
      `${operatorName} meldt u, als verwerker, een beveiligingsincident dat persoonsgegevens van uw onderneming betreft.`,
      'U beslist als verwerkingsverantwoordelijke of u het meldt bij de Autoriteit Persoonsgegevens (binnen 72 uur nadat u ervan weet) en of u de betrokkenen informeert.',
      'Hieronder staan de antwoorden in de volgorde van het meldformulier van de Autoriteit Persoonsgegevens; in Kluis vindt u ze onder Privacy > Datalekken, ook als export.',
      '',
      formText(c),
      FOOTER[via],
    ].join('\n'),
  };
}

/** An update's mail. */
export function updateMail(
  incidentId: string,
  u: NoticeUpdate,
  operatorName: string,
  contact: string,
  via: Via = 'contact',
): { subject: string; text: string } {
  return {
    subject: `Vervolgmelding #${u.seq} beveiligingsincident ${incidentId}`,
    text: [
      GREETING[via],
      '',
      `${operatorName} vult de melding van beveiligingsincident ${incidentId} aan (vervolgmelding #${u.seq}, ${u.at}):`,
      '',
      u.text,
      '',
      `Contact: ${contact}`,
      FOOTER[via],
    ].join('\n'),
  };
}
