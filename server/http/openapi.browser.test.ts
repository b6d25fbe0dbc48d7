/**
 * The docs page in a real browser (ADR 0023): Swagger UI renders the API from Kluis's own assets
 * under the unchanged CSP — no request leaves the origin, no script is refused, no page error.
 * Skipped where no Chromium is installed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { buildApp } from '../app.ts';
import { makeServices } from '../test/harness.ts';

const CHROMIUM = '/usr/bin/chromium';

test('the docs page renders in Chromium with only same-origin requests and no script refused', {
  skip: !existsSync(CHROMIUM) && 'no Chromium',
}, async () => {
  const s = await makeServices();
  const { app } = await buildApp({ services: s });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // Swagger UI sets one inline style attribute, which the CSP refuses; the page does not need it.
      if (m.type() === 'error' && !/Applying inline style violates/.test(m.text())) problems.push(m.text());
    });
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) problems.push(`request to ${r.url()}`);
    });
    await page.goto(`${origin}/api/docs/`);
    await page.waitForSelector('.opblock-tag', { timeout: 60_000 });
    assert.match((await page.textContent('.info .title')) ?? '', /Kluis API/);
    // With more than 100 paths Swagger UI renders only the tag sections near the viewport, so the
    // page is read as a person reads it: scrolling down, collecting the sections that appear.
    const seen = new Set<string>();
    for (let i = 0; i < 200 && !(seen.has('customers') && seen.has('invoices')); i++) {
      for (const tag of await page.$$eval('.opblock-tag', (els) =>
        els.map((e) => e.textContent?.trim() ?? ''),
      )) {
        seen.add(tag);
      }
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(50);
    }
    assert.ok(seen.has('customers') && seen.has('invoices'), [...seen].join(','));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await app.close();
    await s.close();
  }
});
