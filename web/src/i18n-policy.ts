/**
 * Texts of the business's two-factor requirement on the security screen and of an invoice's CII
 * download and recorded payments. Kept apart from the core dictionary in i18n.tsx (which spreads
 * them in). Dutch is the source of the keys; the English object must have every key.
 */
export const nlPolicy = {
  'policy.title': 'Tweestapsverificatie voor iedereen',
  'policy.intro':
    'Als je dit aanzet, moet iedereen in dit bedrijf bij het inloggen naast het wachtwoord een tweede stap gebruiken (een code uit een app of een passkey). Wie dat nog niet heeft ingesteld, kan na het inloggen alleen dat instellen en verder niets in Kluis doen.',
  'policy.own':
    'Stel eerst zelf tweestapsverificatie in (hierboven), anders kun je na het aanzetten alleen nog dat doen.',
  'policy.label': 'Tweestapsverificatie verplicht voor alle mensen in dit bedrijf',
  'policy.on': 'Verplicht: iedereen logt in met een tweede stap.',
  'policy.off': 'Niet verplicht: ieder kiest zelf.',
  'error.owner_only': 'Alleen de eigenaar kan dit wijzigen.',
  'action.downloadCii': 'Download CII (XML)',
  'payments.title': 'Ontvangen betalingen',
  'payments.none': 'Nog geen betalingen geregistreerd.',
  'payments.date': 'Datum',
  'payments.amount': 'Bedrag',
  'payments.method': 'Manier',
  'payments.reference': 'Kenmerk',
  'payments.method.bank_transfer': 'Overboeking',
  'payments.method.direct_debit': 'Automatische incasso',
  'payments.method.card': 'Pin of creditcard',
  'payments.method.cash': 'Contant',
  'payments.method.ideal': 'iDEAL',
  'payments.method.other': 'Anders',
} as const;

export const enPolicy: Record<keyof typeof nlPolicy, string> = {
  'policy.title': 'Two-step sign-in for everyone',
  'policy.intro':
    'When you turn this on, everyone in this business must use a second step besides the password when signing in (a code from an app or a passkey). Anyone who has not set one up yet can, after signing in, only do that and nothing else in Kluis.',
  'policy.own':
    'Set up two-step sign-in for yourself first (above); otherwise, after turning this on, that is all you can do.',
  'policy.label': 'Two-step sign-in required for all people in this business',
  'policy.on': 'Required: everyone signs in with a second step.',
  'policy.off': 'Not required: each person chooses.',
  'error.owner_only': 'Only the owner can change this.',
  'action.downloadCii': 'Download CII (XML)',
  'payments.title': 'Payments received',
  'payments.none': 'No payments recorded yet.',
  'payments.date': 'Date',
  'payments.amount': 'Amount',
  'payments.method': 'Method',
  'payments.reference': 'Reference',
  'payments.method.bank_transfer': 'Bank transfer',
  'payments.method.direct_debit': 'Direct debit',
  'payments.method.card': 'Card',
  'payments.method.cash': 'Cash',
  'payments.method.ideal': 'iDEAL',
  'payments.method.other': 'Other',
};
