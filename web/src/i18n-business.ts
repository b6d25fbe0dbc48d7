/**
 * Texts of the business details that name the business as a party to its processing agreement (issue
 * 6 point 2: who represents it), kept apart from the core dictionary in i18n.tsx (which spreads them
 * in). Dutch is the source of the keys; the English object must have every key.
 */
export const nlBusiness = {
  'settings.representative': 'Vertegenwoordigd door',
  'settings.representativeHint':
    'Wie je onderneming vertegenwoordigt, met functie, bijvoorbeeld "J. de Vries, directeur". Deze naam staat in jouw exemplaar van de verwerkersovereenkomst. Ten hoogste 120 tekens.',
  'error.representative_too_long': 'Vul bij "Vertegenwoordigd door" ten hoogste 120 tekens in.',
};

export const enBusiness: Record<keyof typeof nlBusiness, string> = {
  'settings.representative': 'Represented by',
  'settings.representativeHint':
    'Who represents your business, with their role, for example "J. de Vries, director". This name appears in your copy of the data processing agreement. At most 120 characters.',
  'error.representative_too_long': 'Enter at most 120 characters under "Represented by".',
};
