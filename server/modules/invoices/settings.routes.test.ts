/**
 * The invoice settings over HTTP (the web app's business settings): missing until set, validated
 * field by field, readable back, refused to a viewer, and per business (B never sees A's).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ApiTest, openApiTest } from '../../test/api.ts';

let t: ApiTest;
before(async () => {
  t = await openApiTest();
});
after(() => t.close());

const BODY = {
  name: 'Olifant B.V.',
  address: { street: 'Keizersgracht 1', postalCode: '1015 CJ', city: 'Amsterdam', country: 'NL' },
  vatNumber: 'NL004495445B01',
  kvkNumber: '12345678',
  iban: 'NL91ABNA0417164300',
  email: 'facturen@olifant.example',
};

describe('GET and PUT /api/v1/invoice-settings', () => {
  test('missing until set; bad identifiers are reported per field; set, read back, per business', async () => {
    const missing = await t.call('GET', '/api/v1/invoice-settings', t.ownerA);
    assert.equal(missing.statusCode, 409, missing.body);
    assert.equal(missing.json().error.code, 'invoice_settings_missing');

    const bad = await t.call('PUT', '/api/v1/invoice-settings', t.ownerA, {
      ...BODY,
      iban: 'NL00ABNA0417164300',
      kvkNumber: '123',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const paths = (bad.json().error.issues as { path: string }[]).map((i) => i.path).sort();
    assert.deepEqual(paths, ['iban', 'kvkNumber']);

    const put = await t.call('PUT', '/api/v1/invoice-settings', t.ownerA, BODY);
    assert.equal(put.statusCode, 200, put.body);
    const got = await t.call('GET', '/api/v1/invoice-settings', t.ownerA);
    assert.equal(got.statusCode, 200);
    const body = got.json();
    assert.equal(body.name, 'Olifant B.V.');
    assert.equal(body.iban, 'NL91ABNA0417164300');
    assert.equal(body.address.country, 'NL');
    assert.equal(body.numberFormat, '{YYYY}-{seq:4}');
    assert.equal(body.isKor, false);

    const other = await t.call('GET', '/api/v1/invoice-settings', t.ownerB);
    assert.equal(other.statusCode, 409, "another business's settings are not visible");
  });

  test('a viewer may read but not change them', async () => {
    const viewer = await t.tokenFor(t.a, 'viewer');
    const put = await t.call('PUT', '/api/v1/invoice-settings', viewer, BODY);
    assert.equal(put.statusCode, 403, put.body);
  });
});
