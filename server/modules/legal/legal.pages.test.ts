/**
 * Privacy center point 1: the public legal pages render in Dutch with the configured operator's
 * name, address, KvK number and contact, the annex lists the data catalogue's categories and
 * subjects, the security measures follow the running configuration, and the pages are versioned,
 * served as HTML even to a browser navigation (the web app's fallback does not claim them).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ApiTest } from '../../test/api.ts';
import { CATEGORY_NL, dataAnnex, SUBJECT_NL } from './annex.ts';
import { DOCUMENT_VERSIONS } from './documents.ts';
import { OPERATOR_SETTINGS, openLegalTest } from './legal.testing.ts';

let t: ApiTest;
before(async () => {
  t = await openLegalTest({
    ...OPERATOR_SETTINGS,
    security: {
      ...OPERATOR_SETTINGS.security,
      files: { kind: 's3', region: 'eu-central-1' },
      backupIntervalHours: 6,
    },
  });
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });

test('every legal page is public HTML with the operator from the configuration and its version', async () => {
  for (const path of [
    '/voorwaarden',
    '/verwerkersovereenkomst',
    '/privacy',
    '/subverwerkers',
    '/beveiliging',
  ]) {
    const res = await get(path);
    assert.equal(res.statusCode, 200, path);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(res.body, /<script|style=/, `${path} has no inline code`);
    const code = path.slice(1) as keyof typeof DOCUMENT_VERSIONS;
    assert.ok(
      res.body.includes(`Versie ${DOCUMENT_VERSIONS[code].version} van ${DOCUMENT_VERSIONS[code].date}`),
    );
  }
  const terms = (await get('/voorwaarden')).body;
  assert.ok(terms.includes('Kluisbeheer Noord B.V.'));
  assert.ok(terms.includes('Vismarkt 12, 9712 CB Groningen'));
  assert.ok(terms.includes('87654321'));
  assert.ok(terms.includes('privacy@kluisbeheer.example'));
  assert.ok(terms.includes('https://kluis.example'));
  assert.ok((await get('/privacy')).body.includes('privacy@kluisbeheer.example'));
});

test("the agreement's annex lists every category and subject of the data catalogue", async () => {
  const body = (await get('/verwerkersovereenkomst')).body;
  assert.ok(body.includes('Verwerker: Kluisbeheer Noord B.V.'));
  const annex = dataAnnex();
  const subjects = annex.map((e) => e.subject);
  assert.ok(
    subjects.includes('customer') && subjects.includes('user'),
    'customers and users are in the catalogue',
  );
  for (const e of annex) {
    assert.ok(body.includes(SUBJECT_NL[e.subject]), e.subject);
    for (const c of e.categories) assert.ok(body.includes(CATEGORY_NL[c].replaceAll("'", '&#39;')), c);
  }
  // Customers' bank accounts are catalogued, so the annex must name them.
  assert.ok(annex.find((e) => e.subject === 'customer')?.categories.includes('bank_account'));
});

test('the security measures follow the running configuration', async () => {
  const body = (await get('/beveiliging')).body;
  assert.ok(body.includes('AES-256-GCM'));
  assert.ok(body.includes('EU-regio eu-central-1'), 'files in S3 name the region');
  assert.ok(body.includes('iedere 6 uur'), 'the backup interval comes from the configuration');
  assert.ok(body.includes('tweede factor'));
  assert.ok(body.includes('30 dagen'), 'log retention');
  const local = await openLegalTest();
  try {
    const other = (await local.app.inject({ method: 'GET', url: '/beveiliging' })).body;
    assert.ok(other.includes('in de datamap van de server'));
    assert.ok(other.includes('iedere 24 uur'));
  } finally {
    await local.close();
  }
});

test('an unconfigured deployment says the operator is not set, and never fails', async () => {
  const { DEFAULT_LEGAL_SETTINGS } = await import('./legal.settings.ts');
  const plain = await openLegalTest(DEFAULT_LEGAL_SETTINGS);
  try {
    const res = await plain.app.inject({
      method: 'GET',
      url: '/voorwaarden',
      headers: { accept: 'text/html' },
    });
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('(niet ingesteld)'));
  } finally {
    await plain.close();
  }
});
