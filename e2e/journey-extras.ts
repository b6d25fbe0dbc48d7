/**
 * Browser journey for passkeys, the customer CSV import and the invoice PDF preview (issue 7
 * points 4, 5 and 6): journey 1's owner adds a named passkey on a Chromium virtual authenticator
 * (CTAP2, built in, resident keys, user verification), sees it listed, signs out and signs in again
 * with the passkey alone, then removes it; imports a CSV with one bad row (the dry run shows the
 * row's error, the good rows are imported and appear in the list); and opens an issued invoice's
 * PDF in the page (headless Chromium may not draw it, so the frame's blob: URL is checked and its
 * bytes, through the download link beside it, must start with %PDF); then writes a new draft and
 * asks for its "Voorbeeld (PDF)": the editor saves it first, and the preview it frames is marked
 * CONCEPT and shows the line just typed (pdftotext on the downloaded bytes). The draft is deleted.
 *
 * Runs between journeys 1 and 2: the owner has a password and no TOTP yet, and is signed out after.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { screen, signOut, step } from './steps.ts';

/** What this journey needs from the ones before it. */
export interface ExtrasJourneyInput {
  page: Page;
  baseUrl: string;
  /** Journey 1's owner, signed out, without a second factor. */
  owner: { email: string; password: string };
}

async function signInWithPassword(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
}

const openNav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

/** The journey. */
export async function journeyExtras({ page, baseUrl, owner }: ExtrasJourneyInput): Promise<void> {
  await passkeys(page, baseUrl, owner);
  await csvImport(page);
  await pdfPreview(page);
  await draftPreview(page);
  step('sign out');
  await signOut(page);
}

async function passkeys(page: Page, baseUrl: string, owner: ExtrasJourneyInput['owner']): Promise<void> {
  step('a virtual authenticator, as a laptop with a fingerprint reader');
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

  step('add a named passkey on the security screen');
  await signInWithPassword(page, baseUrl, owner.email, owner.password);
  await openNav(page, 'Beveiliging');
  await page.getByText('Je hebt nog geen passkeys.').waitFor();
  await page.getByLabel('Naam van de passkey').fill('Laptop met vingerafdruk');
  await page.getByRole('button', { name: 'Passkey toevoegen' }).click();
  await page.getByText('Passkey "Laptop met vingerafdruk" is toegevoegd.').waitFor();
  const row = page.getByTestId('passkeys').locator('tbody tr');
  await row.filter({ hasText: 'Laptop met vingerafdruk' }).waitFor();
  assert.equal(await row.count(), 1, 'one passkey listed');
  assert.match((await row.textContent()) ?? '', /Nog niet/, 'not used yet');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials.length, 1, 'the authenticator holds the credential');
  assert.equal(credentials[0]?.isResidentCredential, true, 'a discoverable credential, for passwordless');
  await screen(page, '60-security-passkeys');

  step('sign out, and sign in with the passkey alone');
  await signOut(page);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.getByRole('button', { name: 'Inloggen met een passkey' }).click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();

  step('the passkey shows it was used; the same device twice is explained in Dutch');
  await openNav(page, 'Beveiliging');
  await row.filter({ hasText: 'Laptop met vingerafdruk' }).waitFor();
  assert.doesNotMatch((await row.textContent()) ?? '', /Nog niet/, 'the sign-in is recorded as its last use');
  await page.getByRole('button', { name: 'Passkey toevoegen' }).click();
  await page.getByText('Dit apparaat heeft al een passkey voor je account.').waitFor();
  assert.equal(await row.count(), 1, 'no second passkey for the same device');

  step('remove it after the confirmation');
  await page.getByRole('button', { name: 'Laptop met vingerafdruk verwijderen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Passkey verwijderen?' });
  await dialog.waitFor();
  await screen(page, '61-passkey-remove-confirmation');
  await dialog.getByRole('button', { name: 'Ja, verwijderen' }).click();
  await page.getByText('De passkey is verwijderd.').waitFor();
  await page.getByText('Je hebt nog geen passkeys.').waitFor();
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  await cdp.send('WebAuthn.disable');
  await cdp.detach();
}

const CSV = [
  'Naam;E-mail;Straat;Postcode;Plaats;Land;IBAN',
  'Bloemist Tulp B.V.;info@tulp.example;Bloemgracht 2;1015 TK;Amsterdam;NL;NL91ABNA0417164300',
  'Fietsenmaker Spaak;spaak@example.nl;Spaakweg 9;3511 AB;Utrecht;NL;',
  'Kapotte Rij;geen-adres;Weg 1;1234 AB;Leiden;NL;NL00ABNA0417164300',
].join('\n');

async function csvImport(page: Page): Promise<void> {
  step('customers from a CSV file: a dry run first');
  await openNav(page, 'Klanten');
  await page.getByRole('link', { name: 'Importeren uit CSV' }).click();
  await page.getByRole('heading', { name: 'Klanten importeren', level: 1 }).waitFor();
  await page.getByLabel('CSV-bestand').setInputFiles({
    name: 'klanten.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV, 'utf8'),
  });
  await page.getByRole('button', { name: 'Bestand controleren' }).click();
  await page.getByText('3 rijen gelezen: 2 in orde, 1 met fouten.').waitFor();
  const preview = page.getByTestId('import-preview').locator('tbody tr');
  assert.equal(await preview.count(), 3, 'every row previewed');
  assert.match((await preview.nth(2).textContent()) ?? '', /Kapotte Rij.*Fout/);
  const errors = page.getByTestId('import-errors').locator('tbody tr');
  const errorText = (await errors.allTextContents()).join(' | ');
  assert.match(errorText, /4E-mailGeen geldig e-mailadres/, 'row 4: the e-mail address, in Dutch');
  assert.match(errorText, /4IBANGeen geldig IBAN/, 'row 4: the IBAN, in Dutch');
  for (const text of await errors.allTextContents()) assert.match(text, /^4/, 'only row 4 has errors');
  await screen(page, '62-customer-import-preview');

  step('import the good rows; the customers appear');
  await page.getByRole('button', { name: 'Alleen de 2 goede rijen importeren' }).click();
  await page.getByText('2 klanten geïmporteerd, 1 rijen met fouten overgeslagen.').waitFor();
  await screen(page, '63-customer-import-done');

  step('the import screen on a phone');
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `import screen: no horizontal scrolling on a phone (${overflow}px too wide)`);
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole('link', { name: 'Naar de klanten', exact: true }).click();
  await page.getByRole('link', { name: 'Bloemist Tulp B.V.' }).waitFor();
  await page.getByRole('link', { name: 'Fietsenmaker Spaak' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Kapotte Rij' }).count(), 0, 'the bad row was skipped');
}

async function pdfPreview(page: Page): Promise<void> {
  step("an issued invoice's PDF in the page");
  // The frame must load under the CSP as it is (frame-src blob:), without a single refusal.
  const refused: string[] = [];
  const onConsole = (m: { text(): string }) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  };
  page.on('console', onConsole);
  await openNav(page, 'Facturen');
  await page.getByRole('table').waitFor();
  await page
    .getByRole('link', { name: /^\d{4}-\d{4}$/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'PDF bekijken' }).click();
  const frame = page.getByTestId('pdf-preview');
  await frame.waitFor({ state: 'attached' });
  const src = (await frame.getAttribute('src')) ?? '';
  assert.match(src, /^blob:/, 'the PDF is framed from a blob: URL the app made with the token');
  assert.match((await frame.getAttribute('title')) ?? '', /^PDF van \d{4}-\d{4}$/, 'the frame has a title');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'PDF downloaden' }).click(),
  ]);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the previewed file is a PDF');
  await page.waitForTimeout(1000); // give a refused frame time to report
  page.off('console', onConsole);
  assert.deepEqual(refused, [], 'the PDF frame loads without a CSP refusal');
  await screen(page, '64-invoice-pdf-preview');
  await page.getByRole('button', { name: 'PDF verbergen' }).click();
  assert.equal(await frame.count(), 0, 'hiding the preview frees the blob');
}

async function draftPreview(page: Page): Promise<void> {
  step("a new draft's preview PDF: saved first, marked CONCEPT");
  await openNav(page, 'Facturen');
  await page.getByRole('link', { name: 'Nieuwe factuur' }).click();
  await page.getByRole('heading', { name: 'Nieuwe factuur' }).waitFor();
  await page.getByLabel('Klant').selectOption({ label: 'Bakkerij De Korf B.V.' });
  await page.getByLabel('Omschrijving regel 1').fill('Proefdruk voorbeeld');
  await page.getByLabel('Aantal regel 1').fill('3');
  await page.getByLabel('Prijs per stuk regel 1 (excl. btw)').fill('10,00');
  await page.getByLabel('Btw regel 1').selectOption({ label: '21 %' });
  await page.getByRole('button', { name: 'Voorbeeld (PDF)' }).click();
  // The draft had no id yet: it is saved, gets its own page, and the preview opens there.
  await page.waitForURL(/\/invoices\/[^/?]+\?preview=1$/);
  await page.getByRole('heading', { name: 'Conceptfactuur' }).waitFor();
  const frame = page.getByTestId('draft-preview');
  await frame.waitFor({ state: 'attached' });
  assert.match((await frame.getAttribute('src')) ?? '', /^blob:/, 'framed from a blob: URL');
  assert.equal(await frame.getAttribute('title'), 'Voorbeeld van het concept (geen factuur)');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'PDF downloaden' }).click(),
  ]);
  const file = await download.path();
  assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-', 'the preview is a PDF');
  const text = execFileSync('pdftotext', [file, '-']).toString('utf8');
  assert.match(text, /CONCEPT – GEEN FACTUUR/, 'marked as not an invoice');
  assert.match(text, /Proefdruk voorbeeld/, 'the line as typed and saved');
  assert.match(text, /36,30/, 'its total including VAT');
  await screen(page, '65-draft-pdf-preview');
  await page.getByRole('button', { name: 'Voorbeeld verbergen' }).click();
  assert.equal(await frame.count(), 0, 'hiding the preview frees the blob');
  // Leave the administration as the later journeys expect it: without this draft.
  await page.getByRole('button', { name: 'Concept verwijderen' }).click();
  await page.waitForURL(/\/invoices$/);
}
