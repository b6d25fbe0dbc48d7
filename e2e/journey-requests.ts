/**
 * Browser journey 3 (issue 7 point 11c): a customer of the business files a data-subject request
 * through the public form; the business signs in, opens the privacy inbox, finds the person,
 * exports their data (a ZIP holding their customer record), erases them after the confirmation
 * that says what is kept, and records the outcome. Every new screen is checked with axe.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { totpCode, totpStep } from './harness.ts';
import { screen, signOut, step } from './steps.ts';

async function downloadBytes(page: Page, button: string): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return readFileSync(await download.path());
}

type Owner = { email: string; password: string; totpSecret: string; lastTotpStep: number };

/** Signs in with password and a TOTP code from a step no earlier journey used (a fresh one). */
async function signIn(page: Page, baseUrl: string, owner: Owner) {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(owner.email);
  await page.locator('#password').fill(owner.password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('#code').waitFor();
  // Earlier journeys used steps up to the current one or lastTotpStep + 1; a used step is refused.
  const used = Math.max(totpStep(), owner.lastTotpStep + 1);
  while (totpStep() <= used) await new Promise((r) => setTimeout(r, 500));
  await page.locator('#code').fill(totpCode(owner.totpSecret, totpStep()));
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
}

/**
 * Runs the journey from the signed-out state the admin journey ends in, and ends signed out again.
 * Journey 1's owner (password and TOTP) adds their own customer, so erasing them restricts no
 * customer the other journeys use; the request is filed on the same page while signed out.
 */
export async function journeyRequests(opts: { page: Page; baseUrl: string; owner: Owner }): Promise<void> {
  const { page, baseUrl, owner } = opts;
  const email = `els.bakker.${Date.now()}@example.org`;
  step('the owner signs in');
  await signIn(page, baseUrl, owner);

  step('a customer who is a private person');
  await page.goto(`${baseUrl}/customers/new`);
  await page.getByLabel('Soort').selectOption({ label: 'Particulier' });
  await page.getByLabel('Naam').first().fill('Els Bakker');
  await page.getByLabel('E-mail').first().fill(email);
  await page.getByLabel('Straat en huisnummer').fill('Kade 12');
  await page.getByLabel('Postcode').fill('3511 AB');
  await page.getByLabel('Plaats').fill('Utrecht');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('heading', { name: 'Els Bakker', level: 1 }).waitFor();

  step('the privacy inbox is empty, and names the public form');
  await page.getByRole('navigation').getByRole('link', { name: 'Privacy', exact: true }).click();
  await page.getByRole('link', { name: 'Verzoeken van klanten over hun gegevens' }).click();
  await page.getByRole('heading', { name: 'Privacyverzoeken', level: 1 }).waitFor();
  await page.getByText('Er zijn nog geen privacyverzoeken binnengekomen.').waitFor();
  const hint = (await page.getByText('Het openbare formulier voor je klanten:').textContent()) ?? '';
  const formUrl = /(https?:\/\/\S+\/privacyverzoek\/[0-9a-f-]{36})/.exec(hint)?.[1];
  assert.ok(formUrl, 'the inbox shows the form link');
  await screen(page, '28-requests-empty');

  step('the customer files an erasure request through the public form (signed out)');
  await signOut(page);
  await page.goto(`${baseUrl}${new URL(formUrl).pathname}`);
  await page.locator('#kind').waitFor();
  await screen(page, '29-request-form');
  await page.locator('#kind').selectOption('erasure');
  await page.locator('#name').fill('Els Bakker');
  await page.locator('#email').fill(email);
  await page.locator('#description').fill('Verwijder alstublieft al mijn gegevens.');
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Verzoek verstuurd' }).waitFor();
  await screen(page, '30-request-sent');

  step('the business signs in and opens the request, with its deadline');
  await signIn(page, baseUrl, owner);
  await page.goto(`${baseUrl}/privacy-center/requests`);
  await page.getByTestId('subject-requests').waitFor();
  await screen(page, '31-requests');
  await page.getByRole('link', { name: 'Verwijdering' }).first().click();
  await page.getByRole('heading', { name: 'Verzoek om verwijdering', level: 1 }).waitFor();
  await page.getByText('Verwijder alstublieft al mijn gegevens.').waitFor();

  step('finds the person through the blind indexes');
  await page.locator('section[aria-labelledby="dsr-find"]').getByRole('button', { name: 'Zoeken' }).click();
  const matches = page.getByTestId('dsr-matches');
  await matches.locator('strong', { hasText: 'Els Bakker' }).waitFor();
  await matches.getByText(/Gevonden op: e-mailadres, naam/).waitFor();
  await matches.getByRole('button', { name: /Dit is de persoon/ }).click();
  await page.getByRole('heading', { name: 'Wat je kunt doen voor Els Bakker' }).waitFor();
  await screen(page, '32-request-tools');

  step("exports the person's data as a ZIP");
  const zip = await downloadBytes(page, 'ZIP downloaden');
  assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'the export is a ZIP');
  const files = unzipSync(new Uint8Array(zip));
  assert.ok(files['customer.json'] && files['request.json'], 'the ZIP holds the customer and the request');
  const customer = JSON.parse(strFromU8(files['customer.json']));
  assert.match(JSON.stringify(customer), /Els Bakker/);
  assert.match(JSON.stringify(customer), /Kade 12/);

  step('erases them after the confirmation that says what is kept');
  await page.getByRole('button', { name: 'Gegevens verwijderen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Gegevens van Els Bakker verwijderen?' });
  await dialog.waitFor();
  await dialog.getByText(/Verzonden facturen en creditfacturen blijven bewaard/).waitFor();
  await screen(page, '33-erase-confirmation');
  await dialog.getByRole('button', { name: 'Definitief verwijderen' }).click();
  await page
    .getByTestId('dsr-note')
    .getByText(/Verwijderd: 0 concept\(en\) weg/)
    .waitFor();
  await page.getByTestId('dsr-outcomes').getByText('Gegevens verwijderd').waitFor();

  step('records the outcome');
  await page.getByLabel('Beslissing', { exact: true }).selectOption('completed');
  await page.getByLabel('Reden of toelichting').fill('Gegevens verwijderd; facturen bewaard voor de fiscus.');
  await page.getByRole('button', { name: 'Beslissing vastleggen' }).click();
  await page.getByText('Dit verzoek is afgerond.').waitFor();
  assert.equal(await page.getByTestId('dsr-status').textContent(), 'Afgehandeld');
  await screen(page, '34-request-closed');

  step('the erased customer keeps only the pseudonym');
  await page.getByRole('navigation').getByRole('link', { name: 'Klanten' }).click();
  await page.getByRole('link', { name: 'Verwijderd op verzoek' }).first().waitFor();
  assert.equal(await page.getByText(email).count(), 0, 'the e-mail address is gone from the list');
  await signOut(page);
}
