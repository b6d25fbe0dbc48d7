/**
 * Browser journey for the operator's console (issue 7 point 8, ADR 0058): an operator created with
 * `kluis operator create` before the server starts signs in with password and TOTP, lands in the
 * console (not the business app), sees the businesses with their lifecycle, adds a subprocessor,
 * records an incident and sees its 48-hour clock, scopes it, notifies the businesses and closes it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, totpCode, totpStep } from './harness.ts';
import { screen, step } from './steps.ts';

const EMAIL = 'beheer@kluis-e2e.test';
let created: { password: string; totpSecret: string } | undefined;

/**
 * Creates the operator with the CLI against the server's data directory, before the server opens
 * it (the embedded database allows one process at a time). Pass to startKluis as its `prepare`.
 */
export function prepareOperator(env: Record<string, string>): void {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'server', 'cli.ts'), 'operator', 'create', '--email', EMAIL, '--json'],
    { env: { ...env, LOG_LEVEL: 'error' }, encoding: 'utf8' },
  );
  assert.equal(run.status, 0, `operator create failed: ${run.stderr}`);
  created = JSON.parse(run.stdout) as { password: string; totpSecret: string };
}

/** The journey; runs after the others, with nobody signed in. */
export async function journeyOperator(input: { page: Page; baseUrl: string }): Promise<void> {
  const { page, baseUrl } = input;
  if (!created) throw new Error('prepareOperator did not run before the server started');
  const op = created;

  step('the operator signs in: the password alone is not enough, the TOTP code is asked');
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(EMAIL);
  await page.locator('#password').fill(op.password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('#code').waitFor();
  await page.locator('#code').fill(totpCode(op.totpSecret, totpStep()));
  await page.locator('form button[type="submit"]').click();

  step('the console, not the business app: the businesses with their lifecycle');
  await page.getByRole('heading', { name: 'Bedrijven', level: 1 }).waitFor();
  await page.waitForURL(/\/operator$/);
  const menu = page.getByRole('navigation', { name: 'Beheermenu' });
  assert.equal(await page.getByRole('navigation', { name: 'Hoofdmenu' }).count(), 0, 'no business menu');
  await page.locator('table tbody tr').first().waitFor();
  assert.ok((await page.locator('table tbody tr').count()) >= 1, 'the businesses of earlier journeys');
  await screen(page, '50-operator-tenants');

  step('add a subprocessor; a date inside the notice period is refused first');
  await menu.getByRole('link', { name: 'Subverwerkers' }).click();
  await page.getByRole('heading', { name: 'Subverwerkers', level: 1 }).waitFor();
  await page.getByLabel('Naam').fill('Opslag Noord B.V.');
  await page.getByLabel('Doel').fill('Versleutelde back-ups');
  await page.getByLabel('Soorten gegevens').fill('email, address');
  await page.getByLabel('Kenmerk van de overeenkomst').fill('DPA-2026-07');
  const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Ingangsdatum').fill(soon);
  await page.getByRole('button', { name: 'Toevoegen en bedrijven inlichten' }).click();
  await page.getByText('Die datum valt binnen de aankondigingstermijn van 30 dagen.').waitFor();
  await page.getByLabel('Ingangsdatum').fill('');
  await page.getByRole('button', { name: 'Toevoegen en bedrijven inlichten' }).click();
  await page.getByText(/Opslag Noord B\.V\. is toegevoegd/).waitFor();
  await page.getByRole('cell', { name: 'Opslag Noord B.V.' }).waitFor();
  await screen(page, '51-operator-subprocessors');

  step('record an incident; its 48-hour clock starts at discovery');
  await menu.getByRole('link', { name: 'Incidenten' }).click();
  await page.getByRole('heading', { name: 'Incidenten', level: 1 }).waitFor();
  await page.getByLabel('Aard van de inbreuk').fill('Inzage door onbevoegden');
  await page.getByLabel('Systemen').fill('back-upopslag');
  await page.getByRole('checkbox', { name: 'E-mailadres' }).check();
  await page
    .getByLabel('Wat is er gebeurd')
    .fill('Een back-upkopie was leesbaar voor een verkeerd ingestelde taak.');
  await page.getByLabel('Mogelijke gevolgen').fill('Mogelijk zijn e-mailadressen van klanten ingezien.');
  await page.getByLabel('Genomen maatregelen').fill('De taak is verwijderd en de sleutels zijn vervangen.');
  await page.getByLabel('Contact voor de bedrijven').fill('security@kluis-e2e.test');
  await page.getByRole('button', { name: 'Vastleggen' }).click();
  await page.getByRole('heading', { name: 'Incident', level: 1 }).waitFor();
  await page.getByText('Binnen termijn').first().waitFor();
  await page
    .getByText(/nog 4[78] u \d+ min/)
    .first()
    .waitFor();
  await screen(page, '52-operator-incident');

  step('scope it from the data, notify every business, then close it');
  await page.getByRole('button', { name: 'Alle actieve bedrijven' }).click();
  await page.getByText('De omvang is bijgewerkt en geteld uit de gegevens.').waitFor();
  await page.getByRole('button', { name: 'Incident sluiten' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Incident sluiten' }).click();
  await page.getByText('Nog niet elk getroffen bedrijf is ingelicht.').waitFor();
  await page.getByRole('button', { name: 'Bedrijven inlichten' }).click();
  await page.getByText(/bedrijven ingelicht/).waitFor();
  await page.getByText('Iedereen ingelicht').first().waitFor();
  await screen(page, '53-operator-incident-notified');
  await page.getByRole('button', { name: 'Incident sluiten' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Incident sluiten' }).click();
  await page.getByText('Het incident is gesloten.').waitFor();

  step('the incidents list shows the clock; then sign out');
  await page.getByRole('link', { name: 'Terug naar de incidenten' }).click();
  await page.getByRole('heading', { name: 'Incidenten', level: 1 }).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  await screen(page, '54-operator-incidents');
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(/\/oidc\/session\/end/);
  await page.locator('button[name="logout"][value="yes"]').click();
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).waitFor();
}
