import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatIban,
  isEuMemberState,
  isValidDutchVatNumber,
  mod97,
  passesElevenCheck,
  validateBic,
  validateDutchPostalCode,
  validateEmail,
  validateIban,
  validateKvk,
  validateVatNumber,
  vatNumberCountry,
} from './identifiers.ts';
import type { Checked } from './result.ts';

type Validator = (text: string) => Checked<string>;

function table(name: string, validate: Validator, ok: [string, string][], bad: [string, string][]): void {
  describe(name, () => {
    for (const [input, normalised] of ok) {
      it(`accepts ${JSON.stringify(input)} as ${normalised}`, () => {
        assert.deepEqual(validate(input), { ok: true, value: normalised });
      });
    }
    for (const [input, code] of bad) {
      it(`refuses ${JSON.stringify(input)} with ${code}`, () => {
        assert.deepEqual(validate(input), { ok: false, code });
      });
    }
  });
}

table(
  'validateIban',
  validateIban,
  [
    ['NL91ABNA0417164300', 'NL91ABNA0417164300'],
    ['nl91 abna 0417 1643 00', 'NL91ABNA0417164300'],
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['BE68539007547034', 'BE68539007547034'],
    ['NO9386011117947', 'NO9386011117947'],
    ['FR14 2004 1010 0505 0001 3M02 606', 'FR1420041010050500013M02606'],
    ['GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ],
  [
    ['NL91ABNA0417164301', 'iban_checksum'],
    ['NL19ABNA0417164300', 'iban_checksum'],
    ['NL91ABNA041716430', 'iban_length'],
    ['NL91ABNA04171643000', 'iban_length'],
    ['NL91ABN10417164300', 'iban_format'],
    ['ZZ91ABNA0417164300', 'iban_country'],
    ['', 'iban_format'],
    ['91ABNA0417164300', 'iban_format'],
    ['NL91-ABNA-0417-1643-00', 'iban_format'],
  ],
);

describe('IBAN helpers', () => {
  it('prints in groups of four', () => {
    assert.equal(formatIban('NL91ABNA0417164300'), 'NL91 ABNA 0417 1643 00');
  });

  it('detects every single-digit typo in a Dutch IBAN (mod 97 guarantee)', () => {
    const iban = 'NL91ABNA0417164300';
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 17 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const digit = (Number(iban[position]) + delta) % 10;
        const typo = iban.slice(0, position) + digit + iban.slice(position + 1);
        assert.deepEqual(validateIban(typo), { ok: false, code: 'iban_checksum' });
      }),
    );
  });
});

table(
  'validateBic',
  validateBic,
  [
    ['ABNANL2A', 'ABNANL2A'],
    ['rabonl2u', 'RABONL2U'],
    ['INGBNL2AXXX', 'INGBNL2AXXX'],
    ['DEUT DE FF 500', 'DEUTDEFF500'],
  ],
  [
    ['ABNANL2', 'bic_format'],
    ['ABNANL2AXX', 'bic_format'],
    ['AB1ANL2A', 'bic_format'],
    ['ABNA122A', 'bic_format'],
    ['', 'bic_format'],
  ],
);

describe('Dutch btw-id checks', () => {
  it('knows the 11-check', () => {
    assert.equal(passesElevenCheck('004495445'), true);
    assert.equal(passesElevenCheck('123456789'), false);
  });

  it('accepts NL004495445B01 (old style, 11-check)', () => {
    assert.equal(isValidDutchVatNumber('NL004495445B01'), true);
  });

  it('accepts numbers issued since 2020 by mod 97-10 over the whole string', () => {
    // None of these nine-digit parts passes the 11-check, so only mod 97 can accept them.
    for (const vat of ['NL123456789B13', 'NL860008736B74', 'NL000099998B57']) {
      assert.equal(passesElevenCheck(vat.slice(2, 11)), false, vat);
      assert.equal(mod97(vat), 1, vat);
      assert.equal(isValidDutchVatNumber(vat), true, vat);
    }
  });

  it('finds exactly one mod-97 check pair for a new number', () => {
    const pairs = Array.from({ length: 100 }, (_, n) => `NL123456789B${String(n).padStart(2, '0')}`).filter(
      isValidDutchVatNumber,
    );
    assert.deepEqual(pairs, ['NL123456789B13']);
  });
});

table(
  'validateVatNumber',
  validateVatNumber,
  [
    ['NL004495445B01', 'NL004495445B01'],
    ['nl 0044.95.445.b01', 'NL004495445B01'],
    ['NL123456789B13', 'NL123456789B13'],
    ['DE123456789', 'DE123456789'],
    ['ATU12345678', 'ATU12345678'],
    ['BE0123456789', 'BE0123456789'],
    ['EL123456789', 'EL123456789'],
    ['XI123456789', 'XI123456789'],
    ['XIGD123', 'XIGD123'],
    ['FR12345678901', 'FR12345678901'],
    ['ESX1234567X', 'ESX1234567X'],
    ['IE1234567WA', 'IE1234567WA'],
    ['SE123456789001', 'SE123456789001'],
    ['CY12345678L', 'CY12345678L'],
    ['RO1234', 'RO1234'],
  ],
  [
    ['111222333', 'vat_number_is_bsn'],
    ['123456782', 'vat_number_is_bsn'],
    ['123456789', 'vat_number_format'],
    ['NL123456789B01', 'vat_number_checksum'],
    ['NL004495446B01', 'vat_number_checksum'],
    ['NL004495445', 'vat_number_format'],
    ['NL00449544B01', 'vat_number_format'],
    ['GR123456789', 'vat_number_country'],
    ['GB123456789', 'vat_number_country'],
    ['US123456789', 'vat_number_country'],
    ['DE12345678', 'vat_number_format'],
    ['ATU1234567', 'vat_number_format'],
    ['BE2123456789', 'vat_number_format'],
    ['SE123456789002', 'vat_number_format'],
    ['RO0123', 'vat_number_format'],
    ['', 'vat_number_country'],
  ],
);

describe('VAT number countries', () => {
  it('maps prefixes to member states', () => {
    assert.equal(vatNumberCountry('EL123456789'), 'GR');
    assert.equal(vatNumberCountry('DE123456789'), 'DE');
    assert.equal(vatNumberCountry('XI123456789'), 'XI');
    assert.equal(vatNumberCountry('CHE123456789'), undefined);
  });

  it('knows the member states', () => {
    assert.equal(isEuMemberState('GR'), true);
    assert.equal(isEuMemberState('NL'), true);
    assert.equal(isEuMemberState('EL'), false);
    assert.equal(isEuMemberState('GB'), false);
    assert.equal(isEuMemberState('CH'), false);
  });
});

table(
  'validateKvk',
  validateKvk,
  [
    ['12345678', '12345678'],
    ['1234 5678', '12345678'],
    ['01234567', '01234567'],
  ],
  [
    ['1234567', 'kvk_format'],
    ['123456789', 'kvk_format'],
    ['1234567a', 'kvk_format'],
    ['', 'kvk_format'],
  ],
);

table(
  'validateDutchPostalCode',
  validateDutchPostalCode,
  [
    ['1234 AB', '1234 AB'],
    ['1234ab', '1234 AB'],
    [' 9999  zz ', '9999 ZZ'],
    ['1000 SB', '1000 SB'],
  ],
  [
    ['0123 AB', 'postal_code_format'],
    ['1234 SA', 'postal_code_format'],
    ['1234 SD', 'postal_code_format'],
    ['1234ss', 'postal_code_format'],
    ['12345 AB', 'postal_code_format'],
    ['1234 A', 'postal_code_format'],
    ['1234-AB', 'postal_code_format'],
    ['', 'postal_code_format'],
  ],
);

table(
  'validateEmail',
  validateEmail,
  [
    ['jan@example.nl', 'jan@example.nl'],
    [' Jan.de.Vries+kluis@Example.NL ', 'Jan.de.Vries+kluis@example.nl'],
    ['info@sub.domain.co.uk', 'info@sub.domain.co.uk'],
    ['a@xn--bcher-kva.example', 'a@xn--bcher-kva.example'],
    ['post@café.nl', 'post@café.nl'],
  ],
  [
    ['jan', 'email_format'],
    ['@example.nl', 'email_format'],
    ['jan@', 'email_format'],
    ['jan@localhost', 'email_format'],
    ['jan@example.n', 'email_format'],
    ['jan@-example.nl', 'email_format'],
    ['jan@example..nl', 'email_format'],
    ['jan..x@example.nl', 'email_format'],
    ['.jan@example.nl', 'email_format'],
    ['jan x@example.nl', 'email_format'],
    ['jan@exa mple.nl', 'email_format'],
    ['jan@@example.nl', 'email_format'],
    [`${'a'.repeat(65)}@example.nl`, 'email_format'],
    [
      `a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(10)}.nl`,
      'email_too_long',
    ],
  ],
);
