/**
 * Browser journey for the notices area (ADR 0060, issue 6 point 3): a new business without a
 * data-protection contact sees the banner (role=status) above every screen, follows it to the
 * privacy center, names a contact there, and the banner is gone on the next screen. Axe runs on
 * the screen with the banner. Leaves the browser signed out, as it found it or not.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { type CaughtMail, linkFromMail } from './harness.ts';
import { screen, step } from './steps.ts';

/** What this journey needs. */
export interface NoticesJourneyInput {
  page: Page;
  baseUrl: string;
  mails: CaughtMail[];
}

/** Signs out through the provider when the page shows a signed-in app (stays on the current page). */
async function signOutIfSignedIn(page: Page): Promise<void> {
  const signIn = page.getByRole('button', { name: 'Inloggen of account aanmaken' });
  const signOut = page.getByRole('button', { name: 'Uitloggen' });
  await signIn.or(signOut).first().waitFor();
  if ((await signOut.count()) === 0) return;
  await signOut.click();
  await page.waitForURL(/\/oidc\/session\/end/);
  await page.locator('button[name="logout"][value="yes"]').click();
  await signIn.waitFor();
}

/** Journey: the contact banner before the contact is set, gone after. */
export async function journeyNotices(input: NoticesJourneyInput): Promise<void> {
  const { page, baseUrl, mails } = input;
  await page.goto(`${baseUrl}/`);
  await signOutIfSignedIn(page);

  step('a new business signs up (no data-protection contact yet)');
  const email = `notities-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const password = 'blauwe reiger wacht aan de sloot';
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('a[href*="/signup"]').first().click();
  await page.locator('#businessName').fill('Reiger Drukwerk');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForLoadState('domcontentloaded');
  await page.goto(await linkFromMail(mails, email, '/auth/confirm'));
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator(`a[href="${baseUrl}/"]`).click();
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();

  step('the contact banner shows above the screen, as a status');
  const banner = page.getByTestId('contact-banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('role'), 'status');
  await banner.getByText('nog geen contactpersoon voor gegevensbescherming').waitFor();
  assert.equal(await page.getByTestId('agreement-gate').count(), 0, 'signing up accepted the agreement');
  await screen(page, '50-notices-contact-banner');

  step('the banner leads to the privacy center, where the contact is named');
  await banner.getByRole('link', { name: 'Naar het privacycentrum' }).click();
  await page.getByRole('heading', { name: 'Contactpersoon gegevensbescherming' }).waitFor();
  await page.getByRole('button', { name: 'Contactpersoon opgeven' }).click();
  await page.getByLabel('Naam contactpersoon').fill('Rita Reiger');
  await page.getByLabel('E-mail contactpersoon').fill('privacy@reiger.example');
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await page.getByText('Contactpersoon opgeslagen.').waitFor();

  step('on the next screen the banner is gone');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Overzicht' }).click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="contact-banner"]'));
  await signOutIfSignedIn(page);
}
