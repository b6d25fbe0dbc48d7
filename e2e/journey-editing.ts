/**
 * Browser journey for editing what was saved before: journey 1's owner makes a draft quote, opens
 * it again with "Wijzigen" (the same editor, filled with the quote), raises a line's price and sees
 * the new total on the quote's page, also after a reload (PATCH with the quote's version). A save
 * made with a stale version (as if someone else had saved in between: the request's version is
 * lowered on its way out) is refused by the server with 409 and explained in Dutch, and nothing
 * changes. Then journey 1's schedule: its template's line price is changed in the schedule editor
 * (filled from GET /api/v1/recurring-invoices/{id}) and is there when it is opened again. The draft
 * quote is removed at the end, so the later journeys find the administration as before. Every state
 * is axe-checked and photographed.
 *
 * Runs between journeys 1 and 2: the owner has a password and no TOTP yet, and is signed out after.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screen, signIn, signOut, step } from './steps.ts';

const CUSTOMER = 'Bakkerij De Korf B.V.';
const PRICE_1 = 'Prijs per stuk regel 1 (excl. btw)';

/** The owner edits a draft quote and a recurring schedule's template. */
export async function journeyEditing(input: {
  page: Page;
  baseUrl: string;
  owner: { email: string; password: string };
}): Promise<void> {
  const { page, baseUrl, owner } = input;
  step('editing: the owner makes a draft quote of 2 × € 100 (21 %)');
  await signIn(page, baseUrl, owner.email, owner.password);
  await page.getByRole('navigation').getByRole('link', { name: 'Offertes' }).click();
  await page.getByRole('link', { name: 'Nieuwe offerte' }).click();
  await page.getByRole('heading', { name: 'Nieuwe offerte' }).waitFor();
  await page.getByLabel('Klant').selectOption({ label: CUSTOMER });
  await page.getByLabel('Omschrijving regel 1').fill('Advies bij de inrichting');
  await page.getByLabel('Aantal regel 1').fill('2');
  await page.getByLabel(PRICE_1).fill('100');
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await page.getByRole('heading', { name: 'Conceptofferte', exact: true }).waitFor();
  await page.getByText('€ 242,00', { exact: true }).waitFor();
  const quoteUrl = page.url();

  step('editing: "Wijzigen" opens the same editor filled with the quote; a higher price saves');
  await page.getByRole('link', { name: 'Wijzigen', exact: true }).click();
  await page.getByRole('heading', { name: 'Conceptofferte wijzigen' }).waitFor();
  assert.equal(await page.getByLabel('Omschrijving regel 1').inputValue(), 'Advies bij de inrichting');
  assert.match(await page.getByLabel('Aantal regel 1').inputValue(), /^2(,0+)?$/);
  assert.match(await page.getByLabel(PRICE_1).inputValue(), /^100(,0+)?$/);
  const customer = page.getByLabel('Klant');
  assert.equal(
    await customer.locator('option:checked').textContent(),
    CUSTOMER,
    'the quote customer is chosen',
  );
  await page.getByLabel(PRICE_1).fill('120');
  const total = page.getByTestId('quote-total');
  await total.filter({ hasText: '€ 290,40' }).waitFor();
  await screen(page, 'editing-01-quote-editor');
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await page.waitForURL(quoteUrl);
  await page.getByRole('heading', { name: 'Conceptofferte', exact: true }).waitFor();
  await page.getByText('€ 290,40', { exact: true }).waitFor();
  await page.reload();
  await page.getByText('€ 290,40', { exact: true }).waitFor();
  assert.equal(await page.getByText('€ 242,00', { exact: true }).count(), 0, 'the old total is gone');
  await screen(page, 'editing-02-quote-saved');

  step('editing: a save with a stale version is refused (409) and explained; nothing changes');
  await page.getByRole('link', { name: 'Wijzigen', exact: true }).click();
  await page.getByRole('heading', { name: 'Conceptofferte wijzigen' }).waitFor();
  await page.getByLabel(PRICE_1).fill('999');
  const stale = '**/api/v1/quotes/*';
  let sent: number | undefined;
  await page.route(stale, async (route) => {
    const request = route.request();
    if (request.method() !== 'PATCH') return route.continue();
    const body = JSON.parse(request.postData() ?? '{}') as { version: number };
    sent = body.version;
    await route.continue({ postData: JSON.stringify({ ...body, version: body.version - 1 }) });
  });
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await page.getByRole('alert').getByText('Iemand anders heeft deze offerte intussen gewijzigd').waitFor();
  await page.unroute(stale);
  assert.equal(sent, 2, 'the editor sent the version it loaded (2, after one save)');
  await screen(page, 'editing-03-quote-stale');
  await page.getByRole('link', { name: 'Annuleren' }).click();
  await page.getByRole('heading', { name: 'Conceptofferte', exact: true }).waitFor();
  await page.getByText('€ 290,40', { exact: true }).waitFor();

  step("editing: journey 1's schedule gets another price in its template");
  await page.getByRole('navigation').getByRole('link', { name: 'Periodiek' }).click();
  await page.getByRole('cell', { name: 'Elke maand' }).waitFor();
  await page.getByRole('link', { name: `Sjabloon wijzigen: ${CUSTOMER}` }).click();
  await page.getByRole('heading', { name: 'Periodieke factuur wijzigen' }).waitFor();
  assert.match(await page.getByLabel('Omschrijving regel 1').inputValue(), /Broodjes/);
  assert.match(await page.getByLabel(PRICE_1).inputValue(), /^2,50?0*$/);
  assert.equal(await page.getByLabel('Hoe vaak').inputValue(), 'monthly');
  await page.getByLabel(PRICE_1).fill('2,75');
  await screen(page, 'editing-04-schedule-editor');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.waitForURL(/\/recurring$/);
  await page.getByRole('cell', { name: 'Elke maand' }).waitFor();
  await page.getByRole('link', { name: `Sjabloon wijzigen: ${CUSTOMER}` }).click();
  await page.getByRole('heading', { name: 'Periodieke factuur wijzigen' }).waitFor();
  assert.match(await page.getByLabel(PRICE_1).inputValue(), /^2,750*$/, 'the new price was saved');
  assert.match(await page.getByLabel('Omschrijving regel 1').inputValue(), /Broodjes/);
  await page.getByRole('link', { name: 'Annuleren' }).click();
  await page.waitForURL(/\/recurring$/);

  step('editing: the draft quote is removed again; sign out');
  await page.goto(quoteUrl);
  await page.getByRole('heading', { name: 'Conceptofferte', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Concept verwijderen' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Concept verwijderen' }).click();
  await page.waitForURL(/\/quotes$/);
  await signOut(page);
}
