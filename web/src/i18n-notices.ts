/**
 * Texts of the notices area (ADR 0060): the data-protection contact banner, the agreement gate and
 * the in-app notices. Dutch is the source of the keys; English must have every one of them.
 */
export const nlNotices = {
  'notices.contact.missing':
    'Je bedrijf heeft nog geen contactpersoon voor gegevensbescherming. Die is nodig voordat je de eerste factuur uitgeeft, en ontvangt meldingen over datalekken en subverwerkers.',
  'notices.contact.reconfirm':
    'Klopt je contactpersoon voor gegevensbescherming nog? Bevestig die één keer per jaar.',
  'notices.contact.action': 'Naar het privacycentrum',
  'notices.gate.title': 'Nieuwe verwerkersovereenkomst',
  'notices.gate.text':
    'Versie {version} van de gebruiksvoorwaarden en de verwerkersovereenkomst geldt sinds {date}. Lees haar en accepteer haar namens je bedrijf voordat je verdergaat.',
  'notices.gate.readAgreement': 'Lees de verwerkersovereenkomst (opent in een nieuw venster)',
  'notices.gate.readTerms': 'Lees de gebruiksvoorwaarden (opent in een nieuw venster)',
  'notices.gate.confirm': 'Ik heb versie {version} gelezen en accepteer haar namens het bedrijf',
  'notices.gate.accept': 'Accepteren en doorgaan',
  'notices.gate.mustConfirm': 'Vink eerst aan dat je de nieuwe versie hebt gelezen en accepteert.',
  'notices.gate.pending':
    'Een eigenaar of beheerder van je bedrijf moet deze versie eerst accepteren. Tot die tijd kun je Kluis niet gebruiken.',
  'notices.title': 'Meldingen',
  'notices.unread': '{count} ongelezen',
  'notices.markRead': 'Gelezen',
  'notices.markReadNamed': 'Gelezen: melding van {date}',
  'notices.kind.subprocessor_announced':
    'Nieuwe subverwerker per {date}: {name} ({purpose}). Je kunt tot die datum bezwaar maken of, bij voorafgaande toestemming, instemmen.',
  'notices.kind.subprocessor_unknown': 'Er is een nieuwe subverwerker aangekondigd.',
  'notices.kind.breach_notice':
    'Je hebt een melding van een datalek ontvangen (incident {ref}). Lees wat er is gebeurd en welke maatregelen zijn genomen.',
  'notices.kind.agreement_version': 'Versie {ref} van de verwerkersovereenkomst is van kracht.',
  'notices.kind.subject_request': 'Er is een privacyverzoek van een van je klanten binnengekomen.',
  'notices.open.subprocessor_announced': 'Naar de subverwerkers',
  'notices.open.breach_notice': 'Naar de meldingen van datalekken',
  'notices.open.agreement_version': 'Naar de verwerkersovereenkomst',
  'notices.open.subject_request': 'Naar de privacyverzoeken',
  'notices.received': 'Ontvangen op {date}',
};

export const enNotices: Record<keyof typeof nlNotices, string> = {
  'notices.contact.missing':
    'Your business has no data-protection contact yet. One is needed before you issue the first invoice, and receives notices about breaches and subprocessors.',
  'notices.contact.reconfirm': 'Is your data-protection contact still right? Confirm it once a year.',
  'notices.contact.action': 'Go to the privacy center',
  'notices.gate.title': 'New processing agreement',
  'notices.gate.text':
    'Version {version} of the terms and the processing agreement applies since {date}. Read it and accept it on behalf of your business before you continue.',
  'notices.gate.readAgreement': 'Read the processing agreement (opens in a new window)',
  'notices.gate.readTerms': 'Read the terms (opens in a new window)',
  'notices.gate.confirm': 'I have read version {version} and accept it on behalf of the business',
  'notices.gate.accept': 'Accept and continue',
  'notices.gate.mustConfirm': 'First tick that you have read and accept the new version.',
  'notices.gate.pending':
    'An owner or admin of your business must accept this version first. Until then you cannot use Kluis.',
  'notices.title': 'Notices',
  'notices.unread': '{count} unread',
  'notices.markRead': 'Read',
  'notices.markReadNamed': 'Read: notice of {date}',
  'notices.kind.subprocessor_announced':
    'New subprocessor from {date}: {name} ({purpose}). Until then you may object or, under prior consent, consent.',
  'notices.kind.subprocessor_unknown': 'A new subprocessor was announced.',
  'notices.kind.breach_notice':
    'You received a personal data breach notice (incident {ref}). Read what happened and which measures were taken.',
  'notices.kind.agreement_version': 'Version {ref} of the processing agreement is in force.',
  'notices.kind.subject_request': 'A privacy request from one of your customers arrived.',
  'notices.open.subprocessor_announced': 'Go to the subprocessors',
  'notices.open.breach_notice': 'Go to the breach notices',
  'notices.open.agreement_version': 'Go to the processing agreement',
  'notices.open.subject_request': 'Go to the privacy requests',
  'notices.received': 'Received on {date}',
};
