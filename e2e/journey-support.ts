/**
 * Browser journey for support access (issue 6 point 14, ADR 0057): the owner opens the privacy
 * center's support-access screen, is told a reason is needed when they leave it empty, gives the
 * provider's staff read access for four hours with a ticket number, sees the grant as active with
 * no accesses yet, revokes it through the confirmation dialog and sees it revoked. Every state is
 * axe-checked and photographed. Journey 1's owner signs in with their password (before journey 2
 * turns on TOTP) and signs out at the end, as journey 1 left things.
 */
import type { Page } from 'playwright-core';
import { screen, signIn, signOut, step } from './steps.ts';

/** The owner grants support access, sees the grant, and revokes it. */
export async function journeySupport(input: {
  page: Page;
  baseUrl: string;
  owner: { email: string; password: string };
}): Promise<void> {
  const { page, baseUrl, owner } = input;
  step('support access: the owner signs in and opens the screen from the privacy center');
  await signIn(page, baseUrl, owner.email, owner.password);
  await page
    .getByRole('navigation', { name: 'Hoofdmenu' })
    .getByRole('link', { name: 'Privacy', exact: true })
    .click();
  await page.getByRole('link', { name: 'Supporttoegang voor de aanbieder' }).click();
  await page.getByRole('heading', { name: 'Supporttoegang', level: 1 }).waitFor();
  await page.getByText('Je hebt nog nooit supporttoegang gegeven.').waitFor();
  await screen(page, 'support-01-empty');

  step('support access: a reason is required');
  await page.getByRole('button', { name: 'Leestoegang geven' }).click();
  await page.getByText('Vul een reden of ticketnummer in.').waitFor();
  await screen(page, 'support-02-reason-required');

  step('support access: grant four hours of read access');
  await page.getByLabel('Hoe lang').selectOption('4');
  await page.getByLabel('Reden of ticketnummer').fill('Helpdeskvraag 2026-118');
  await page.getByRole('button', { name: 'Leestoegang geven' }).click();
  await page.getByText(/Leestoegang gegeven tot/).waitFor();
  const grant = page.getByRole('article', { name: 'Reden: Helpdeskvraag 2026-118' });
  await grant.getByText('Actief').waitFor();
  await grant.getByText('Iedere medewerker').waitFor();
  await grant.getByText('Nog geen inzages.').waitFor();
  await screen(page, 'support-03-granted');

  step('support access: revoke it');
  await grant.getByRole('button', { name: 'Intrekken' }).click();
  const dialog = page.getByRole('dialog', { name: 'Toegang intrekken?' });
  await dialog.waitFor();
  await screen(page, 'support-04-confirm-revoke');
  await dialog.getByRole('button', { name: 'Intrekken' }).click();
  await page.getByText('De toegang is ingetrokken.').waitFor();
  await grant.getByText('Ingetrokken').waitFor();
  if ((await grant.getByRole('button', { name: 'Intrekken' }).count()) !== 0) {
    throw new Error('a revoked grant still offers to revoke');
  }
  await screen(page, 'support-05-revoked');
  await signOut(page);
}
