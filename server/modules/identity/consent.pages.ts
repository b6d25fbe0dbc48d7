/**
 * The consent page: an interactive API client of a business asks to act for the signed-in person.
 * It names the client, the business and each scope in plain words; every scope is a checkbox
 * (checked), so the person may approve less than was asked. No script; the look is kluis.css.
 */
import { esc, type Lang, layout } from './pages.ts';

const SCOPES: Record<Lang, Record<string, string>> = {
  nl: {
    'customers:read': 'Je klanten bekijken',
    'customers:write': 'Klanten aanmaken en wijzigen',
    'products:read': 'Je producten bekijken',
    'products:write': 'Producten aanmaken en wijzigen',
    'invoices:read': 'Je facturen bekijken',
    'invoices:write': 'Facturen aanmaken, wijzigen en versturen',
    'quotes:read': 'Je offertes bekijken',
    'quotes:write': 'Offertes aanmaken, wijzigen en versturen',
    'payments:read': 'Betalingen bekijken',
    'payments:write': 'Betalingen vastleggen',
    'reports:read': 'Rapporten bekijken',
    'audit:read': 'Het auditlog doorzoeken',
  },
  en: {
    'customers:read': 'See your customers',
    'customers:write': 'Create and change customers',
    'products:read': 'See your products',
    'products:write': 'Create and change products',
    'invoices:read': 'See your invoices',
    'invoices:write': 'Create, change and send invoices',
    'quotes:read': 'See your quotes',
    'quotes:write': 'Create, change and send quotes',
    'payments:read': 'See payments',
    'payments:write': 'Record payments',
    'reports:read': 'See reports',
    'audit:read': 'Search the audit log',
  },
};

const TEXT = {
  nl: {
    title: 'Toegang geven?',
    intro: (client: string, business: string) =>
      `<strong>${client}</strong> wil namens jou werken in <strong>${business}</strong>. Het mag dan:`,
    never:
      'Het kan nooit meer dan jouw eigen rol in dit bedrijf toestaat, en nooit leden of koppelingen beheren.',
    later:
      'Je kunt dit later intrekken door uit te loggen of het wachtwoord te wijzigen; de beheerder kan de koppeling intrekken.',
    approve: 'Toestaan',
    deny: 'Weigeren',
    unnamed: '(naam niet beschikbaar)',
  },
  en: {
    title: 'Give access?',
    intro: (client: string, business: string) =>
      `<strong>${client}</strong> wants to work on your behalf in <strong>${business}</strong>. It may then:`,
    never:
      'It can never do more than your own role in this business allows, and never manage members or integrations.',
    later:
      'You can withdraw this later by signing out or changing your password; an admin can revoke the integration.',
    approve: 'Allow',
    deny: 'Deny',
    unnamed: '(name not available)',
  },
} as const;

/** Plain words for a scope (the scope itself when unknown). */
export function scopeText(lang: Lang, scope: string): string {
  return SCOPES[lang][scope] ?? scope;
}

/** The consent form of an interaction; checkboxes are named `scope:<scope>`. */
export function consentPage(
  lang: Lang,
  uid: string,
  input: { clientName: string | undefined; businessName: string | undefined; scopes: readonly string[] },
): string {
  const t = TEXT[lang];
  const base = `/auth/interaction/${encodeURIComponent(uid)}`;
  const items = input.scopes
    .map((s, i) => {
      const id = `scope-${i}`;
      return `<li><input type="checkbox" id="${id}" name="scope:${esc(s)}" value="on" checked> <label for="${id}">${esc(scopeText(lang, s))}</label></li>`;
    })
    .join('\n');
  const body = `<p>${t.intro(esc(input.clientName ?? t.unnamed), esc(input.businessName ?? t.unnamed))}</p>
<form method="post" action="${base}/consent">
<input type="hidden" name="lang" value="${lang}">
<ul class="scopes">
${items}
</ul>
<p class="hint">${t.never}</p>
<p class="hint">${t.later}</p>
<button type="submit" name="decision" value="approve">${t.approve}</button>
<button type="submit" name="decision" value="deny" class="secondary">${t.deny}</button></form>`;
  return layout(lang, t.title, body, `${base}?lang=${lang === 'nl' ? 'en' : 'nl'}`);
}
