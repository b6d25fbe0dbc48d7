/**
 * The server-rendered identity pages (sign in, sign up, sign out, errors) in Dutch (default) and
 * English. Every value is HTML-escaped; there is no inline script or style (the CSP forbids both):
 * the look comes from /auth/kluis.css.
 */

/** The languages of the pages. */
export type Lang = 'nl' | 'en';

const TEXT = {
  nl: {
    signInTitle: 'Inloggen bij Kluis',
    signUpTitle: 'Account aanmaken',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    businessName: 'Naam van je bedrijf',
    signIn: 'Inloggen',
    signUp: 'Account aanmaken',
    toSignUp: 'Nog geen account? Maak er een aan',
    toSignIn: 'Heb je al een account? Log in',
    forgot: 'Wachtwoord vergeten?',
    signInWithPasskey: 'Inloggen met een passkey',
    passwordHint: 'Minstens 12 tekens. Een zin van een paar woorden werkt goed.',
    otherLang: 'English',
    secondFactorTitle: 'Tweede stap',
    secondFactorHint: 'Typ de code uit je authenticator-app, of een van je herstelcodes.',
    code: 'Code',
    confirm: 'Bevestigen',
    usePasskey: 'Gebruik een passkey',
    signOutTitle: 'Uitloggen',
    signOutQuestion: 'Wil je uitloggen bij Kluis?',
    signOutYes: 'Ja, uitloggen',
    signOutNo: 'Nee, ingelogd blijven',
    signedOut: 'Je bent uitgelogd.',
    errorTitle: 'Er ging iets mis',
    errors: {
      invalid_credentials: 'Het e-mailadres of wachtwoord klopt niet.',
      too_many_attempts: 'Te veel pogingen. Probeer het over een kwartier opnieuw.',
      email_taken: 'Er bestaat al een account met dit e-mailadres. Log in.',
      second_factor_required: 'Dit account vereist een tweede factor; die is hier nog niet beschikbaar.',
      session_expired: 'Deze inlogpoging is verlopen. Begin opnieuw vanuit de app.',
      second_factor_invalid: 'Deze code klopt niet.',
      validation_failed: 'Controleer de velden hieronder.',
      other: 'Probeer het opnieuw.',
    },
  },
  en: {
    signInTitle: 'Sign in to Kluis',
    signUpTitle: 'Create an account',
    email: 'E-mail address',
    password: 'Password',
    businessName: 'Name of your business',
    signIn: 'Sign in',
    signUp: 'Create account',
    toSignUp: 'No account yet? Create one',
    toSignIn: 'Already have an account? Sign in',
    forgot: 'Forgot your password?',
    signInWithPasskey: 'Sign in with a passkey',
    passwordHint: 'At least 12 characters. A sentence of a few words works well.',
    otherLang: 'Nederlands',
    secondFactorTitle: 'Second step',
    secondFactorHint: 'Type the code from your authenticator app, or one of your recovery codes.',
    code: 'Code',
    confirm: 'Confirm',
    usePasskey: 'Use a passkey',
    signOutTitle: 'Sign out',
    signOutQuestion: 'Do you want to sign out of Kluis?',
    signOutYes: 'Yes, sign me out',
    signOutNo: 'No, stay signed in',
    signedOut: 'You are signed out.',
    errorTitle: 'Something went wrong',
    errors: {
      invalid_credentials: 'The e-mail address or password is wrong.',
      too_many_attempts: 'Too many attempts. Try again in a quarter of an hour.',
      email_taken: 'An account with this e-mail address exists. Sign in instead.',
      second_factor_required: 'This account requires a second factor, which is not available here yet.',
      session_expired: 'This sign-in attempt has expired. Start again from the app.',
      second_factor_invalid: 'This code is not valid.',
      validation_failed: 'Please check the fields below.',
      other: 'Please try again.',
    },
  },
} as const;

/** A message code the pages know. */
export type PageError = keyof (typeof TEXT)['nl']['errors'];

/** Escapes text for HTML element content and attribute values. */
export function esc(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Picks the language: an explicit choice, else the browser's first preference, else Dutch. */
export function pickLang(explicit: unknown, acceptLanguage: string | undefined): Lang {
  if (explicit === 'en' || explicit === 'nl') return explicit;
  return /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'nl';
}

/** The page frame: title, body, and a link to the other language. */
export function layout(lang: Lang, title: string, body: string, otherLangHref?: string): string {
  const t = TEXT[lang];
  const switcher = otherLangHref ? `<a href="${esc(otherLangHref)}">${t.otherLang}</a>` : '';
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Kluis</title><link rel="stylesheet" href="/auth/kluis.css"></head>
<body><main><h1>${esc(title)}</h1>
${body}
<footer><span>Kluis</span>${switcher}</footer></main></body></html>`;
}

function errorBlock(lang: Lang, error: PageError | undefined, details: readonly string[] = []): string {
  if (!error) return '';
  const lines = [TEXT[lang].errors[error], ...details].map((l) => `<p>${esc(l)}</p>`).join('');
  return `<div class="error" role="alert">${lines}</div>`;
}

/** The sign-in form of an interaction. */
export function signInPage(lang: Lang, uid: string, email = '', error?: PageError): string {
  const t = TEXT[lang];
  const base = `/auth/interaction/${encodeURIComponent(uid)}`;
  const body = `${errorBlock(lang, error)}
<form method="post" action="${base}/login">
<input type="hidden" name="lang" value="${lang}">
<label for="email">${t.email}</label><input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}">
<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${t.signIn}</button></form>
<button id="passkey-login" type="button" class="secondary" data-base="${base}" hidden>${t.signInWithPasskey}</button>
<p><a href="/auth/forgot?lang=${lang}">${t.forgot}</a></p>
<p><a href="${base}/signup?lang=${lang}">${t.toSignUp}</a></p>
<script src="/auth/passkey.js" defer></script>`;
  return layout(lang, t.signInTitle, body, `${base}?lang=${lang === 'nl' ? 'en' : 'nl'}`);
}

/** The second step of signing in: a TOTP or recovery code. */
export function secondFactorPage(lang: Lang, uid: string, error?: PageError): string {
  const t = TEXT[lang];
  const base = `/auth/interaction/${encodeURIComponent(uid)}`;
  const body = `${errorBlock(lang, error)}
<p class="hint">${t.secondFactorHint}</p>
<form method="post" action="${base}/second-factor">
<input type="hidden" name="lang" value="${lang}">
<label for="code">${t.code}</label><input id="code" name="code" autocomplete="one-time-code" inputmode="text" required>
<button type="submit">${t.confirm}</button></form>
<button id="passkey" type="button" class="secondary" data-base="${base}" hidden>${t.usePasskey}</button>
<script src="/auth/passkey.js" defer></script>`;
  return layout(lang, t.secondFactorTitle, body);
}

/** The sign-up form of an interaction. */
export function signUpPage(
  lang: Lang,
  uid: string,
  values: { email?: string; businessName?: string } = {},
  error?: PageError,
  details: readonly string[] = [],
): string {
  const t = TEXT[lang];
  const base = `/auth/interaction/${encodeURIComponent(uid)}`;
  const body = `${errorBlock(lang, error, details)}
<form method="post" action="${base}/signup">
<input type="hidden" name="lang" value="${lang}">
<label for="businessName">${t.businessName}</label><input id="businessName" name="businessName" required value="${esc(values.businessName ?? '')}">
<label for="email">${t.email}</label><input id="email" name="email" type="email" autocomplete="username" required value="${esc(values.email ?? '')}">
<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<p class="hint">${t.passwordHint}</p>
<button type="submit">${t.signUp}</button></form>
<p><a href="${base}?lang=${lang}">${t.toSignIn}</a></p>`;
  return layout(lang, t.signUpTitle, body, `${base}/signup?lang=${lang === 'nl' ? 'en' : 'nl'}`);
}

/** The sign-out confirmation; `form` is the provider's form with its CSRF token. */
export function signOutPage(lang: Lang, form: string): string {
  const t = TEXT[lang];
  const body = `<p>${t.signOutQuestion}</p>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">${t.signOutYes}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t.signOutNo}</button>`;
  return layout(lang, t.signOutTitle, body);
}

/** The page after signing out. */
export function signedOutPage(lang: Lang): string {
  return layout(lang, TEXT[lang].signOutTitle, `<p>${TEXT[lang].signedOut}</p>`);
}

/** An error page that names a known error and nothing else (never the provider's details). */
export function errorPage(lang: Lang, error: PageError): string {
  return layout(lang, TEXT[lang].errorTitle, errorBlock(lang, error));
}
