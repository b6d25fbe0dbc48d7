import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultExemptionReasonCode,
  exemptionReasonCodesFor,
  isRateInTable,
  parseVatRate,
  VATEX_CODES,
  vatRateOn,
} from './vat-rates.ts';

describe('Dutch rate table', () => {
  const cases: [string, 'standard' | 'reduced' | 'zero', string | undefined][] = [
    ['2024-06-01', 'standard', '21'],
    ['2024-06-01', 'reduced', '9'],
    ['2024-06-01', 'zero', '0'],
    ['2019-01-01', 'reduced', '9'],
    ['2018-12-31', 'reduced', '6'],
    ['2012-10-01', 'standard', '21'],
    ['2012-09-30', 'standard', '19'],
    ['2000-12-31', 'standard', undefined],
  ];
  for (const [date, kind, percent] of cases) {
    it(`${kind} on ${date} is ${percent}`, () => assert.equal(vatRateOn(kind, date), percent));
  }

  it('matches rates whatever their written scale', () => {
    assert.equal(isRateInTable('9.00', '2019-01-01'), true);
    assert.equal(isRateInTable('9', '2018-12-31'), false);
    assert.equal(isRateInTable('6', '2018-12-31'), true);
    assert.equal(isRateInTable('20', '2024-01-01'), false);
  });

  it('parses rates to a canonical form', () => {
    assert.deepEqual(parseVatRate('21.00'), { ok: true, value: '21' });
    assert.deepEqual(parseVatRate('5.50'), { ok: true, value: '5.5' });
    for (const bad of ['-1', '101', '21%', '9.125', '']) {
      assert.deepEqual(parseVatRate(bad), { ok: false, code: 'vat_rate_format' }, bad);
    }
  });
});

describe('exemption reason codes', () => {
  it('maps the fixed categories to their VATEX code', () => {
    assert.equal(defaultExemptionReasonCode('AE'), 'VATEX-EU-AE');
    assert.equal(defaultExemptionReasonCode('K'), 'VATEX-EU-IC');
    assert.equal(defaultExemptionReasonCode('G'), 'VATEX-EU-G');
    assert.equal(defaultExemptionReasonCode('O'), 'VATEX-EU-O');
    assert.equal(defaultExemptionReasonCode('S'), undefined);
    assert.equal(defaultExemptionReasonCode('E'), undefined);
  });

  it('puts the margin schemes and article codes under E (Peppol P0108–P0111)', () => {
    for (const code of ['VATEX-EU-D', 'VATEX-EU-F', 'VATEX-EU-I', 'VATEX-EU-J', 'VATEX-EU-132-1A']) {
      assert.equal(VATEX_CODES.get(code), 'E', code);
    }
    assert.deepEqual(exemptionReasonCodesFor('S'), []);
    assert.deepEqual(exemptionReasonCodesFor('K'), ['VATEX-EU-IC']);
  });
});
