/**
 * Browser journey for Identity capabilities the web app lacked (issue 7): changing one's password
 * on the security screen (a wrong current password, two different new ones and a too short one are
 * each refused next to their field in Dutch; a good change succeeds, and is changed back so later
 * journeys keep the password); renaming a passkey (an empty name is refused in the dialog);
 * managing members on the people screen (the only owner cannot make themselves admin or remove
 * themselves: the server's "last owner" refusal is shown in words); and giving a new API client only some rights (read invoices), seen in its list entry. Every state is
 * axe-checked and photographed.
 *
 * Runs between journeys 1 and 2: the owner has a password and no TOTP yet, and is signed out after.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screen, signIn, signOut, step } from './steps.ts';

/** Changes the password through the form and waits for the confirmation. */
async function change(page: Page, from: string, to: string): Promise<void> {
  const form = page.getByRole('region', { name: 'Wachtwoord wijzigen' });
  await form.getByLabel('Huidig wachtwoord').fill(from);
  await form.getByLabel(/^Nieuw wachtwoord( \*)?$/).fill(to);
  await form.getByLabel('Nieuw wachtwoord nogmaals').fill(to);
  await form.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  await form.getByText('Je wachtwoord is gewijzigd.', { exact: false }).waitFor();
}

/** The owner changes their password, and tries what the last owner may not do. */
export async function journeyAccount(input: {
  page: Page;
  baseUrl: string;
  owner: { email: string; password: string };
}): Promise<void> {
  const { page, baseUrl, owner } = input;
  step('password: the owner opens the security screen');
  await signIn(page, baseUrl, owner.email, owner.password);
  await page.getByRole('navigation').getByRole('link', { name: 'Beveiliging' }).click();
  const form = page.getByRole('region', { name: 'Wachtwoord wijzigen' });
  await form.waitFor();
  const current = form.getByLabel('Huidig wachtwoord');
  const next = form.getByLabel(/^Nieuw wachtwoord( \*)?$/);
  const repeat = form.getByLabel('Nieuw wachtwoord nogmaals');
  const submit = form.getByRole('button', { name: 'Wachtwoord wijzigen' });

  step('password: two different new passwords are refused before anything is sent');
  await current.fill(owner.password);
  await next.fill('zeilboot lantaarn koffiemolen paraplu');
  await repeat.fill('zeilboot lantaarn koffiemolen');
  await submit.click();
  await form.getByText('De twee nieuwe wachtwoorden zijn niet gelijk.').waitFor();

  step('password: a wrong current password is refused next to its field');
  await current.fill('niet mijn wachtwoord');
  await repeat.fill('zeilboot lantaarn koffiemolen paraplu');
  await submit.click();
  await form.getByText('Je huidige wachtwoord klopt niet.').waitFor();

  step("password: the server's policy refuses a short one");
  await current.fill(owner.password);
  await next.fill('kort');
  await repeat.fill('kort');
  await submit.click();
  await form.getByText(/Gebruik minstens 12 tekens/).waitFor();
  await screen(page, 'account-01-password-refused');

  step('password: a good one is accepted, and changed back');
  const fresh = 'zeilboot lantaarn koffiemolen paraplu';
  await change(page, owner.password, fresh);
  await screen(page, 'account-02-password-changed');
  await change(page, fresh, owner.password);

  step('passkeys: add one on a virtual authenticator, rename it, remove it again');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.getByLabel('Naam van de passkey').fill('Sleutel op de werkplek');
  await page.getByRole('button', { name: 'Passkey toevoegen' }).click();
  await page.getByText('Passkey "Sleutel op de werkplek" is toegevoegd.').waitFor();
  await page.getByRole('button', { name: 'Naam wijzigen van Sleutel op de werkplek' }).click();
  const rename = page.getByRole('dialog', { name: 'Passkey hernoemen' });
  await rename.getByLabel('Nieuwe naam').fill('   ');
  await rename.getByRole('button', { name: 'Naam opslaan' }).click();
  await rename.getByText('Geef de passkey een naam.').waitFor();
  await rename.getByLabel('Nieuwe naam').fill('Telefoon van de zaak');
  await screen(page, 'account-02b-passkey-rename');
  await rename.getByRole('button', { name: 'Naam opslaan' }).click();
  await page.getByText('De passkey heet nu "Telefoon van de zaak".').waitFor();
  await screen(page, 'account-02c-passkey-renamed');
  await page
    .getByTestId('passkeys')
    .locator('tbody tr')
    .filter({ hasText: 'Telefoon van de zaak' })
    .waitFor();
  await page.getByRole('button', { name: 'Telefoon van de zaak verwijderen' }).click();
  await page
    .getByRole('dialog', { name: 'Passkey verwijderen?' })
    .getByRole('button', { name: 'Ja, verwijderen' })
    .click();
  await page.getByText('Je hebt nog geen passkeys.').waitFor();
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  await cdp.send('WebAuthn.disable');

  step('members: the only owner cannot become admin or leave');
  await page.getByRole('navigation').getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { name: 'Mensen' }).waitFor();
  await page.getByLabel(`Toegang van ${owner.email}`, { exact: true }).selectOption({ label: 'Beheerder' });
  await page.getByRole('button', { name: `Nieuwe toegang van ${owner.email} opslaan` }).click();
  await page.getByText('Een bedrijf houdt minstens één eigenaar.', { exact: false }).waitFor();
  await screen(page, 'account-03-last-owner');
  await page.getByRole('button', { name: `${owner.email} uit het bedrijf verwijderen` }).click();
  const dialog = page.getByRole('dialog', { name: 'Lid verwijderen?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Verwijderen' }).click();
  await page.getByText('Een bedrijf houdt minstens één eigenaar.', { exact: false }).waitFor();

  step('API clients: an integration that may only read invoices');
  await page.getByLabel('Naam van de koppeling').fill('Alleen facturen lezen');
  for (const right of ['Klanten lezen', 'Klanten wijzigen', 'Facturen maken en wijzigen']) {
    await page.getByLabel(right, { exact: true }).uncheck();
  }
  await page.getByRole('button', { name: 'Koppeling maken' }).click();
  await page.getByTestId('client-secret').waitFor();
  await page
    .getByRole('listitem')
    .filter({ hasText: 'Alleen facturen lezen' })
    .getByTestId('client-scopes')
    .filter({ hasText: /^Facturen lezen$/ })
    .waitFor();
  await screen(page, 'account-04-client-scopes');

  step('API clients: an app that acts for a person (redirect address; a bad one refused first)');
  await page.getByLabel('Naam van de koppeling').fill('Boekhoudapp');
  const redirects = page.getByLabel(/^Terugkeeradressen/);
  await redirects.fill('ftp://boekhoudapp.example/terug');
  await page.getByRole('button', { name: 'Koppeling maken' }).click();
  await page.getByText('Gebruik hoogstens 10 adressen', { exact: false }).waitFor();
  await redirects.fill('https://boekhoudapp.example/terug');
  await page.getByRole('button', { name: 'Koppeling maken' }).click();
  await page
    .getByRole('listitem')
    .filter({ hasText: 'Boekhoudapp' })
    .getByText('Namens een persoon')
    .waitFor();
  await screen(page, 'account-04b-interactive-client');

  step("recurring: journey 1's schedule gets an end date (one before its start is refused)");
  await page.getByRole('navigation').getByRole('link', { name: 'Periodiek' }).click();
  const customer = 'Bakkerij De Korf B.V.';
  await page.getByRole('button', { name: `Wijzigen: ${customer}` }).click();
  const manage = page.getByRole('dialog', { name: `Periodieke factuur voor ${customer}` });
  await manage.waitFor();
  await manage
    .getByText(/Er is nog geen factuur gemaakt\.|\d{2}-\d{2}-\d{4}/)
    .first()
    .waitFor();
  await manage.getByLabel('Einddatum').fill('2001-01-01');
  await manage.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await manage.getByText('De einddatum ligt vóór de startdatum.').waitFor();
  await screen(page, 'account-05-recurring-end-refused');
  const end = `${new Date().getUTCFullYear() + 1}-12-31`;
  await manage.getByLabel('Einddatum').fill(end);
  await manage.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
  await manage.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: `Wijzigen: ${customer}` }).click();
  await manage.waitFor();
  assert.equal(await manage.getByLabel('Einddatum').inputValue(), end, 'the end date was saved');
  await manage.getByRole('button', { name: 'Annuleren' }).click();

  step('account: sign out');
  await signOut(page);
}
