/**
 * Texts of editing a draft quote and a recurring schedule's template, kept apart from the core
 * dictionary in i18n.tsx (which spreads them in). Dutch is the source of the keys; the English object
 * must have every key, so a missing English text is a type error.
 */
export const nlEditing = {
  'editing.edit': 'Wijzigen',
  'editing.cancel': 'Annuleren',
  'editing.quoteTitle': 'Conceptofferte wijzigen',
  'editing.scheduleTitle': 'Periodieke factuur wijzigen',
  'editing.scheduleButton': 'Sjabloon wijzigen',
  'editing.scheduleNamed': 'Sjabloon wijzigen: {name}',
  'editing.startHint':
    'Een andere begindatum herberekent de volgende factuurdatum; facturen die al gemaakt zijn blijven staan.',
  'editing.intervalUnit': 'Eenheid',
  'editing.intervalCount': 'Elke hoeveel',
  'editing.unit.day': 'Dagen',
  'editing.unit.week': 'Weken',
  'editing.unit.month': 'Maanden',
  'error.quote_changed':
    'Iemand anders heeft deze offerte intussen gewijzigd. Je wijzigingen zijn niet opgeslagen: open de offerte opnieuw en breng ze daarna aan.',
} as const;

export const enEditing: Record<keyof typeof nlEditing, string> = {
  'editing.edit': 'Edit',
  'editing.cancel': 'Cancel',
  'editing.quoteTitle': 'Edit draft quote',
  'editing.scheduleTitle': 'Edit recurring invoice',
  'editing.scheduleButton': 'Edit template',
  'editing.scheduleNamed': 'Edit template: {name}',
  'editing.startHint':
    'Another start date recomputes the next invoice date; invoices already made stay as they are.',
  'editing.intervalUnit': 'Unit',
  'editing.intervalCount': 'Every how many',
  'editing.unit.day': 'Days',
  'editing.unit.week': 'Weeks',
  'editing.unit.month': 'Months',
  'error.quote_changed':
    'Someone else changed this quote in the meantime. Your changes were not saved: open the quote again and make them once more.',
};
