/**
 * Browser journey for the archive of a period (issue 5 point 6, issue 7 point 10): journey 1's
 * owner opens the invoices list, where the period archive offers the last full quarter by default;
 * an end date before the start date is refused next to the field; a period without issued invoices
 * is explained instead of saving an empty ZIP; the period around today downloads a ZIP (it starts
 * with PK) with a PDF and an XML (UBL) entry for journey 1's invoice and credit note, and the page
 * names the file, its size and its number of entries. Then the archived products under the
 * catalogue: none at first, and a product archived there appears with its price. Every state is
 * axe-checked and photographed.
 *
 * Runs between journeys 1 and 2: the owner has a password and no TOTP yet, and is signed out after.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { screen, signIn, signOut, step } from './steps.ts';

const isoDay = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** The owner downloads the archive of a period from the invoices list. */
export async function journeyArchive(input: {
  page: Page;
  baseUrl: string;
  owner: { email: string; password: string };
}): Promise<void> {
  const { page, baseUrl, owner } = input;
  step('archive: the owner opens the invoices list; the last full quarter is the default');
  await signIn(page, baseUrl, owner.email, owner.password);
  await page.getByRole('navigation').getByRole('link', { name: 'Facturen', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Archief van een periode' });
  await panel.waitFor();
  const from = panel.getByLabel('Van');
  const to = panel.getByLabel('Tot en met');
  const defaults = { from: await from.inputValue(), to: await to.inputValue() };
  assert.match(defaults.from, /^\d{4}-(01|04|07|10)-01$/, 'the default starts on a quarter');
  assert.match(defaults.to, /^\d{4}-(03-31|06-30|09-30|12-31)$/, 'the default ends a quarter');
  assert.ok(defaults.to < isoDay(0), 'the default quarter is over');
  await screen(page, 'archive-01-default');

  step('archive: an end date before the start date is refused next to the field');
  await from.fill('2026-06-30');
  await to.fill('2026-06-01');
  await panel.getByRole('button', { name: "PDF's en UBL downloaden (ZIP)" }).click();
  await panel.getByText('De einddatum ligt vóór de begindatum.').waitFor();
  await screen(page, 'archive-02-period-invalid');

  step('archive: a period without issued invoices is explained, nothing is saved');
  await from.fill('2001-01-01');
  await to.fill('2001-03-31');
  await panel.getByRole('button', { name: "PDF's en UBL downloaden (ZIP)" }).click();
  await panel.getByText('Er zijn geen uitgegeven facturen met een factuurdatum in deze periode.').waitFor();
  await screen(page, 'archive-03-empty');

  step("archive: the period around today downloads journey 1's PDFs and UBL files");
  await from.fill(isoDay(-31));
  await to.fill(isoDay(1));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: "PDF's en UBL downloaden (ZIP)" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.zip$/, 'saved as a .zip');
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP file');
  const names = Object.keys(unzipSync(new Uint8Array(bytes)));
  assert.ok(
    names.filter((n) => n.endsWith('.pdf')).length >= 2,
    `a PDF for the invoice and its credit note: ${names.join(', ')}`,
  );
  assert.ok(
    names.some((n) => n.endsWith('.xml')),
    `a UBL file: ${names.join(', ')}`,
  );
  await panel.getByText(/Archief gedownload: .+\.zip \(.+, \d+ bestanden\)\./).waitFor();
  await screen(page, 'archive-04-downloaded');

  step('archived products: none yet; one archived appears with its date');
  await page.getByRole('navigation').getByRole('link', { name: 'Producten' }).click();
  await page.getByRole('button', { name: 'Gearchiveerde producten tonen' }).click();
  await page.getByText('Er zijn geen gearchiveerde producten.').waitFor();
  await page.getByLabel('Naam').first().fill('Oude dienst');
  await page.getByLabel('Prijs (excl. btw)').fill('10,00');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('cell', { name: 'Oude dienst', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Oude dienst archiveren' }).click();
  await page.getByText('Product gearchiveerd.').waitFor();
  const archived = page.getByTestId('archived-products').locator('tbody tr');
  await archived.filter({ hasText: 'Oude dienst' }).waitFor();
  assert.equal(await archived.count(), 1, 'only the archived product is listed there');
  assert.match((await archived.textContent()) ?? '', /€\s?10,00/, 'with its price');
  await screen(page, 'archive-05-archived-products');

  step('archive: sign out');
  await signOut(page);
}
