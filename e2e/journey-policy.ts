/**
 * Browser journey for the business's two-step requirement and an invoice's extras (issue 7: every
 * capability usable in the browser): journey 1's owner, who has journey 2's TOTP, signs in with a
 * code, requires two-step sign-in of everyone on the security screen, sees it still on after a
 * reload and turns it off again (later journeys sign people in without a second factor); then on
 * journey 1's invoice downloads the CII (a CrossIndustryInvoice) and sees journey 1's payment listed.
 *
 * Runs right after journey 2 and returns the TOTP step it used, so the next sign-in takes a later one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { totpCode, totpStep } from './harness.ts';
import { screen, signOut, step } from './steps.ts';

/** Signs in with password and the next TOTP code (a step after the last used; replays are refused). */
async function signInWithCode(
  page: Page,
  baseUrl: string,
  owner: { email: string; password: string; totpSecret: string; lastTotpStep: number },
): Promise<number> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(owner.email);
  await page.locator('#password').fill(owner.password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('#code').waitFor();
  while (totpStep() < owner.lastTotpStep) await new Promise((r) => setTimeout(r, 500));
  const used = Math.max(totpStep(), owner.lastTotpStep + 1);
  await page.locator('#code').fill(totpCode(owner.totpSecret, used));
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
  return used;
}

/** The owner's requirement, then the CII and the payments of journey 1's invoice. */
export async function journeyPolicy(input: {
  page: Page;
  baseUrl: string;
  owner: { email: string; password: string; totpSecret: string; lastTotpStep: number };
}): Promise<{ lastTotpStep: number }> {
  const { page, baseUrl, owner } = input;
  step('policy: the owner signs in with a code and opens the security screen');
  const used = await signInWithCode(page, baseUrl, owner);
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await nav('Beveiliging');
  const panel = page.getByRole('region', { name: 'Tweestapsverificatie voor iedereen' });
  const box = panel.getByLabel('Tweestapsverificatie verplicht voor alle mensen in dit bedrijf');
  await box.waitFor();
  const saved = () =>
    page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().endsWith('/api/v1/business/security') && r.ok(),
    );
  assert.equal(await box.isChecked(), false, 'not required at first');
  await panel.getByText('Niet verplicht: ieder kiest zelf.').waitFor();

  step('policy: turn it on; it stays on after a reload');
  await Promise.all([saved(), box.check()]);
  await panel.getByText('Verplicht: iedereen logt in met een tweede stap.').waitFor();
  await screen(page, 'policy-01-required');
  await page.reload();
  await box.waitFor();
  await panel.getByText('Verplicht: iedereen logt in met een tweede stap.').waitFor();
  assert.equal(await box.isChecked(), true, 'the setting is read back from the server');

  step('policy: turn it off again, so later journeys sign in on a password');
  await Promise.all([saved(), box.uncheck()]);
  await panel.getByText('Niet verplicht: ieder kiest zelf.').waitFor();
  await page.reload();
  await box.waitFor();
  await panel.getByText('Niet verplicht: ieder kiest zelf.').waitFor();
  assert.equal(await box.isChecked(), false, 'off again after a reload');

  step("invoice: journey 1's invoice offers the CII and lists its payment");
  await nav('Facturen');
  await page.getByRole('table').waitFor();
  await page.getByLabel('Status').selectOption({ label: 'Gecrediteerd' });
  await page.waitForURL(/status=credited/);
  await page
    .getByRole('link', { name: /^\d{4}-\d{4}$/ })
    .first()
    .click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CII (XML)' }).click(),
  ]);
  const cii = readFileSync(await download.path()).toString('utf8');
  assert.match(cii, /CrossIndustryInvoice/, 'the CII download is a Cross Industry Invoice');
  const payments = page.getByRole('region', { name: 'Ontvangen betalingen' });
  const row = payments.getByRole('row').filter({ hasText: /€\s100,00/ });
  await row.waitFor();
  await row.getByText('Overboeking').waitFor();
  await screen(page, 'policy-02-invoice-payments');
  await signOut(page);
  return { lastTotpStep: used };
}
