/**
 * What every browser journey does the same way: name its steps, check and photograph a screen
 * (axe + screenshot), and sign in with a password or sign out through the provider's pages.
 */
import type { Page } from 'playwright-core';
import { checkAccessibility, screenshot } from './harness.ts';

/** Prints a journey's step as an indented line. */
export const step = (name: string) => process.stdout.write(`  · ${name}\n`);

/** Checks a screen for serious accessibility violations and keeps its screenshot. */
export async function screen(page: Page, name: string): Promise<void> {
  await checkAccessibility(page, name);
  await screenshot(page, name);
}

/** Signs in with e-mail and password (no second factor) and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).click();
  await page.waitForURL(/\/auth\/interaction\//);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
}

/** Signs out through the provider's end-session page and waits for the welcome screen. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(/\/oidc\/session\/end/);
  await page.locator('button[name="logout"][value="yes"]').click();
  await page.getByRole('button', { name: 'Inloggen of account aanmaken' }).waitFor();
}
