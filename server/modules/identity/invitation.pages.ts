/** The invitation link's pages in Dutch and English (same frame and rules as the sign-in pages). */
import type { Role } from '../../context.ts';
import type { InvitationGone, InvitationView } from './invitation-page.service.ts';
import { esc, type Lang, layout } from './pages.ts';

const TEXT = {
  nl: {
    title: 'Uitnodiging voor Kluis',
    invited: (email: string, role: string) =>
      `Je bent uitgenodigd als ${role}. De uitnodiging is voor ${email}.`,
    signInHint: 'Log in met je wachtwoord om de uitnodiging aan te nemen.',
    createHint: 'Kies een wachtwoord om je account aan te maken en de uitnodiging aan te nemen.',
    password: 'Wachtwoord',
    newPassword: 'Nieuw wachtwoord',
    passwordHint: 'Minstens 12 tekens. Een zin van een paar woorden werkt goed.',
    code: 'Code uit je authenticator-app of een herstelcode',
    accept: 'Uitnodiging aannemen',
    doneTitle: 'Welkom',
    done: (role: string) => `Je bent nu ${role} in dit bedrijf. Open Kluis om te beginnen.`,
    toApp: 'Naar Kluis',
    goneTitle: 'Uitnodiging niet meer geldig',
    gone: {
      unknown: 'Deze uitnodiging bestaat niet (meer). Misschien is ze ingetrokken.',
      used: 'Deze uitnodiging is al aangenomen. Log in vanuit de app.',
      expired: 'Deze uitnodiging is verlopen.',
    },
    askAgain: 'Vraag degene die je uitnodigde om een nieuwe uitnodiging.',
    errors: {
      invalid_credentials: 'Dit wachtwoord klopt niet.',
      second_factor_invalid: 'Deze code klopt niet.',
      second_factor_required: 'Vul ook de code van je tweede factor in.',
      too_many_attempts: 'Te veel pogingen. Probeer het over een kwartier opnieuw.',
      validation_failed: 'Controleer het wachtwoord.',
      other: 'Dit lukte niet. Log in vanuit de app en neem de uitnodiging daar aan.',
    },
    roles: { owner: 'eigenaar', admin: 'beheerder', bookkeeper: 'boekhouder', viewer: 'kijker' },
  },
  en: {
    title: 'Invitation to Kluis',
    invited: (email: string, role: string) => `You are invited as ${role}. The invitation is for ${email}.`,
    signInHint: 'Sign in with your password to accept the invitation.',
    createHint: 'Choose a password to create your account and accept the invitation.',
    password: 'Password',
    newPassword: 'New password',
    passwordHint: 'At least 12 characters. A sentence of a few words works well.',
    code: 'Code from your authenticator app or a recovery code',
    accept: 'Accept invitation',
    doneTitle: 'Welcome',
    done: (role: string) => `You are now ${role} in this business. Open Kluis to start.`,
    toApp: 'Go to Kluis',
    goneTitle: 'Invitation no longer valid',
    gone: {
      unknown: 'This invitation does not exist (any more). Perhaps it was withdrawn.',
      used: 'This invitation was already accepted. Sign in from the app.',
      expired: 'This invitation has expired.',
    },
    askAgain: 'Ask whoever invited you for a new invitation.',
    errors: {
      invalid_credentials: 'This password is wrong.',
      second_factor_invalid: 'This code is not valid.',
      second_factor_required: 'Fill in the code of your second factor too.',
      too_many_attempts: 'Too many attempts. Try again in a quarter of an hour.',
      validation_failed: 'Please check the password.',
      other: 'That did not work. Sign in from the app and accept the invitation there.',
    },
    roles: { owner: 'owner', admin: 'admin', bookkeeper: 'bookkeeper', viewer: 'viewer' },
  },
} as const;

/** The errors the invitation form shows. */
export type InvitationError = keyof (typeof TEXT)['nl']['errors'];

/** The invitation with the form that applies: sign in, or choose a password. */
export function invitationPage(
  lang: Lang,
  token: string,
  view: InvitationView,
  error?: InvitationError,
  details: readonly string[] = [],
): string {
  const t = TEXT[lang];
  const lines = error ? [t.errors[error], ...details].map((l) => `<p>${esc(l)}</p>`).join('') : '';
  const code = view.needsCode
    ? `<label for="code">${t.code}</label><input id="code" name="code" autocomplete="one-time-code" required>`
    : '';
  const password = view.hasAccount
    ? `<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>`
    : `<label for="password">${t.newPassword}</label><input id="password" name="password" type="password" autocomplete="new-password" required><p class="hint">${t.passwordHint}</p>`;
  const body = `${lines ? `<div class="error" role="alert">${lines}</div>` : ''}
<p>${esc(t.invited(view.email, t.roles[view.role]))}</p>
<p class="hint">${view.hasAccount ? t.signInHint : t.createHint}</p>
<form method="post" action="/auth/invitation">
<input type="hidden" name="lang" value="${lang}"><input type="hidden" name="t" value="${esc(token)}">
<input type="hidden" name="email" value="${esc(view.email)}" autocomplete="username">
${password}
${code}
<button type="submit">${t.accept}</button></form>`;
  return layout(
    lang,
    t.title,
    body,
    `/auth/invitation?t=${encodeURIComponent(token)}&lang=${lang === 'nl' ? 'en' : 'nl'}`,
  );
}

/** After joining the business. */
export function invitationDonePage(lang: Lang, role: Role, appUrl: string): string {
  const t = TEXT[lang];
  return layout(
    lang,
    t.doneTitle,
    `<p>${esc(t.done(t.roles[role]))}</p><p><a href="${esc(appUrl)}">${t.toApp}</a></p>`,
  );
}

/** An invitation that no longer works, saying why. */
export function invitationGonePage(lang: Lang, reason: InvitationGone): string {
  const t = TEXT[lang];
  return layout(lang, t.goneTitle, `<p>${t.gone[reason]}</p><p>${t.askAgain}</p>`);
}
