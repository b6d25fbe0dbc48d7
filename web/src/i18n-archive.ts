/**
 * Texts of the period archive on the invoices list (issue 5 point 6, issue 7 point 10), kept apart
 * from the core dictionary in i18n.tsx (which spreads them in). Dutch is the source of the keys;
 * the English object must have every key, so a missing English text is a type error.
 */
export const nlArchive = {
  'archive.title': 'Archief van een periode',
  'archive.intro':
    'Eén ZIP-bestand met de pdf en het UBL-bestand van elke uitgegeven factuur en creditnota met een factuurdatum in de periode, bijvoorbeeld voor je boekhouder of de Belastingdienst.',
  'archive.from': 'Van',
  'archive.to': 'Tot en met',
  'archive.download': "PDF's en UBL downloaden (ZIP)",
  'archive.starting': 'Archief wordt samengesteld…',
  'archive.progress': '{received} ontvangen',
  'archive.progressOf': '{received} van {total} ontvangen',
  'archive.cancel': 'Stoppen',
  'archive.done': 'Archief gedownload: {name} ({size}, {files} bestanden).',
  'archive.empty': 'Er zijn geen uitgegeven facturen met een factuurdatum in deze periode.',
  'archive.cancelled': 'Download gestopt.',
  'archive.truncated': 'Het archief kwam niet volledig binnen. Er is niets opgeslagen; probeer het opnieuw.',
  'archive.dateRequired': 'Vul een datum in.',
  'error.date_range_invalid': 'Dat is geen geldige periode: de einddatum ligt vóór de begindatum.',
  'error.date_format': 'Vul een datum in zoals 30-09-2026.',
  'error.date_before_from': 'De einddatum ligt vóór de begindatum.',
} as const;

export const enArchive: Record<keyof typeof nlArchive, string> = {
  'archive.title': 'Archive of a period',
  'archive.intro':
    'One ZIP file with the PDF and the UBL file of every issued invoice and credit note dated in the period, for your accountant or the tax authority, say.',
  'archive.from': 'From',
  'archive.to': 'Up to and including',
  'archive.download': 'Download PDFs and UBL (ZIP)',
  'archive.starting': 'Putting the archive together…',
  'archive.progress': '{received} received',
  'archive.progressOf': '{received} of {total} received',
  'archive.cancel': 'Stop',
  'archive.done': 'Archive downloaded: {name} ({size}, {files} files).',
  'archive.empty': 'There are no issued invoices dated in this period.',
  'archive.cancelled': 'Download stopped.',
  'archive.truncated': 'The archive did not arrive completely. Nothing was saved; please try again.',
  'archive.dateRequired': 'Enter a date.',
  'error.date_range_invalid': 'That is not a valid period: the end date is before the start date.',
  'error.date_format': 'Enter a date like 30-09-2026.',
  'error.date_before_from': 'The end date is before the start date.',
};
