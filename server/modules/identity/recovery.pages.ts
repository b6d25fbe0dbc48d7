/**
 * The pages of password reset and sign-up confirmation, in Dutch and English, in the same frame
 * as the sign-in pages (no inline script or style). The "check your mail" answers are one text
 * for every address, so the page never says whether an account exists.
 */
import { esc, type Lang, layout } from './pages.ts';

const TEXT = {
  nl: {
    forgotTitle: 'Wachtwoord vergeten',
    forgotHint:
      'Vul je e-mailadres in. Als er een account bij hoort, sturen we je een link om een nieuw wachtwoord te kiezen.',
    email: 'E-mailadres',
    send: 'Stuur de link',
    sentTitle: 'Kijk in je mail',
    sent: 'Als er een account bij dit adres hoort, hebben we een link gestuurd. Die werkt een uur. Zie je niets? Kijk ook bij ongewenste mail.',
    resetTitle: 'Nieuw wachtwoord kiezen',
    password: 'Nieuw wachtwoord',
    passwordHint: 'Minstens 12 tekens. Een zin van een paar woorden werkt goed.',
    save: 'Wachtwoord opslaan',
    doneTitle: 'Wachtwoord gewijzigd',
    done: 'Je nieuwe wachtwoord is opgeslagen. Je bent overal uitgelogd; log opnieuw in vanuit de app.',
    toApp: 'Naar Kluis',
    goneTitle: 'Link verlopen',
    gone: 'Deze link is verlopen of al gebruikt. Vraag een nieuwe aan.',
    again: 'Nieuwe link aanvragen',
    checkTitle: 'Bevestig je e-mailadres',
    check: 'We hebben een mail gestuurd naar het adres dat je opgaf. Volg de link daarin om verder te gaan.',
    confirmTitle: 'E-mailadres bevestigen',
    confirmHint: 'Typ het wachtwoord dat je bij het aanmaken koos.',
    currentPassword: 'Wachtwoord',
    confirm: 'Bevestigen',
    confirmedTitle: 'Account klaar',
    confirmed: 'Je e-mailadres is bevestigd. Je kunt nu inloggen.',
    invalid: 'Controleer de velden hieronder.',
    wrongPassword: 'Dit wachtwoord klopt niet.',
    tooMany: 'Te veel pogingen. Probeer het over een kwartier opnieuw.',
  },
  en: {
    forgotTitle: 'Forgot your password',
    forgotHint:
      'Fill in your e-mail address. If it belongs to an account, we send you a link to choose a new password.',
    email: 'E-mail address',
    send: 'Send the link',
    sentTitle: 'Check your mail',
    sent: 'If an account belongs to this address, we sent it a link. It works for an hour. Nothing there? Look in your spam folder too.',
    resetTitle: 'Choose a new password',
    password: 'New password',
    passwordHint: 'At least 12 characters. A sentence of a few words works well.',
    save: 'Save password',
    doneTitle: 'Password changed',
    done: 'Your new password is saved. You are signed out everywhere; sign in again from the app.',
    toApp: 'Go to Kluis',
    goneTitle: 'Link expired',
    gone: 'This link has expired or was already used. Ask for a new one.',
    again: 'Ask for a new link',
    checkTitle: 'Confirm your e-mail address',
    check: 'We sent a mail to the address you gave. Follow the link in it to continue.',
    confirmTitle: 'Confirm your e-mail address',
    confirmHint: 'Type the password you chose when you signed up.',
    currentPassword: 'Password',
    confirm: 'Confirm',
    confirmedTitle: 'Account ready',
    confirmed: 'Your e-mail address is confirmed. You can sign in now.',
    invalid: 'Please check the fields below.',
    wrongPassword: 'This password is wrong.',
    tooMany: 'Too many attempts. Try again in a quarter of an hour.',
  },
} as const;

/** The errors these pages show. */
export type RecoveryError = 'invalid' | 'wrongPassword' | 'tooMany';

const other = (lang: Lang) => (lang === 'nl' ? 'en' : 'nl');

function errorBlock(lang: Lang, error: RecoveryError | undefined, details: readonly string[]): string {
  if (!error) return '';
  const lines = [TEXT[lang][error], ...details].map((l) => `<p>${esc(l)}</p>`).join('');
  return `<div class="error" role="alert">${lines}</div>`;
}

/** Asks for the address to send a reset link to. */
export function forgotPage(
  lang: Lang,
  email = '',
  error?: RecoveryError,
  details: readonly string[] = [],
): string {
  const t = TEXT[lang];
  const body = `${errorBlock(lang, error, details)}
<p class="hint">${t.forgotHint}</p>
<form method="post" action="/auth/forgot">
<input type="hidden" name="lang" value="${lang}">
<label for="email">${t.email}</label><input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}">
<button type="submit">${t.send}</button></form>`;
  return layout(lang, t.forgotTitle, body, `/auth/forgot?lang=${other(lang)}`);
}

/** The one answer to every well-formed reset request. */
export function forgotSentPage(lang: Lang): string {
  return layout(lang, TEXT[lang].sentTitle, `<p>${TEXT[lang].sent}</p>`);
}

/** The form behind a reset link. */
export function resetPage(
  lang: Lang,
  token: string,
  error?: RecoveryError,
  details: readonly string[] = [],
): string {
  const t = TEXT[lang];
  const action = '/auth/reset';
  const body = `${errorBlock(lang, error, details)}
<form method="post" action="${action}">
<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="t" value="${esc(token)}">
<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<p class="hint">${t.passwordHint}</p>
<button type="submit">${t.save}</button></form>`;
  return layout(lang, t.resetTitle, body, `${action}?t=${encodeURIComponent(token)}&lang=${other(lang)}`);
}

/** After a new password was saved. */
export function resetDonePage(lang: Lang, appUrl: string): string {
  const t = TEXT[lang];
  return layout(lang, t.doneTitle, `<p>${t.done}</p><p><a href="${esc(appUrl)}">${t.toApp}</a></p>`);
}

/** A reset or confirmation link that no longer works. */
export function linkGonePage(lang: Lang): string {
  const t = TEXT[lang];
  return layout(
    lang,
    t.goneTitle,
    `<p>${t.gone}</p><p><a href="/auth/forgot?lang=${lang}">${t.again}</a></p>`,
  );
}

/** The one answer to every valid sign-up, whether or not the address has an account. */
export function checkMailPage(lang: Lang): string {
  return layout(lang, TEXT[lang].checkTitle, `<p>${TEXT[lang].check}</p>`);
}

/** The form behind a confirmation link: the password chosen at sign-up. */
export function confirmPage(lang: Lang, token: string, error?: RecoveryError): string {
  const t = TEXT[lang];
  const action = '/auth/confirm';
  const body = `${errorBlock(lang, error, [])}
<p class="hint">${t.confirmHint}</p>
<form method="post" action="${action}">
<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="t" value="${esc(token)}">
<label for="password">${t.currentPassword}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${t.confirm}</button></form>`;
  return layout(lang, t.confirmTitle, body, `${action}?t=${encodeURIComponent(token)}&lang=${other(lang)}`);
}

/** After the address was confirmed. */
export function confirmedPage(lang: Lang, appUrl: string): string {
  const t = TEXT[lang];
  return layout(
    lang,
    t.confirmedTitle,
    `<p>${t.confirmed}</p><p><a href="${esc(appUrl)}">${t.toApp}</a></p>`,
  );
}
