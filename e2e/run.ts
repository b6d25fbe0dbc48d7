/**
 * Browser journeys (`npm run test:e2e`, run by .ci/run): a new person, as they would use Kluis in
 * Chromium, in Dutch. Journey 1: sign up (confirming the address from the mail) → sign in → set up
 * the business → add a customer (inline validation) → an invoice with a 21 % and a 9 % line whose
 * totals update as typed → issue it after the confirmation → download its PDF and UBL → record a
 * payment → credit it → the list filtered by status → English one click away → a phone-sized
 * screen → sign out. axe-core checks each main screen (no serious or critical violation), the
 * app must run without a single CSP violation, and screenshots go to e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  buildApp,
  linkFromMail,
  saveArtifact,
  screenshot,
  startBrowser,
  startKluis,
  startMailCatcher,
  stop,
  totpCode,
  totpStep,
} from './harness.ts';
import { journeyAccount } from './journey-account.ts';
import { journeyAdmin } from './journey-admin.ts';
import { journeyArchive } from './journey-archive.ts';
import { journeyEditing } from './journey-editing.ts';
import { journeyExtras } from './journey-extras.ts';
import { journeyNotices } from './journey-notices.ts';
import { journeyOperator, prepareOperator } from './journey-operator.ts';
import { journeyPolicy } from './journey-policy.ts';
import { journeyRequests } from './journey-requests.ts';
import { journeySupport } from './journey-support.ts';
import { screen, signOut } from './steps.ts';

const OVERALL_TIMEOUT_MS = 10 * 60_000;

/** Checks a screen: accessibility, then a screenshot under its name. */

const step = (name: string) => process.stdout.write(`  · ${name}\n`);

/** Signs in on the provider's page from the app's welcome screen. */
async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
}

/** Signs out through the provider's confirmation, back to the welcome screen. */

/** Journey 2: turn on TOTP (QR code, first code, recovery codes), sign out, sign in with a code. */
async function journeyTwo(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ totpSecret: string; lastTotpStep: number }> {
  step('sign in and open the security screen');
  await signIn(page, baseUrl, email, password);
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Beveiliging' }).click();
  await page.getByRole('button', { name: 'Tweestapsverificatie aanzetten' }).click();
  await page.getByRole('img', { name: /QR-code/ }).waitFor();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  assert.match(secret, /^[A-Z2-7]+=*$/, 'a base32 secret is shown for manual entry');
  await screen(page, '16-security-qr');

  step('confirm with a first code; recovery codes are shown');
  const enrolStep = totpStep();
  await page.getByLabel('Code uit de app').first().fill(totpCode(secret, enrolStep));
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByText('Tweestapsverificatie staat aan.').waitFor();
  assert.ok((await page.getByTestId('recovery-codes').locator('li').count()) >= 8, 'recovery codes shown');
  await screen(page, '17-security-recovery-codes');

  step('sign out, and sign in again with a code');
  await signOut(page);
  await signIn(page, baseUrl, email, password);
  await page.locator('#code').waitFor();
  // A used step is refused (replay); the next one lies inside the ±1 window whenever this runs.
  const signInStep = Math.max(totpStep(), enrolStep + 1);
  await page.locator('#code').fill(totpCode(secret, signInStep));
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await signOut(page);
  return { totpSecret: secret, lastTotpStep: signInStep };
}

async function journeyOne(
  page: Page,
  baseUrl: string,
  mails: Parameters<typeof linkFromMail>[0],
): Promise<{ email: string; password: string }> {
  const email = `eigenaar-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const password = 'paarse olifant danst op het dak';

  step('welcome page and sign-up');
  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', { name: 'Kluis' }).waitFor();
  await screen(page, '01-welcome');
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('a[href*="/signup"]').first().click();
  await page.locator('#businessName').fill('Olifant Advies B.V.');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForLoadState('domcontentloaded');

  step('confirm the address from the mail');
  const confirmLink = await linkFromMail(mails, email, '/auth/confirm');
  await page.goto(confirmLink);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator(`a[href="${baseUrl}/"]`).click();

  step('sign in through the OpenID Connect provider (code + PKCE)');
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await page.getByRole('heading', { name: 'Stel je bedrijf in' }).waitFor();
  await screen(page, '02-dashboard-first-run');

  step('set up the business');
  await page.getByRole('link', { name: 'Bedrijfsgegevens invullen' }).click();
  await page.getByLabel('Bedrijfsnaam').fill('Olifant Advies B.V.');
  await page.getByLabel('Straat en huisnummer').fill('Keizersgracht 1');
  await page.getByLabel('Postcode').fill('1015 CJ');
  await page.getByLabel('Plaats').fill('Amsterdam');
  await page.getByLabel('KvK-nummer').fill('12345678');
  await page.getByLabel('Btw-nummer').fill('NL004495445B01');
  await page.getByLabel('IBAN').fill('NL91ABNA0417164300');
  await page.getByLabel('E-mail voor facturen').fill('facturen@olifant.example');
  await page.getByLabel('Naam contactpersoon').fill('Olga Olifant');
  await page.getByLabel('E-mail contactpersoon').fill('privacy@olifant.example');
  const accept = page.getByLabel(/Ik ga akkoord met de/);
  if ((await accept.count()) > 0) await accept.check();
  await screen(page, '03-settings');
  await page.getByRole('button', { name: 'Opslaan en verder' }).click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Stel je bedrijf in' }).count(), 0);

  step('add a customer, with inline validation');
  await page.getByRole('navigation').getByRole('link', { name: 'Klanten' }).click();
  await page.getByText('Je hebt nog geen klanten').waitFor();
  await screen(page, '04-customers-empty');
  await page.getByRole('link', { name: 'Nieuwe klant' }).click();
  await page.getByLabel('Naam').first().fill('Bakkerij De Korf B.V.');
  await page.getByLabel('E-mail').fill('administratie@dekorf.example');
  await page.getByLabel('Straat en huisnummer').fill('Dorpsstraat 1');
  await page.getByLabel('Postcode').fill('1234 AB');
  await page.getByLabel('Plaats').fill('Amsterdam');
  await page.getByLabel('KvK-nummer').fill('87654321');
  await page.getByLabel('Btw-nummer').fill('NL004495445B01');
  const iban = page.getByLabel('IBAN');
  await iban.fill('NL00ABNA0417164300');
  await iban.blur();
  await page.getByText('Geen geldig IBAN').waitFor();
  assert.equal(await iban.getAttribute('aria-invalid'), 'true');
  await screen(page, '05-customer-form-invalid');
  await iban.fill('NL91ABNA0417164300');
  assert.equal(await page.getByText('Geen geldig IBAN').count(), 0);
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('heading', { name: 'Bakkerij De Korf B.V.', level: 1 }).waitFor();
  await screen(page, '06-customer');

  step('an invoice with a 21 % and a 9 % line; totals update as typed');
  await page.getByRole('link', { name: 'Nieuwe factuur' }).click();
  await page.getByRole('heading', { name: 'Nieuwe factuur' }).waitFor();
  await page.getByLabel('Omschrijving regel 1').fill('Advies');
  await page.getByLabel('Aantal regel 1').fill('2');
  await page.getByLabel('Prijs per stuk regel 1 (excl. btw)').fill('95,00');
  await page.getByLabel('Btw regel 1').selectOption({ label: '21 %' });
  await expectText(page, '[data-testid="total-payable"]', '€ 229,90');
  await page.getByRole('button', { name: 'Regel toevoegen' }).click();
  await page.getByLabel('Omschrijving regel 2').fill('Broodjes');
  await page.getByLabel('Aantal regel 2').fill('10');
  await page.getByLabel('Prijs per stuk regel 2 (excl. btw)').fill('2,50');
  await page.getByLabel('Btw regel 2').selectOption({ label: '9 %' });
  await expectText(page, '[data-testid="total-net"]', '€ 215,00');
  await expectText(page, '[data-testid="total-vat"]', '€ 42,15');
  await expectText(page, '[data-testid="total-payable"]', '€ 257,15');
  await screen(page, '07-invoice-editor');

  step('issue it after the confirmation');
  await page.getByRole('button', { name: 'Factuur uitgeven' }).click();
  const dialog = page.getByRole('dialog', { name: 'Factuur uitgeven?' });
  await dialog.waitFor();
  await dialog.getByText('kan daarna niet meer worden gewijzigd').waitFor();
  await screen(page, '08-issue-confirmation');
  await dialog.getByRole('button', { name: 'Ja, uitgeven' }).click();
  await page.getByText(/Factuur \d{4}-\d{4} is uitgegeven/).waitFor();
  await expectText(page, '[data-testid="view-payable"]', '€ 257,15');
  await screen(page, '09-invoice-issued');

  step('download the PDF and the UBL');
  const pdf = await downloadBytes(page, 'Download PDF');
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the PDF download is a PDF');
  const ubl = (await downloadBytes(page, 'Download UBL')).toString('utf8');
  assert.match(ubl, /<Invoice[\s>]/, 'the UBL download is a UBL invoice');

  step('record a payment');
  await page.getByLabel('Ontvangen bedrag').fill('100,00');
  await page.getByRole('button', { name: 'Betaling registreren' }).click();
  await page.locator('.badge', { hasText: 'Deels betaald' }).waitFor();

  step('credit it');
  await page.getByRole('button', { name: 'Crediteren' }).click();
  const credit = page.getByRole('dialog', { name: 'Factuur crediteren?' });
  await credit.getByRole('button', { name: 'Ja, crediteren' }).click();
  await page.getByText(/Creditnota \d{4}-\d{4} is uitgegeven/).waitFor();
  await screen(page, '10-credit-note');

  step('the invoices list, filtered by status');
  await page.getByRole('navigation').getByRole('link', { name: 'Facturen' }).click();
  await page.getByRole('table').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 2, 'the invoice and its credit note');
  await screen(page, '11-invoices');
  await page.getByLabel('Status').selectOption({ label: 'Gecrediteerd' });
  await page.waitForURL(/status=credited/);
  await expectCount(page, 'tbody tr', 1);

  step('the dashboard shows the outstanding amount');
  await page.getByRole('navigation').getByRole('link', { name: 'Overzicht' }).click();
  await page.getByRole('heading', { name: 'Recente facturen' }).waitFor();
  await page.getByRole('img', { name: /Omzet exclusief btw per maand/ }).waitFor();
  await expectText(page, '[data-testid="vat-quarter"]', '€ 0,00'); // the credit note took it back
  await expectText(page, '[data-testid="outstanding"]', '€ 0,00');
  await screen(page, '12-dashboard');

  await productAndQuote(page);

  step('English one click away');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await screen(page, '13-dashboard-english');
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();

  await branding(page);
  await privacyCenter(page);
  await exportAllData(page);

  step('people and integrations: invite a bookkeeper, create an API client');
  await page.getByRole('navigation').getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { name: 'Mensen' }).waitFor();
  await page.getByLabel('E-mailadres').fill('boekhouder@olifant.example');
  await page.getByLabel('Rol').selectOption({ label: 'Boekhouder' });
  await page.getByRole('button', { name: 'Uitnodigen' }).click();
  await page.getByText('Uitnodiging verstuurd naar boekhouder@olifant.example.').waitFor();
  await page.getByLabel('Naam van de koppeling').fill('Boekhoudpakket');
  await page.getByRole('button', { name: 'Koppeling maken' }).click();
  await page.getByTestId('client-secret').waitFor();
  await screen(page, '19-team');

  step('outbox: with SMTP (the mail catcher) the screen says there is none');
  await page.getByRole('navigation').getByRole('link', { name: 'Postvak uit' }).click();
  await page.getByText('er is geen postvak uit').waitFor();
  await screen(page, '27-outbox');

  step('a phone-sized screen');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [to, name] of [
    ['/', '14-phone-dashboard'],
    ['/invoices/new', '15-phone-invoice-editor'],
  ] as const) {
    await page.goto(`${baseUrl}${to}`);
    await page.locator('main h1').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: no horizontal scrolling on a phone (${overflow}px too wide)`);
    await screen(page, name);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  step('sign out through the provider');
  await signOut(page);
  return { email, password };
}

/** A product in the catalogue, then a quote from it: sent, accepted, and its draft invoice opens. */
async function productAndQuote(page: Page): Promise<void> {
  step('add a product; make a quote with it, send it and accept it');
  await page.getByRole('navigation').getByRole('link', { name: 'Producten' }).click();
  await page.getByText('Je hebt nog geen producten').waitFor();
  await page.getByLabel('Naam').first().fill('Broodjes');
  await page.getByLabel('Prijs (excl. btw)').fill('2,50');
  await page.getByLabel('Btw', { exact: true }).selectOption({ label: '9 %' });
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('cell', { name: 'Broodjes', exact: true }).waitFor();
  await screen(page, '20-products');

  await page.getByRole('navigation').getByRole('link', { name: 'Offertes' }).click();
  await page.getByText('Je hebt nog geen offertes').waitFor();
  await page.getByRole('link', { name: 'Nieuwe offerte' }).click();
  await page.getByRole('heading', { name: 'Nieuwe offerte' }).waitFor();
  await page.getByLabel('Klant').selectOption({ label: 'Bakkerij De Korf B.V.' });
  await page.getByLabel('Product toevoegen').selectOption({ index: 1 });
  await page.getByLabel('Aantal regel 1').fill('10');
  await expectText(page, '[data-testid="quote-total"]', '€ 27,25');
  await screen(page, '21-quote-editor');
  await page.getByRole('button', { name: 'Concept opslaan' }).click();
  await page.getByRole('heading', { name: 'Conceptofferte' }).waitFor();
  await page.getByRole('button', { name: 'Offerte versturen' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Offerte versturen' }).click();
  await page.getByRole('heading', { name: /^Offerte \S+/ }).waitFor();
  await screen(page, '22-quote-sent');
  await page.getByRole('button', { name: 'Akkoord: maak factuur' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Akkoord: maak factuur' }).click();
  await page.waitForURL(/\/invoices\/[^/]+$/);
  await page.locator('main h1').waitFor();

  step('recurring invoices: a monthly schedule from the product, paused and resumed');
  await page.getByRole('navigation').getByRole('link', { name: 'Periodiek' }).click();
  await page.getByText('Je hebt nog geen periodieke facturen.').waitFor();
  await screen(page, '24-recurring');
  await page.getByRole('link', { name: 'Nieuwe periodieke factuur' }).click();
  await page.getByLabel('Klant').selectOption({ label: 'Bakkerij De Korf B.V.' });
  await page.getByLabel('Product toevoegen').selectOption({ index: 1 });
  await page.getByLabel('Omschrijving regel 1').waitFor();
  await screen(page, '25-recurring-editor');
  // No end date: the app sends null, which the server must take as "no end".
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await page.getByRole('cell', { name: 'Elke maand' }).waitFor();
  await page.getByRole('button', { name: 'Pauzeren: Bakkerij De Korf B.V.' }).click();
  await page.getByRole('button', { name: 'Hervatten: Bakkerij De Korf B.V.' }).click();
  await page.getByRole('button', { name: 'Pauzeren: Bakkerij De Korf B.V.' }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Overzicht' }).click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
}

/** The invoice style: a logo uploaded and shown, and an accent colour. */
async function branding(page: Page): Promise<void> {
  step('invoice style: upload a logo, choose an accent colour');
  await page.getByRole('navigation').getByRole('link', { name: 'Instellingen' }).click();
  await page.getByRole('link', { name: 'Logo en huisstijl van je facturen' }).click();
  await page.getByText('Je hebt nog geen logo.').waitFor();
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  await page
    .getByLabel('Logo kiezen')
    .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
  await page.getByText('Logo opgeslagen.').waitFor();
  await page.getByRole('img', { name: 'Je huidige logo' }).waitFor();
  await page.getByLabel('Kleur van koppen en lijnen').fill('#aa3300');
  await page.getByRole('button', { name: 'Kleur opslaan' }).click();
  await page.getByText('Kleur opgeslagen.').waitFor();
  await page.getByRole('button', { name: 'Standaardkleur' }).waitFor();
  await screen(page, '26-branding');
}

/** The privacy center: the agreement and its PDF, the contact confirmed, the register's PDF, breach notices. */
async function privacyCenter(page: Page): Promise<void> {
  step('privacy center: agreement PDF, contact confirmed, register PDF, subprocessors, breach notices');
  await page.getByRole('navigation').getByRole('link', { name: 'Privacy' }).click();
  await page.getByTestId('agreement-accepted').waitFor();
  const agreement = await downloadBytes(page, 'Download je exemplaar (PDF)');
  assert.equal(agreement.subarray(0, 5).toString('latin1'), '%PDF-', 'the agreement is a PDF');
  await page.getByRole('button', { name: 'Klopt nog: bevestigen' }).click();
  await page.getByText('Contactpersoon bevestigd.').waitFor();
  await page.getByRole('heading', { name: 'Register van verwerkingen' }).waitFor();
  await page.getByRole('button', { name: 'Download het register (PDF)' }).waitFor();
  const register = await downloadBytes(page, 'Download het register (PDF)');
  assert.equal(register.subarray(0, 5).toString('latin1'), '%PDF-', 'the register is a PDF');
  await page.getByText('Er zijn geen datalekken die jouw bedrijf raken.').waitFor();
  await page.getByLabel('Nieuwe subverwerkers').waitFor();
  await screen(page, '23-privacy-center');
}

/** Journey 4: export all data; the progress shows, and the ZIP downloads. */
async function exportAllData(page: Page): Promise<void> {
  step('export all data (journey 4)');
  await page.getByRole('navigation').getByRole('link', { name: 'Privacy' }).click();
  await page.getByRole('button', { name: 'Export maken' }).click();
  await page.getByRole('button', { name: 'Export downloaden' }).waitFor({ timeout: 120_000 });
  await screen(page, '18-export-ready');
  const zip = await downloadBytes(page, 'Export downloaden');
  assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'the export is a ZIP');
  assert.ok(zip.length > 1000, 'the export holds the data');
}

/** Waits until the element's text is exactly `text` (the totals recompute on every keystroke). */
async function expectText(page: Page, selector: string, text: string): Promise<void> {
  const el = page.locator(selector);
  const normal = (s: string) => s.replace(/\s+/g, ' ').trim();
  const until = Date.now() + 15_000;
  let last = '';
  while (Date.now() < until) {
    last = normal((await el.textContent()) ?? '');
    if (last === normal(text)) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`${selector}: expected "${text}", saw "${last}"`);
}

async function expectCount(page: Page, selector: string, n: number): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if ((await page.locator(selector).count()) === n) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`${selector}: expected ${n}, saw ${await page.locator(selector).count()}`);
}

async function downloadBytes(page: Page, button: string): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const file = await download.path();
  return readFileSync(file);
}

async function main(): Promise<void> {
  const started = Date.now();
  process.stdout.write('building the web app\n');
  await buildApp();
  const { port: smtpPort, mails } = await startMailCatcher();
  const { baseUrl } = await startKluis(smtpPort, prepareOperator);
  process.stdout.write(`Kluis at ${baseUrl}\n`);
  const { page } = await startBrowser();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Refusals the app expects (409 before the first run's settings) are only logged; a 5xx fails.
  const httpLog: string[] = [];
  page.on('response', async (r) => {
    if (r.status() < 400 || r.url().includes('/auth/interaction/')) return;
    const line = `HTTP ${r.status()} ${r.request().method()} ${r.url()}: ${(await r.text().catch(() => '')).slice(0, 300)}`;
    httpLog.push(line);
    if (r.status() >= 500) problems.push(line);
  });
  process.stdout.write(
    'journey 1: sign up → business → customer → invoice → issue → PDF/UBL → payment → credit\n',
  );
  try {
    const person = await journeyOne(page, baseUrl, mails);
    process.stdout.write('journey support: grant support access, see it, revoke it\n');
    await journeySupport({ page, baseUrl, owner: person });
    process.stdout.write('journey archive: the PDFs and UBL files of a period as one ZIP\n');
    await journeyArchive({ page, baseUrl, owner: person });
    process.stdout.write('journey editing: a draft quote and a schedule template changed\n');
    await journeyEditing({ page, baseUrl, owner: person });
    process.stdout.write(
      'journey account: password, passkey name, members, client rights, recurring end date\n',
    );
    await journeyAccount({ page, baseUrl, owner: person });
    process.stdout.write('journey extras: passkey add/sign-in/remove, CSV import, PDF preview\n');
    await journeyExtras({ page, baseUrl, owner: person });
    process.stdout.write('journey 2: turn on TOTP, sign out, sign in with a code\n');
    const totp = await journeyTwo(page, baseUrl, person.email, person.password);
    process.stdout.write('journey policy: two-step sign-in for everyone on and off, CII, payments\n');
    Object.assign(totp, await journeyPolicy({ page, baseUrl, owner: { ...person, ...totp } }));
    process.stdout.write('journey admin: audit log, ending (withdrawn), switching business\n');
    await journeyAdmin({ page, baseUrl, mails, owner: { ...person, ...totp } });
    process.stdout.write('journey 3: a data-subject request → find the person, export, erase, decide\n');
    await journeyRequests({ page, baseUrl, owner: { ...person, ...totp } });
    process.stdout.write('journey notices: the contact banner until a contact is named\n');
    await journeyNotices({ page, baseUrl, mails });
    process.stdout.write(
      'journey operator: console sign-in with TOTP, tenants, subprocessor, incident clock\n',
    );
    await journeyOperator({ page, baseUrl });
  } catch (e) {
    await screenshot(page, 'failure').catch(() => undefined);
    saveArtifact(
      'failure.txt',
      `${page.url()}\n${(e as Error).stack ?? e}\n${[...problems, ...httpLog].join('\n')}`,
    );
    throw e;
  }
  assert.deepEqual(problems, [], 'no CSP violation or uncaught error in the page');
  process.stdout.write(`browser journeys passed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

// Interrupted (Ctrl-C, CI cancel): stop Kluis and the browser before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stop().finally(() => process.exit(130));
  });
}

const timer = setTimeout(() => {
  process.stderr.write(`browser journeys timed out after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
  void stop().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);

try {
  await main();
  await stop();
  clearTimeout(timer);
} catch (e) {
  process.stderr.write(`browser journeys FAILED: ${(e as Error).stack ?? e}\n`);
  await stop();
  clearTimeout(timer);
  process.exit(1);
}
