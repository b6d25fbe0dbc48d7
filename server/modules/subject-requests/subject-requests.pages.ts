/**
 * The public form for data-subject requests, server-rendered in Dutch (default) and English.
 * Every value is HTML-escaped; no inline script or style (the CSP forbids both): the look comes
 * from /auth/kluis.css like the identity and legal pages. The page never names the business, so
 * an unknown business id looks exactly like a known one.
 */
import { esc, type Lang, layout } from '../identity/pages.ts';
import {
  kindText,
  REQUEST_KINDS,
  type RequestKind,
  subjectRequestFormPath,
} from './subject-requests.service.ts';

const TEXT = {
  nl: {
    title: 'Privacyverzoek',
    intro:
      'Bent u klant van een onderneming die Kluis gebruikt voor haar facturen? Met dit formulier vraagt u die onderneming om inzage in, correctie, aanvulling of verwijdering van uw persoonsgegevens, om beperking van de verwerking, of u maakt bezwaar. De onderneming beslist over uw verzoek en antwoordt binnen een maand.',
    kind: 'Wat vraagt u?',
    kinds: 'Kies…',
    name: 'Uw naam',
    email: 'Uw e-mailadres',
    description: 'Uw verzoek',
    descriptionHint:
      'Beschrijf wat u vraagt, bijvoorbeeld welke gegevens onjuist zijn, of om welke facturen het gaat.',
    send: 'Verzoek versturen',
    invalid: 'Controleer de velden hieronder.',
    sentTitle: 'Verzoek verstuurd',
    sent: 'Dank u. Als dit formulier bij een onderneming in Kluis hoort, is uw verzoek doorgestuurd en ontvangt u een bevestiging per e-mail. De onderneming antwoordt binnen een maand.',
    privacy: 'Kluis bewaart uw verzoek versleuteld, alleen voor de onderneming aan wie u het richt.',
    otherLang: 'English',
  },
  en: {
    title: 'Privacy request',
    intro:
      'Are you a customer of a business that uses Kluis for its invoices? With this form you ask that business for access to, rectification, completion or erasure of your personal data, for restriction of processing, or you object to processing. The business decides on your request and answers within one month.',
    kind: 'What do you ask?',
    kinds: 'Choose…',
    name: 'Your name',
    email: 'Your e-mail address',
    description: 'Your request',
    descriptionHint:
      'Describe what you ask, for example which details are wrong, or which invoices it concerns.',
    send: 'Send request',
    invalid: 'Please check the fields below.',
    sentTitle: 'Request sent',
    sent: 'Thank you. If this form belongs to a business in Kluis, your request has been passed on and you will receive an acknowledgement by e-mail. The business answers within one month.',
    privacy: 'Kluis keeps your request encrypted, only for the business you address it to.',
    otherLang: 'Nederlands',
  },
} as const;

/** The values the form shows again after a mistake. */
export interface FormValues {
  kind?: string;
  name?: string;
  email?: string;
  description?: string;
}

/** The form; `details` are the problems found when it was sent. */
export function subjectRequestPage(
  lang: Lang,
  businessId: string,
  values: FormValues = {},
  details: readonly string[] = [],
): string {
  const t = TEXT[lang];
  const action = subjectRequestFormPath(businessId);
  const errors =
    details.length > 0
      ? `<div class="error" role="alert"><p>${t.invalid}</p>${details.map((d) => `<p>${esc(d)}</p>`).join('')}</div>`
      : '';
  const options = REQUEST_KINDS.map(
    (k: RequestKind) =>
      `<option value="${k}"${values.kind === k ? ' selected' : ''}>${esc(kindText(k, lang))}</option>`,
  ).join('');
  const body = `<p>${t.intro}</p>${errors}
<form method="post" action="${esc(action)}">
<input type="hidden" name="lang" value="${lang}">
<label for="kind">${t.kind}</label><select id="kind" name="kind" required><option value="">${t.kinds}</option>${options}</select>
<label for="name">${t.name}</label><input id="name" name="name" autocomplete="name" maxlength="200" required value="${esc(values.name ?? '')}">
<label for="email">${t.email}</label><input id="email" name="email" type="email" autocomplete="email" maxlength="254" required value="${esc(values.email ?? '')}">
<label for="description">${t.description}</label><textarea id="description" name="description" rows="6" maxlength="5000" required aria-describedby="description-hint">${esc(values.description ?? '')}</textarea>
<p id="description-hint" class="hint">${t.descriptionHint}</p>
<button type="submit">${t.send}</button></form>
<p class="hint">${t.privacy} <a href="/privacy">Privacy</a></p>`;
  return layout(lang, t.title, body, `${action}?lang=${lang === 'nl' ? 'en' : 'nl'}`);
}

/** The neutral answer after sending: the same for a known and an unknown business. */
export function subjectRequestSentPage(lang: Lang): string {
  const t = TEXT[lang];
  return layout(lang, t.sentTitle, `<p>${t.sent}</p>`);
}
