/**
 * Kluis's legal documents, written for Kluis in its own words (Privacy center point 1): the terms of
 * use, the data processing agreement with its annex generated from the data catalogue, the privacy
 * statement, the security measures generated from the running configuration, and the list of
 * subprocessors. Each has a version and a date; changing a text means raising its version here
 * (the agreement's version is what businesses accept). Documents are data (sections of paragraphs,
 * lists and tables), rendered as HTML pages and as PDF from the same structure.
 */
import { CATEGORY_NL, dataAnnex, PURPOSE_NL, RETENTION_NL, SUBJECT_NL } from './annex.ts';
import type { LegalSettings, Operator, SecurityFacts } from './legal.settings.ts';

/** The public documents, by their path. */
export type DocumentCode =
  | 'voorwaarden'
  | 'verwerkersovereenkomst'
  | 'privacy'
  | 'beveiliging'
  | 'subverwerkers';

/** A version of a document. */
export interface DocumentVersion {
  version: string;
  /** The date it took effect (YYYY-MM-DD). */
  date: string;
}

/**
 * The versions in force. The terms and the processing agreement form one agreement that a business
 * accepts as a whole; the other documents inform and change with the deployment.
 */
export const DOCUMENT_VERSIONS: Record<DocumentCode, DocumentVersion> = {
  voorwaarden: { version: '1.0', date: '2026-11-22' },
  verwerkersovereenkomst: { version: '1.0', date: '2026-11-22' },
  privacy: { version: '1.0', date: '2026-11-22' },
  beveiliging: { version: '1.0', date: '2026-11-22' },
  subverwerkers: { version: '1.0', date: '2026-11-22' },
};

/** The version of the agreement (terms plus processing agreement) that sign-up accepts. */
export const CURRENT_AGREEMENT: DocumentVersion = DOCUMENT_VERSIONS.verwerkersovereenkomst;

/** A block of a section. */
export type Block = { p: string } | { list: string[] } | { table: { head: string[]; rows: string[][] } };

/** A numbered section. */
export interface Section {
  heading: string;
  blocks: Block[];
}

/** A rendered document. */
export interface LegalDocument {
  code: DocumentCode;
  title: string;
  version: DocumentVersion;
  sections: Section[];
}

/** A subprocessor as the documents list it. */
export interface ListedSubprocessor {
  name: string;
  purpose: string;
  dataCategories: string[];
  country: string;
  parentJurisdiction: string;
  agreementReference: string;
  effectiveFrom: Date;
}

/** The business's details, filled into its own copy of the agreement. */
export interface BusinessParty {
  name: string;
  address: string | null;
  kvkNumber: string | null;
  /** The statutory seat (a city), stated apart from the address. */
  seat: string | null;
  representative: string | null;
}

const p = (text: string): Block => ({ p: text });

function operatorLine(o: Operator): string {
  return `${o.name}, gevestigd op ${o.address}, ingeschreven bij de Kamer van Koophandel onder nummer ${o.kvkNumber}, bereikbaar via ${o.email}`;
}

/** The terms of use (gebruiksvoorwaarden). */
export function termsOfUse(s: LegalSettings, agreement: DocumentVersion): LegalDocument {
  const o = s.operator;
  return {
    code: 'voorwaarden',
    title: 'Gebruiksvoorwaarden van Kluis',
    version: agreement,
    sections: [
      {
        heading: 'Wie wij zijn',
        blocks: [
          p(`Deze Kluis-omgeving op ${s.publicUrl} wordt beheerd door ${operatorLine(o)} ("de beheerder").`),
          p(
            'Kluis is een programma om facturen en offertes te maken, te versturen en te bewaren. Deze voorwaarden gelden voor iedere onderneming die een account aanmaakt ("de onderneming") en voor iedereen die namens haar inlogt.',
          ),
        ],
      },
      {
        heading: 'Wanneer deze voorwaarden gelden',
        blocks: [
          p(
            'De voorwaarden en de verwerkersovereenkomst gelden samen vanaf het eerste gebruik. Bij het aanmaken van een account legt Kluis vast wie akkoord gaf, met welke versie, wanneer en vanaf welk IP-adres.',
          ),
          p(
            'Een nieuwe versie wordt vooraf aangekondigd aan de contactpersoon voor gegevensbescherming van de onderneming en moet bij de volgende keer inloggen worden geaccepteerd voordat het gebruik verdergaat.',
          ),
        ],
      },
      {
        heading: 'Wat de onderneming doet',
        blocks: [
          {
            list: [
              'Zij houdt wachtwoorden en tweede factoren geheim en geeft alleen mensen toegang die dat nodig hebben.',
              'Zij voert alleen gegevens in die zij rechtmatig mag verwerken, en blijft zelf verantwoordelijk voor de inhoud van haar facturen en voor haar fiscale bewaarplicht.',
              'Zij wijst een contactpersoon voor gegevensbescherming aan en houdt diens gegevens actueel; zonder contactpersoon kan zij geen facturen uitreiken.',
            ],
          },
        ],
      },
      {
        heading: 'Wat de beheerder doet',
        blocks: [
          {
            list: [
              'Hij houdt Kluis beschikbaar met zorg, maar belooft geen ononderbroken werking.',
              'Hij verwerkt de gegevens van de onderneming alleen volgens de verwerkersovereenkomst en beveiligt ze zoals beschreven op /beveiliging.',
              'Hij kijkt niet in de gegevens van de onderneming, tenzij de eigenaar daarvoor tijdelijk toegang geeft; iedere toegang wordt vastgelegd.',
            ],
          },
        ],
      },
      {
        heading: 'Einde',
        blocks: [
          p(
            'De onderneming kan op ieder moment al haar gegevens exporteren en het gebruik beëindigen. Na het einde worden de gegevens na een bewaartermijn verwijderd door de sleutels van de onderneming te vernietigen; de onderneming ontvangt daarvan een verklaring.',
          ),
          p('Op deze voorwaarden is Nederlands recht van toepassing.'),
        ],
      },
    ],
  };
}

/** The annex table of categories and data subjects, from the catalogue. */
export function annexSection(): Section {
  const rows = dataAnnex().map((e) => [
    SUBJECT_NL[e.subject],
    e.categories.map((c) => CATEGORY_NL[c]).join(', '),
    e.purposes.map((x) => PURPOSE_NL[x]).join('; '),
    e.retentions.map((r) => RETENTION_NL[r]).join('; '),
  ]);
  return {
    heading: 'Bijlage 1: categorieën van gegevens en betrokkenen',
    blocks: [
      p(
        'Deze bijlage wordt gemaakt uit de gegevenscatalogus van Kluis: iedere kolom met persoonsgegevens staat erin.',
      ),
      { table: { head: ['Betrokkenen', 'Gegevens', 'Doelen', 'Bewaartermijn'], rows } },
    ],
  };
}

/** The data processing agreement; with `party`, the business's own copy. */
export function processingAgreement(
  s: LegalSettings,
  agreement: DocumentVersion,
  party?: BusinessParty,
): LegalDocument {
  const o = s.operator;
  const controller = party
    ? `${party.name}${party.seat ? `, statutair gevestigd te ${party.seat}` : ''}${party.address ? `, ${party.seat ? 'kantoorhoudende op' : 'gevestigd op'} ${party.address}` : ''}${party.kvkNumber ? `, KvK-nummer ${party.kvkNumber}` : ''}${party.representative ? `, vertegenwoordigd door ${party.representative}` : ''}`
    : 'de onderneming die een account in Kluis aanmaakt';
  return {
    code: 'verwerkersovereenkomst',
    title: 'Verwerkersovereenkomst',
    version: agreement,
    sections: [
      {
        heading: 'Partijen',
        blocks: [
          p(`Verwerkingsverantwoordelijke: ${controller} ("de onderneming").`),
          p(`Verwerker: ${operatorLine(o)} ("de beheerder").`),
        ],
      },
      {
        heading: 'Onderwerp',
        blocks: [
          p(
            'De onderneming gebruikt Kluis voor haar facturatie en klantenadministratie. Daarbij verwerkt de beheerder persoonsgegevens voor de onderneming. Deze overeenkomst regelt dat, zoals artikel 28 van de Algemene verordening gegevensbescherming (AVG) vraagt.',
          ),
          p(
            'De beheerder verwerkt de gegevens alleen om de dienst te leveren en alleen op instructie van de onderneming; het gebruik van Kluis zelf is die instructie. Hij gebruikt de gegevens nooit voor eigen doeleinden.',
          ),
        ],
      },
      {
        heading: 'Geheimhouding en beveiliging',
        blocks: [
          p(
            'Wie bij de beheerder met de gegevens werkt, is tot geheimhouding verplicht. De beheerder neemt de maatregelen die op /beveiliging staan; die pagina wordt gemaakt uit de instellingen waarmee deze Kluis draait en is onderdeel van deze overeenkomst.',
          ),
        ],
      },
      {
        heading: 'Subverwerkers',
        blocks: [
          p(
            `De onderneming geeft toestemming voor de subverwerkers op /subverwerkers. Een nieuwe subverwerker wordt ten minste ${s.subprocessorNoticeDays} dagen voordat hij gegevens ontvangt gemeld aan de contactpersoon voor gegevensbescherming. De onderneming kan daartegen met redenen bezwaar maken; zij kan ook kiezen voor voorafgaande toestemming, waarna een nieuwe subverwerker pas voor haar wordt ingezet als zij heeft ingestemd.`,
          ),
          p('De beheerder legt iedere subverwerker dezelfde plichten op als deze overeenkomst hem oplegt.'),
        ],
      },
      {
        heading: 'Hulp bij de rechten van betrokkenen en bij verplichtingen',
        blocks: [
          p(
            'Kluis geeft de onderneming zelf de middelen om verzoeken van betrokkenen af te handelen: gegevens opzoeken, inzien, exporteren, corrigeren, beperken en wissen. De onderneming beslist over ieder verzoek; de beheerder niet.',
          ),
          p(
            'De beheerder houdt een register van verwerkingen bij voor de onderneming (artikel 30 lid 2 AVG), dat de onderneming op ieder moment kan opvragen.',
          ),
        ],
      },
      {
        heading: 'Datalekken',
        blocks: [
          p(
            'Ontdekt de beheerder een inbreuk op de beveiliging die de gegevens van de onderneming raakt, dan meldt hij dat binnen 48 uur na ontdekking aan de contactpersoon voor gegevensbescherming, met wat de onderneming nodig heeft om zelf te melden bij de Autoriteit Persoonsgegevens, en houdt hij haar daarna op de hoogte.',
          ),
        ],
      },
      {
        heading: 'Controle',
        blocks: [
          p(
            'Iedere handeling op de gegevens van de onderneming staat in een auditlog met een hashketen. De onderneming kan dat log doorzoeken en exporteren om te laten controleren of deze overeenkomst wordt nageleefd.',
          ),
        ],
      },
      {
        heading: 'Einde van de overeenkomst',
        blocks: [
          p(
            'Bij het einde kiest de onderneming voor teruggave (een export van al haar gegevens) en/of verwijdering. Na de bewaartermijn vernietigt de beheerder de sleutels van de onderneming en verwijdert hij haar gegevens; hij stuurt haar een verklaring van verwijdering.',
          ),
        ],
      },
      {
        heading: 'Wijzigingen',
        blocks: [
          p(
            'Een nieuwe versie van deze overeenkomst wordt aangekondigd aan de contactpersoon voor gegevensbescherming en geldt pas nadat de onderneming haar heeft geaccepteerd.',
          ),
        ],
      },
      annexSection(),
    ],
  };
}

/** The privacy statement: what the operator does with the data of people who use Kluis. */
export function privacyStatement(s: LegalSettings): LegalDocument {
  const o = s.operator;
  return {
    code: 'privacy',
    title: 'Privacyverklaring',
    version: DOCUMENT_VERSIONS.privacy,
    sections: [
      {
        heading: 'Twee rollen',
        blocks: [
          p(
            `Voor de gegevens die een onderneming in Kluis zet (haar klanten, facturen) is die onderneming verantwoordelijk en is ${o.name} alleen verwerker; daarvoor geldt de verwerkersovereenkomst. Deze verklaring gaat over de gegevens waarvoor ${o.name} zelf verantwoordelijk is: die van de mensen die een account hebben.`,
          ),
        ],
      },
      {
        heading: 'Welke gegevens en waarom',
        blocks: [
          {
            list: [
              'Uw e-mailadres en wachtwoord (alleen als hash) en uw tweede factor: om u veilig te laten inloggen.',
              'De naam van uw onderneming en de contactpersoon voor gegevensbescherming: om de dienst te leveren en u te informeren over wijzigingen, subverwerkers en incidenten.',
              'IP-adressen bij handelingen: versleuteld in het auditlog, om misbruik op te sporen en te kunnen verantwoorden wat er gebeurde.',
            ],
          },
          p(
            'Wij verkopen niets door, tonen geen advertenties en laden geen scripts of lettertypen van anderen.',
          ),
        ],
      },
      {
        heading: 'Bewaren',
        blocks: [
          p(
            `Accountgegevens bewaren wij zolang u een account hebt. Het auditlog bewaren wij zo lang als de gegevens die het verantwoordt. Technische logbestanden bewaren wij ${s.security.logRetentionDays} dagen; zij bevatten geen persoonsgegevens in leesbare vorm.`,
          ),
        ],
      },
      {
        heading: 'Uw rechten',
        blocks: [
          p(
            `U kunt uw gegevens inzien, laten corrigeren of verwijderen, en bezwaar maken. Schrijf daarvoor naar ${o.email}. U mag ook een klacht indienen bij de Autoriteit Persoonsgegevens.`,
          ),
        ],
      },
    ],
  };
}

function securityItems(f: SecurityFacts): string[] {
  return [
    'Alle persoonsgegevens staan versleuteld in de database (AES-256-GCM) met sleutels per onderneming; zoeken gebeurt via blinde indexen, niet op leesbare tekst.',
    f.masterKey === 'environment'
      ? 'De sleutels per onderneming zijn versleuteld met een hoofdsleutel die buiten de database wordt bewaard (uit de omgeving van de server).'
      : 'De sleutels per onderneming zijn versleuteld met een hoofdsleutel in de datamap, apart van de database.',
    f.database === 'postgresql'
      ? 'De database is een PostgreSQL-server, bereikt via TLS; iedere onderneming is van de andere gescheiden door afgedwongen row-level security.'
      : 'De database is ingebouwd en draait in hetzelfde proces; iedere onderneming is van de andere gescheiden door afgedwongen row-level security.',
    f.files.kind === 's3'
      ? `Bestanden (PDF's, logo's, exports) staan versleuteld in object storage in de EU-regio ${f.files.region}.`
      : "Bestanden (PDF's, logo's, exports) staan versleuteld in de datamap van de server.",
    "Alle opslag en verbindingen blijven binnen de EU: de server weigert te starten met een database, mailserver of opslag buiten de toegestane EU-hosts en -regio's.",
    f.tls === 'own'
      ? 'Kluis versleutelt alle verbindingen zelf met TLS en stuurt HSTS mee.'
      : 'Verbindingen lopen via HTTPS; de TLS-verbinding eindigt bij de proxy van de beheerder.',
    f.mail === 'smtp'
      ? 'Mail gaat via de mailserver van de beheerder, buiten de eigen machine alleen met TLS.'
      : 'Mail wordt versleuteld in een postvak-uit bewaard.',
    'Eigenaars kunnen een tweede factor (TOTP of passkey) verplicht stellen voor alle leden van hun onderneming; medewerkers van de beheerder loggen altijd in met een tweede factor.',
    'Medewerkers van de beheerder zien geen gegevens van een onderneming tenzij de eigenaar tijdelijk toegang geeft.',
    'Iedere handeling staat in een auditlog met een hashketen per onderneming, zodat achteraf wijzigen opvalt.',
    `De beheerder maakt iedere ${f.backupIntervalHours} uur een versleutelde back-up van database en bestanden; een herstel controleert iedere controlesom voordat het slaagt.`,
    `Technische logbestanden bevatten geen persoonsgegevens en worden ${f.logRetentionDays} dagen bewaard.`,
    'Geen scripts, lettertypen of trackers van derden: de Content-Security-Policy staat alleen deze server toe.',
  ];
}

/** The technical and organisational measures, generated from the running configuration. */
export function securityMeasures(s: LegalSettings): LegalDocument {
  return {
    code: 'beveiliging',
    title: 'Beveiligingsmaatregelen',
    version: DOCUMENT_VERSIONS.beveiliging,
    sections: [
      {
        heading: 'Maatregelen in deze Kluis',
        blocks: [
          p(
            'Deze lijst wordt gemaakt uit de instellingen waarmee deze Kluis nu draait; zij hoort bij de verwerkersovereenkomst (artikel 32 AVG).',
          ),
          { list: securityItems(s.security) },
        ],
      },
    ],
  };
}

/** Formats a date as YYYY-MM-DD (UTC). */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The public list of subprocessors (those in force and those announced). */
export function subprocessorList(s: LegalSettings, list: readonly ListedSubprocessor[]): LegalDocument {
  const rows = list.map((x) => [
    x.name,
    x.purpose,
    x.dataCategories.join(', '),
    x.country,
    x.parentJurisdiction,
    x.agreementReference,
    isoDate(x.effectiveFrom),
  ]);
  return {
    code: 'subverwerkers',
    title: 'Subverwerkers',
    version: DOCUMENT_VERSIONS.subverwerkers,
    sections: [
      {
        heading: 'Wie de beheerder inschakelt',
        blocks: [
          p(
            `Een nieuwe subverwerker staat hier ten minste ${s.subprocessorNoticeDays} dagen voordat hij gegevens ontvangt (de datum "vanaf"), en wordt aan de contactpersoon van iedere onderneming gemeld.`,
          ),
          rows.length === 0
            ? p('De beheerder schakelt op dit moment geen subverwerkers in.')
            : {
                table: {
                  head: ['Naam', 'Doel', 'Gegevens', 'Land', 'Recht moederbedrijf', 'Overeenkomst', 'Vanaf'],
                  rows,
                },
              },
        ],
      },
    ],
  };
}
