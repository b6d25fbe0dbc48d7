import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from './errors.ts';
import { assertVatConsistency, checkVatConsistency, mandatoryTexts, type VatInvoiceInput } from './vat.ts';

const base: VatInvoiceInput = {
  issueDate: '2024-03-01',
  seller: { country: 'NL', vatNumber: 'NL004495445B01' },
  buyer: { country: 'NL' },
  lines: [{ vatCategory: 'S', vatRate: '21' }],
};

function codes(input: VatInvoiceInput): string[] {
  return checkVatConsistency(input).map((i) => `${i.path}:${i.code}`);
}

describe('checkVatConsistency', () => {
  it('accepts an ordinary Dutch invoice at 21 % and 9 %', () => {
    assert.deepEqual(
      codes({
        ...base,
        lines: [base.lines[0]!, { vatCategory: 'S', vatRate: '9' }, { vatCategory: 'Z', vatRate: '0' }],
      }),
      [],
    );
  });

  it('checks the rate on the supply date, not the issue date', () => {
    const old = { ...base, issueDate: '2019-01-15', lines: [{ vatCategory: 'S', vatRate: '6' }] };
    assert.deepEqual(codes(old), ['lines.0.vatRate:vat_rate_not_in_table']);
    assert.deepEqual(codes({ ...old, supplyDate: '2018-12-20' }), []);
  });

  it('refuses rates that do not fit the category', () => {
    const input = {
      ...base,
      lines: [
        { vatCategory: 'S', vatRate: '0' },
        { vatCategory: 'S', vatRate: '20' },
        { vatCategory: 'Z', vatRate: '9' },
        { vatCategory: 'X', vatRate: '0' },
        { vatCategory: 'S', vatRate: 'abc' },
      ],
      allowances: [{ vatCategory: 'AE', vatRate: '21' }],
      charges: [{ vatCategory: 'G', vatRate: '21' }],
      buyer: { country: 'US', vatNumber: 'DE123456789' },
    };
    assert.deepEqual(codes(input), [
      'lines.0.vatRate:standard_rate_must_be_positive',
      'lines.1.vatRate:vat_rate_not_in_table',
      'lines.2.vatRate:vat_rate_must_be_zero',
      'lines.3.vatCategory:vat_category_unknown',
      'lines.4.vatRate:vat_rate_format',
      'allowances.0.vatRate:vat_rate_must_be_zero',
      'charges.0.vatRate:vat_rate_must_be_zero',
    ]);
  });

  it('needs the seller VAT number except outside the scope of VAT', () => {
    const noVat = { ...base, seller: { country: 'NL' } };
    assert.deepEqual(codes(noVat), ['seller.vatNumber:seller_vat_number_required']);
    assert.deepEqual(codes({ ...noVat, lines: [{ vatCategory: 'O', vatRate: '0' }] }), []);
  });

  it('needs a reason for an exemption', () => {
    const exempt = { ...base, lines: [{ vatCategory: 'E', vatRate: '0' }] };
    assert.deepEqual(codes(exempt), ['exemptionReason:exempt_requires_reason']);
    assert.deepEqual(
      codes({ ...exempt, exemptionReason: 'Vrijgesteld op grond van art. 11 lid 1 Wet OB' }),
      [],
    );
    assert.deepEqual(codes({ ...exempt, exemptionReasonCode: 'VATEX-EU-132-1C' }), []);
    assert.deepEqual(codes({ ...exempt, exemptionReason: '   ' }), [
      'exemptionReason:exempt_requires_reason',
    ]);
    assert.deepEqual(codes({ ...exempt, exemptionReasonCode: 'VATEX-EU-AE' }), [
      'exemptionReasonCode:exemption_reason_code_unknown',
    ]);
  });

  it('needs the buyer VAT number for reverse charge', () => {
    const reverse = { ...base, lines: [{ vatCategory: 'AE', vatRate: '0' }] };
    assert.deepEqual(codes(reverse), ['buyer.vatNumber:reverse_charge_requires_buyer_vat_number']);
    assert.deepEqual(codes({ ...reverse, buyer: { country: 'NL', vatNumber: 'NL123456789B13' } }), []);
  });

  describe('intra-community supply', () => {
    const ic: VatInvoiceInput = {
      ...base,
      supplyDate: '2024-02-28',
      buyer: { country: 'DE', vatNumber: 'DE123456789' },
      deliveryCountry: 'DE',
      lines: [{ vatCategory: 'K', vatRate: '0' }],
    };

    it('accepts a buyer and a destination in another member state (EL and XI too)', () => {
      assert.deepEqual(codes(ic), []);
      assert.deepEqual(
        codes({ ...ic, buyer: { country: 'GR', vatNumber: 'EL123456789' }, deliveryCountry: 'GR' }),
        [],
      );
      assert.deepEqual(
        codes({ ...ic, buyer: { country: 'GB', vatNumber: 'XI123456789' }, deliveryCountry: 'XI' }),
        [],
      );
    });

    it('needs the buyer VAT number, the destination and the supply date', () => {
      const { supplyDate: _, deliveryCountry: __, ...bare } = ic;
      assert.deepEqual(codes({ ...bare, buyer: { country: 'DE' } }), [
        'buyer.vatNumber:intra_community_requires_buyer_vat_number',
        'deliveryCountry:intra_community_requires_delivery_country',
        'supplyDate:intra_community_requires_supply_date',
      ]);
    });

    it('refuses a Dutch buyer or destination, and countries outside the EU', () => {
      assert.deepEqual(
        codes({ ...ic, buyer: { country: 'NL', vatNumber: 'NL123456789B13' }, deliveryCountry: 'NL' }),
        [
          'buyer.vatNumber:intra_community_requires_other_member_state',
          'deliveryCountry:intra_community_requires_other_member_state',
        ],
      );
      assert.deepEqual(
        codes({ ...ic, buyer: { country: 'CH', vatNumber: 'CHE123456789' }, deliveryCountry: 'CH' }),
        [
          'buyer.vatNumber:intra_community_requires_other_member_state',
          'deliveryCountry:intra_community_requires_other_member_state',
        ],
      );
    });
  });

  it('needs exports to leave the EU', () => {
    const exp = { ...base, buyer: { country: 'US' }, lines: [{ vatCategory: 'G', vatRate: '0' }] };
    assert.deepEqual(codes(exp), []);
    assert.deepEqual(codes({ ...exp, deliveryCountry: 'BE' }), [
      'deliveryCountry:export_requires_destination_outside_eu',
    ]);
    assert.deepEqual(codes({ ...exp, buyer: { country: 'FR' } }), [
      'deliveryCountry:export_requires_destination_outside_eu',
    ]);
  });

  it('does not mix outside-scope lines with anything else', () => {
    const mixed = {
      ...base,
      lines: [{ vatCategory: 'O', vatRate: '0' }],
      charges: [{ vatCategory: 'S', vatRate: '21' }],
    };
    assert.deepEqual(codes(mixed), ['lines:outside_scope_cannot_mix']);
  });

  describe('KOR', () => {
    const kor = { ...base, seller: { ...base.seller, isKor: true } };

    it('accepts exempt lines without a reason of their own', () => {
      assert.deepEqual(codes({ ...kor, lines: [{ vatCategory: 'E', vatRate: '0' }] }), []);
    });

    it('forbids any VAT rate and any category but E, "0 %" included', () => {
      assert.deepEqual(
        codes({
          ...kor,
          lines: [
            { vatCategory: 'S', vatRate: '21' },
            { vatCategory: 'Z', vatRate: '0' },
          ],
        }),
        [
          'lines.0.vatCategory:kor_requires_exempt_category',
          'lines.0.vatRate:kor_forbids_vat_rate',
          'lines.1.vatCategory:kor_requires_exempt_category',
        ],
      );
      assert.deepEqual(codes({ ...kor, lines: [{ vatCategory: 'E', vatRate: '9' }] }), [
        'lines.0.vatRate:kor_forbids_vat_rate',
      ]);
    });
  });

  it('throws one validation error listing everything', () => {
    assert.doesNotThrow(() => assertVatConsistency(base));
    try {
      assertVatConsistency({
        ...base,
        seller: { country: 'NL' },
        lines: [{ vatCategory: 'S', vatRate: '20' }],
      });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(isAppError(error));
      assert.equal(error.code, 'validation_failed');
      assert.deepEqual(
        error.issues.map((i) => i.code),
        ['vat_rate_not_in_table', 'seller_vat_number_required'],
      );
    }
  });
});

describe('mandatoryTexts', () => {
  const seller = { country: 'NL', vatNumber: 'NL004495445B01' };
  const all = {
    seller,
    lines: ['O', 'G', 'K', 'AE', 'E', 'Z', 'S'].map((vatCategory) => ({ vatCategory, vatRate: '0' })),
    exemptionReason: 'Vrijgesteld op grond van art. 11 lid 1 onderdeel g Wet OB',
  };

  it('prints the Dutch texts per category, in a fixed order, with VATEX codes', () => {
    assert.deepEqual(mandatoryTexts(all, 'nl'), [
      { category: 'E', text: 'Vrijgesteld op grond van art. 11 lid 1 onderdeel g Wet OB' },
      { category: 'AE', code: 'VATEX-EU-AE', text: 'Btw verlegd' },
      { category: 'K', code: 'VATEX-EU-IC', text: 'Intracommunautaire levering' },
      { category: 'G', code: 'VATEX-EU-G', text: 'Uitvoer buiten de EU' },
      { category: 'O', code: 'VATEX-EU-O', text: 'Niet onderworpen aan btw' },
    ]);
  });

  it('prints the English texts', () => {
    const texts = mandatoryTexts(
      {
        seller,
        lines: [
          { vatCategory: 'AE', vatRate: '0' },
          { vatCategory: 'K', vatRate: '0' },
        ],
      },
      'en',
    );
    assert.deepEqual(
      texts.map((t) => t.text),
      ['VAT reverse charged', 'Intra-community supply'],
    );
  });

  it('prints nothing for ordinary and zero-rated invoices', () => {
    assert.deepEqual(
      mandatoryTexts(
        {
          seller,
          lines: [
            { vatCategory: 'S', vatRate: '21' },
            { vatCategory: 'Z', vatRate: '0' },
          ],
        },
        'nl',
      ),
      [],
    );
  });

  it('prints the KOR text instead of a rate, in both languages', () => {
    const kor = { seller: { ...seller, isKor: true }, lines: [{ vatCategory: 'E', vatRate: '0' }] };
    const [nl] = mandatoryTexts(kor, 'nl');
    const [en] = mandatoryTexts(kor, 'en');
    assert.match(nl?.text ?? '', /kleineondernemersregeling/);
    assert.match(en?.text ?? '', /small businesses scheme/);
    assert.doesNotMatch(`${nl?.text} ${en?.text}`, /0\s*%/);
  });

  it('falls back to a generic exemption text when only a code is given', () => {
    const coded = {
      seller,
      lines: [{ vatCategory: 'E', vatRate: '0' }],
      exemptionReasonCode: 'VATEX-EU-132-1C',
    };
    assert.deepEqual(mandatoryTexts(coded, 'en'), [
      { category: 'E', code: 'VATEX-EU-132-1C', text: 'Exempt from VAT' },
    ]);
  });
});
