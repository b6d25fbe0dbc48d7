/**
 * Browser journey for the business's own administration (issue 7 point 7, Identity point 2):
 * the audit log searched and exported with its chain verification, the subscription ended with a
 * retention period and withdrawn again (the business stays active for later journeys), and a
 * person in two businesses switching between them from the header.
 *
 * Who: journey 1's owner (with journey 2's TOTP) and a second person who signs up here with a
 * business of their own and accepts the owner's invitation as admin — so they belong to two
 * businesses, as happens in real use (an accountant's office invited by a client).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { type CaughtMail, linkFromMail, totpCode, totpStep } from './harness.ts';
import { screen, signOut, step } from './steps.ts';

/** What this journey needs from the ones before it. */
export interface AdminJourneyInput {
  page: Page;
  baseUrl: string;
  mails: CaughtMail[];
  /** Journey 1's owner, with journey 2's TOTP secret and the last step it used. */
  owner: { email: string; password: string; totpSecret: string; lastTotpStep: number };
}

/** The owner's next TOTP code: a step after the last one used (replays are refused), within ±1. */
async function nextCode(secret: string, lastUsed: number): Promise<{ code: string; used: number }> {
  while (totpStep() < lastUsed) await new Promise((r) => setTimeout(r, 500));
  const used = Math.max(totpStep(), lastUsed + 1);
  return { code: totpCode(secret, used), used };
}

async function startSignIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
}

async function noSidewaysScroll(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: no horizontal scrolling on a phone (${overflow}px too wide)`);
}

/** A new person signs up with a business of their own and confirms the address (not signed in yet). */
async function signUpSecondPerson(page: Page, baseUrl: string, mails: CaughtMail[]) {
  const email = `accountant-${randomBytes(4).toString('hex')}@voorbeeld.nl`;
  const password = 'groene zebra rent door het veld';
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('a[href*="/signup"]').first().click();
  await page.locator('#businessName').fill('Zebra Administratie');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForLoadState('domcontentloaded');
  await page.goto(await linkFromMail(mails, email, '/auth/confirm'));
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator(`a[href="${baseUrl}/"]`).waitFor();
  return { email, password };
}

async function auditLog(page: Page): Promise<void> {
  step('audit log: filter on issued invoices, then by person; export with the chain verified');
  await page
    .getByRole('navigation', { name: 'Hoofdmenu' })
    .getByRole('link', { name: 'Privacy', exact: true })
    .click();
  await page.getByRole('link', { name: 'Auditlog doorzoeken en exporteren' }).click();
  await page.getByRole('heading', { name: 'Auditlog', level: 1 }).waitFor();
  const table = page.getByTestId('audit-events');
  await table.waitFor();
  await page.getByLabel('Soort gebeurtenis').selectOption({ label: 'Factuur uitgegeven' });
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  // Journey 1 issued an invoice and its credit note: both are `invoice.issued` events.
  const rows = table.locator('tbody tr');
  await rows.first().waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="audit-events"] tbody tr')].every((r) =>
      r.textContent?.includes('Factuur uitgegeven'),
    ),
  );
  assert.ok((await rows.count()) >= 2, 'the invoice and the credit note were issued in journey 1');
  await screen(page, '40-audit-log');

  // The customers journey 1 added, by the owner themself (the only member so far).
  await page.getByLabel('Soort gebeurtenis').selectOption({ label: 'Klant toegevoegd' });
  await page.getByLabel('Door', { exact: true }).selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-testid="audit-events"] tbody tr td:nth-child(2)')];
    return cells.length > 0 && cells.every((c) => c.textContent === 'Klant toegevoegd');
  });
  await table
    .getByText(/^Gebruiker: eigenaar-/)
    .first()
    .waitFor();
  // Its record id filters on everything that happened to that customer.
  await table.locator('tbody tr td:nth-child(4) button').last().click();
  await page.waitForFunction(() => {
    const input = [...document.querySelectorAll('input')].find(
      (i) => i.labels?.[0]?.textContent === 'Id van het record',
    );
    const ids = [
      ...document.querySelectorAll('[data-testid="audit-events"] tbody tr td:nth-child(4) button'),
    ].map((b) => b.getAttribute('title'));
    return Boolean(input?.value) && ids.length > 0 && ids.every((id) => id === input?.value);
  });
  // A date range with nothing in it shows the empty state.
  await page.getByLabel('Vanaf').fill('2001-01-01');
  await page.getByLabel('Tot en met').fill('2001-01-31');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await page.getByText('Geen gebeurtenissen gevonden met deze filters.').waitFor();
  await page.getByRole('button', { name: 'Filters wissen' }).click();
  await table.waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Auditlog downloaden (NDJSON)' }).click(),
  ]);
  const lines = readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\n');
  const last = JSON.parse(lines.at(-1) ?? '{}') as { verification?: { ok: boolean; events: number } };
  assert.equal(last.verification?.ok, true, 'the export ends with a passing verification');
  assert.ok(
    lines.some((l) => l.includes('"invoice.issued"')),
    'the export holds journey 1 events',
  );
  await page
    .getByTestId('audit-verification')
    .getByText(/Keten gecontroleerd: \d+ gebeurtenissen/)
    .waitFor();
  await screen(page, '41-audit-log-exported');

  await page.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(page, 'audit log');
  await page.setViewportSize({ width: 1280, height: 900 });
}

function inDays(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return new Intl.DateTimeFormat('nl-NL', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

async function ending(page: Page): Promise<void> {
  step('end the subscription with 45 days of retention, see the deadline, withdraw it');
  await page
    .getByRole('navigation', { name: 'Hoofdmenu' })
    .getByRole('link', { name: 'Privacy', exact: true })
    .click();
  await page.getByRole('link', { name: 'Abonnement beëindigen' }).click();
  await page.getByRole('heading', { name: 'Abonnement beëindigen', level: 1 }).waitFor();
  await page
    .getByTestId('ending-warning')
    .getByText(/zeven jaar/)
    .waitFor();
  assert.equal(await page.getByTestId('ending-status').textContent(), 'Actief');
  await page.getByRole('link', { name: 'Maak een laatste export' }).waitFor();
  await screen(page, '42-ending');
  // In English the screen and the server's warning follow the language.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'End the subscription', level: 1 }).waitFor();
  await page
    .getByTestId('ending-warning')
    .getByText(/seven years/)
    .waitFor();
  await page.getByRole('button', { name: 'Nederlands' }).click();
  await page.getByRole('heading', { name: 'Abonnement beëindigen', level: 1 }).waitFor();

  await page.getByLabel('Bewaartermijn in dagen').fill('500');
  await page.getByRole('button', { name: 'Abonnement beëindigen' }).click();
  await page.getByText('Kies een aantal dagen van 0 tot en met 183.').waitFor();
  await page.getByLabel('Bewaartermijn in dagen').fill('45');
  await page.getByRole('button', { name: 'Abonnement beëindigen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Abonnement beëindigen?' });
  await dialog.getByText(inDays(45)).waitFor();
  await dialog.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await page.getByTestId('ending-pending').waitFor();
  // The server's deadline (UTC) is 45 days on; around midnight the local date may differ by one.
  const deadline = (await page.getByTestId('ending-deadline').textContent()) ?? '';
  assert.ok([inDays(44), inDays(45), inDays(46)].includes(deadline), `deadline ${deadline} is 45 days on`);
  assert.equal(await page.getByTestId('ending-status').textContent(), 'Wordt beëindigd');
  await page.getByRole('heading', { name: 'Export voor teruggave' }).waitFor();
  await screen(page, '43-ending-pending');

  // Deleting now asks for the exact phrase; cancelling leaves everything as it was.
  await page.getByRole('button', { name: 'Nu alles verwijderen' }).click();
  const confirm = page.getByRole('dialog', { name: 'Alles nu definitief verwijderen?' });
  assert.ok(await confirm.getByRole('button', { name: 'Definitief verwijderen' }).isDisabled());
  await confirm.getByLabel('Bevestigingstekst').fill('delete');
  assert.ok(await confirm.getByRole('button', { name: 'Definitief verwijderen' }).isDisabled());
  await screen(page, '44-ending-delete-now');
  await confirm.getByRole('button', { name: 'Annuleren' }).click();

  await page.getByRole('button', { name: 'Beëindiging intrekken' }).click();
  await page.getByText('De beëindiging is ingetrokken; je abonnement loopt gewoon door.').waitFor();
  assert.equal(await page.getByTestId('ending-status').textContent(), 'Actief');
  await page.setViewportSize({ width: 390, height: 844 });
  await noSidewaysScroll(page, 'ending');
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Journey: audit log, ending (withdrawn), and switching between two businesses. */
export async function journeyAdmin(input: AdminJourneyInput): Promise<void> {
  const { page, baseUrl, mails, owner } = input;
  step('a second person signs up with a business of their own');
  const second = await signUpSecondPerson(page, baseUrl, mails);

  step("journey 1's owner signs in (password and TOTP); one business, so no switch");
  await startSignIn(page, baseUrl, owner.email, owner.password);
  await page.locator('#code').waitFor();
  const { code } = await nextCode(owner.totpSecret, owner.lastTotpStep);
  await page.locator('#code').fill(code);
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await page.getByTestId('current-business').getByText('Olifant Advies B.V.').waitFor();
  assert.equal(await page.getByText('Ander bedrijf').count(), 0, 'no switch with one business');

  await auditLog(page);
  await ending(page);

  step('the owner invites the second person as admin');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { name: 'Mensen' }).waitFor();
  await page.getByLabel('E-mailadres').fill(second.email);
  await page.getByLabel('Rol').selectOption({ label: 'Beheerder' });
  await page.getByRole('button', { name: 'Uitnodigen' }).click();
  await page.getByText(`Uitnodiging verstuurd naar ${second.email}.`).waitFor();
  await signOut(page);

  step('the second person accepts with their password, signs in and chooses their own business');
  await page.goto(await linkFromMail(mails, second.email, '/auth/invitation'));
  await page.locator('#password').fill(second.password);
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('link', { name: 'Naar Kluis' }).waitFor();
  await startSignIn(page, baseUrl, second.email, second.password);
  await page.getByRole('heading', { name: 'Kies een bedrijf' }).waitFor();
  await page.getByRole('button', { name: 'Zebra Administratie · eigenaar' }).click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await page.getByTestId('current-business').getByText('Zebra Administratie').waitFor();

  step('switch to the other business from the header, without a password; then back');
  await page.getByText('Ander bedrijf').click();
  await screen(page, '45-business-switcher');
  await page.getByRole('button', { name: 'Olifant Advies B.V. · Beheerder' }).click();
  await page.getByTestId('current-business').getByText('Olifant Advies B.V.').waitFor();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Klanten' }).click();
  await page.getByRole('link', { name: 'Bakkerij De Korf B.V.' }).waitFor();

  // An admin sees the subscription read-only.
  await page.goto(`${baseUrl}/privacy-center/ending`);
  await page.getByTestId('ending-status').getByText('Actief').waitFor();
  await page.getByText('Alleen de eigenaar kan het abonnement beëindigen').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Abonnement beëindigen' }).count(), 0);
  await screen(page, '46-ending-admin');

  await page.getByText('Ander bedrijf').click();
  await page.getByRole('button', { name: 'Zebra Administratie · Eigenaar' }).click();
  await page.getByTestId('current-business').getByText('Zebra Administratie').waitFor();
  await page.getByRole('heading', { name: 'Abonnement beëindigen', level: 1 }).waitFor();
  await signOut(page);
}
