/**
 * Human-readable names of the audit actions a business's own chain holds (server/audit/catalogue.ts,
 * without the operator's platform chain), in Dutch and English. An action that is not here yet is
 * shown as its raw name (`invoice.issued`), so a new action is never hidden; the groups are the
 * prefixes the audit-log search accepts (`invoice.`).
 */
import type { Lang } from '../i18n.tsx';

type Names = Record<string, readonly [nl: string, en: string]>;

/** The entity prefixes, in the order the search offers them. */
export const AUDIT_GROUPS: Names = {
  'invoice.': ['Facturen', 'Invoices'],
  'credit_note.': ['Creditnota’s', 'Credit notes'],
  'customer.': ['Klanten', 'Customers'],
  'quote.': ['Offertes', 'Quotes'],
  'recurring.': ['Periodieke facturen', 'Recurring invoices'],
  'product.': ['Producten', 'Products'],
  'mail.': ['E-mail', 'Mail'],
  'export.': ['Exports', 'Exports'],
  'subject_request.': ['Verzoeken van betrokkenen', 'Data-subject requests'],
  'user.': ['Inloggen en accounts', 'Sign-in and accounts'],
  'membership.': ['Teamleden', 'Team members'],
  'invitation.': ['Uitnodigingen', 'Invitations'],
  'client.': ['Koppelingen', 'Integrations'],
  'consent.': ['Toestemming voor koppelingen', 'Consent for integrations'],
  'agreement.': ['Verwerkersovereenkomst', 'Processing agreement'],
  'privacy_contact.': ['Contactpersoon privacy', 'Data-protection contact'],
  'subprocessor.': ['Subverwerkers', 'Subprocessors'],
  'subscription.': ['Abonnement', 'Subscription'],
  'incident.': ['Datalekken', 'Data breaches'],
  'support.': ['Toegang voor support', 'Support access'],
  'tenant.': ['Bedrijf en sleutels', 'Business and keys'],
  'audit.': ['Auditlog', 'Audit log'],
};

/** Each action's name. */
export const AUDIT_ACTION_NAMES: Names = {
  'invoice.created': ['Factuur aangemaakt', 'Invoice created'],
  'invoice.updated': ['Conceptfactuur gewijzigd', 'Draft invoice changed'],
  'invoice.deleted': ['Conceptfactuur verwijderd', 'Draft invoice deleted'],
  'invoice.issued': ['Factuur uitgegeven', 'Invoice issued'],
  'invoice.sent': ['Factuur verstuurd', 'Invoice sent'],
  'invoice.credited': ['Factuur gecrediteerd', 'Invoice credited'],
  'invoice.viewed': ['Factuur bekeken', 'Invoice viewed'],
  'invoice.listed': ['Facturen opgevraagd', 'Invoices listed'],
  'invoice.exported': ['Factuur gedownload', 'Invoice downloaded'],
  'invoice.payment_recorded': ['Betaling geregistreerd', 'Payment recorded'],
  'invoice.payments_viewed': ['Betalingen bekeken', 'Payments viewed'],
  'invoice.pseudonymised': ['Afnemer op factuur gepseudonimiseerd', 'Buyer on invoice pseudonymised'],
  'credit_note.created': ['Creditnota gemaakt', 'Credit note created'],
  'customer.created': ['Klant toegevoegd', 'Customer added'],
  'customer.updated': ['Klant gewijzigd', 'Customer changed'],
  'customer.viewed': ['Klant bekeken', 'Customer viewed'],
  'customer.listed': ['Klanten opgevraagd', 'Customers listed'],
  'customer.searched': ['Klanten gezocht', 'Customers searched'],
  'customer.exported': ['Klantgegevens geëxporteerd', 'Customer data exported'],
  'customer.imported': ['Klanten geïmporteerd', 'Customers imported'],
  'customer.erased': ['Klant gewist', 'Customer erased'],
  'customer.restricted': ['Verwerking van klant beperkt', 'Customer processing restricted'],
  'customer.restriction_lifted': ['Beperking van klant opgeheven', 'Customer restriction lifted'],
  'customer.rectified': ['Klantgegevens gecorrigeerd op verzoek', 'Customer data rectified on request'],
  'quote.created': ['Offerte aangemaakt', 'Quote created'],
  'quote.updated': ['Offerte gewijzigd', 'Quote changed'],
  'quote.deleted': ['Offerte verwijderd', 'Quote deleted'],
  'quote.sent': ['Offerte verstuurd', 'Quote sent'],
  'quote.accepted': ['Offerte geaccepteerd', 'Quote accepted'],
  'quote.declined': ['Offerte afgewezen', 'Quote declined'],
  'recurring.created': ['Periodieke factuur aangemaakt', 'Recurring invoice created'],
  'recurring.updated': ['Periodieke factuur gewijzigd', 'Recurring invoice changed'],
  'recurring.deleted': ['Periodieke factuur verwijderd', 'Recurring invoice removed'],
  'recurring.viewed': ['Periodieke factuur bekeken', 'Recurring invoice viewed'],
  'recurring.listed': ['Periodieke facturen opgevraagd', 'Recurring invoices listed'],
  'recurring.occurrence_failed': ['Periodieke factuur mislukt', 'Recurring invoice failed'],
  'product.created': ['Product toegevoegd', 'Product added'],
  'product.updated': ['Product gewijzigd', 'Product changed'],
  'product.deleted': ['Product verwijderd', 'Product removed'],
  'mail.sent': ['E-mail verstuurd', 'Mail sent'],
  'mail.listed': ['Postvak uit bekeken', 'Outbox listed'],
  'mail.viewed': ['E-mail bekeken', 'Mail viewed'],
  'blob.stored': ['Bestand opgeslagen', 'File stored'],
  'export.requested': ['Export aangevraagd', 'Export requested'],
  'export.downloaded': ['Export gedownload', 'Export downloaded'],
  'export.expired': ['Export verlopen', 'Export expired'],
  'subject_request.received': ['Verzoek van betrokkene ontvangen', 'Data-subject request received'],
  'subject_request.matched': ['Verzoek gekoppeld aan klant', 'Request matched to a customer'],
  'subject_request.decided': ['Verzoek afgehandeld', 'Request decided'],
  'subject_request.exported': ['Gegevens voor verzoek geëxporteerd', 'Data exported for a request'],
  'user.signed_up': ['Account aangemaakt', 'Account created'],
  'user.sign_up_repeated': [
    'Nogmaals aangemeld met bestaand adres',
    'Sign-up repeated for an existing address',
  ],
  'user.address_confirmed': ['E-mailadres bevestigd', 'E-mail address confirmed'],
  'user.signed_in': ['Ingelogd', 'Signed in'],
  'user.sign_in_failed': ['Inloggen mislukt', 'Sign-in failed'],
  'user.password_changed': ['Wachtwoord gewijzigd', 'Password changed'],
  'user.password_reset_requested': ['Nieuw wachtwoord aangevraagd', 'Password reset requested'],
  'user.password_reset': ['Wachtwoord opnieuw ingesteld', 'Password reset'],
  'user.two_factor_enrolled': ['Tweestapsverificatie aangezet', 'Two-step verification turned on'],
  'user.two_factor_removed': ['Tweestapsverificatie uitgezet', 'Two-step verification turned off'],
  'user.recovery_code_used': ['Herstelcode gebruikt', 'Recovery code used'],
  'user.tokens_revoked': ['Sessies ingetrokken', 'Sessions revoked'],
  'membership.created': ['Teamlid toegevoegd', 'Team member added'],
  'membership.removed': ['Teamlid verwijderd', 'Team member removed'],
  'membership.role_changed': ['Rol van teamlid gewijzigd', 'Team member’s role changed'],
  'invitation.sent': ['Uitnodiging verstuurd', 'Invitation sent'],
  'client.created': ['Koppeling gemaakt', 'Integration created'],
  'client.revoked': ['Koppeling ingetrokken', 'Integration revoked'],
  'consent.granted': ['Toestemming gegeven aan koppeling', 'Consent granted to an integration'],
  'consent.denied': ['Toestemming geweigerd aan koppeling', 'Consent denied to an integration'],
  'agreement.accepted': [
    'Voorwaarden en verwerkersovereenkomst aanvaard',
    'Terms and processing agreement accepted',
  ],
  'invoice_settings.updated': ['Bedrijfsgegevens gewijzigd', 'Business details changed'],
  'privacy_contact.updated': ['Contactpersoon privacy gewijzigd', 'Data-protection contact changed'],
  'privacy_contact.confirmed': ['Contactpersoon privacy bevestigd', 'Data-protection contact confirmed'],
  'subprocessor.objected': ['Bezwaar tegen subverwerker', 'Objection to a subprocessor'],
  'subprocessor.consented': ['Toestemming voor subverwerker', 'Consent to a subprocessor'],
  'subprocessor_policy.changed': ['Beleid voor subverwerkers gewijzigd', 'Subprocessor policy changed'],
  'business.two_factor_requirement_changed': [
    'Verplichte tweestapsverificatie gewijzigd',
    'Two-step verification requirement changed',
  ],
  'subscription.ended': ['Abonnement beëindigd', 'Subscription ended'],
  'subscription.resumed': ['Beëindiging ingetrokken', 'Ending withdrawn'],
  'subscription.deletion_advanced': ['Verwijdering vervroegd naar nu', 'Deletion brought forward to now'],
  'support.granted': ['Toegang voor support gegeven', 'Support access granted'],
  'support.revoked': ['Toegang voor support ingetrokken', 'Support access revoked'],
  'support.accessed': ['Support heeft gegevens ingezien', 'Support read records'],
  'notice.read': ['Melding gelezen', 'Notice read'],
  'incident.notified': ['Melding van datalek ontvangen', 'Breach notice received'],
  'tenant.created': ['Bedrijf aangemaakt', 'Business created'],
  'tenant.keys_rewrapped': ['Sleutels opnieuw verpakt', 'Keys rewrapped'],
  'tenant.shredded': ['Sleutels vernietigd', 'Keys destroyed'],
  'audit.exported': ['Auditlog geëxporteerd', 'Audit log exported'],
};

/** The name of an action in `lang`, or the action itself when Kluis has no name for it yet. */
export function actionName(action: string, lang: Lang): string {
  const names = AUDIT_ACTION_NAMES[action];
  return names ? names[lang === 'nl' ? 0 : 1] : action;
}

/** The name of a group prefix in `lang`. */
export function groupName(prefix: string, lang: Lang): string {
  const names = AUDIT_GROUPS[prefix];
  return names ? names[lang === 'nl' ? 0 : 1] : prefix;
}

/** The known actions under a prefix, in the map's order. */
export function actionsUnder(prefix: string): string[] {
  return Object.keys(AUDIT_ACTION_NAMES).filter((a) => a.startsWith(prefix));
}
