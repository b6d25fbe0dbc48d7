/**
 * The validation matrix of Documents point 5: one invoice per case a Dutch business meets, each
 * written as UBL (Peppol and NLCIUS) and CII and checked by the official rules in one call.
 */

import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { BUYERS, buildFixture, type FixtureLine, line, SELLER } from './fixtures.ts';
import type { UblFormat } from './ubl-parts.ts';

/**
 * One case of the matrix. `ubl` lists the UBL formats the official rules allow for it (both when
 * absent); the writer must refuse the others with a stable code instead of writing an invalid file.
 */
export interface MatrixCase {
  key: string;
  doc: InvoiceDocument;
  ubl?: readonly UblFormat[];
}

function manyLines(count: number, make: (i: number) => FixtureLine): FixtureLine[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

/** Every case of the matrix, in a stable order. */
export function matrixCases(): MatrixCase[] {
  return [
    {
      key: 'domestic-21',
      doc: buildFixture({
        lines: [
          { ...line('Ontwerp huisstijl', '12.5', '85'), unitCode: 'HUR' },
          line('Drukwerk visitekaartjes', '500', '0.12'),
        ],
        notes: ['Bedankt voor uw opdracht.', 'Vragen? Bel ons.'],
      }),
    },
    {
      key: 'domestic-9',
      doc: buildFixture({ lines: [line('Brood', '40', '2.35', '9'), line('Gebak', '3', '17.5', '9')] }),
    },
    {
      key: 'mixed-rates',
      doc: buildFixture({
        lines: [
          line('Advies', '3', '120'),
          line('Boeken', '2', '24.95', '9'),
          { ...line('Export-verpakking', '1', '10'), vatCategory: 'Z', vatRate: '0' },
        ],
      }),
    },
    {
      key: 'discounts-and-charges',
      doc: buildFixture({
        lines: [
          { ...line('Stoelen', '6', '149.99'), discount: { percent: '10' } },
          { ...line('Tafel', '1', '899'), discount: { amount: '50' }, charges: [{ amount: '25' }] },
          { ...line('Koffie', '12', '8.4', '9'), charges: [{ percent: '5' }] },
          { ...line('Schroeven', '250', '12.00'), priceBaseQuantity: '100' },
        ],
        allowances: [{ percent: '2.5', vatCategory: 'S', vatRate: '21', reason: 'Vaste-klantkorting' }],
        charges: [
          { amount: '45', vatCategory: 'S', vatRate: '21', reason: 'Bezorgkosten' },
          { amount: '5', vatCategory: 'S', vatRate: '9', reason: 'Statiegeld' },
        ],
        orderReference: 'ORD-2026-17',
      }),
    },
    {
      key: 'reverse-charge',
      doc: buildFixture({
        buyer: BUYERS.belgianBusiness,
        language: 'en',
        lines: [{ ...line('Consultancy', '16', '95'), unitCode: 'HUR', vatCategory: 'AE', vatRate: '0' }],
      }),
    },
    {
      key: 'intra-community-goods',
      doc: buildFixture({
        buyer: BUYERS.germanBusiness,
        language: 'en',
        supplyDate: '2026-02-27',
        lines: [
          { ...line('Design lamp', '20', '64.5'), vatCategory: 'K', vatRate: '0' },
          { ...line('Lamp shade', '20', '12'), vatCategory: 'K', vatRate: '0' },
        ],
        charges: [{ amount: '35', vatCategory: 'K', vatRate: '0', reason: 'Shipping' }],
      }),
    },
    {
      key: 'export',
      doc: buildFixture({
        buyer: BUYERS.swissBusiness,
        language: 'en',
        supplyDate: '2026-02-20',
        lines: [{ ...line('Watch straps', '100', '18.75'), vatCategory: 'G', vatRate: '0' }],
      }),
    },
    {
      key: 'exempt-with-reason',
      doc: buildFixture({
        exemptionReason: 'Vrijgesteld van btw op grond van art. 11 lid 1 onderdeel g Wet OB',
        exemptionReasonCode: 'VATEX-EU-132-1C',
        lines: [{ ...line('Fysiotherapie', '4', '55'), unitCode: 'HUR', vatCategory: 'E', vatRate: '0' }],
      }),
    },
    {
      key: 'kor',
      doc: buildFixture({
        isKor: true,
        seller: { ...SELLER, name: 'Fotografie Bakker', tradingName: null, kvkNumber: '24681357' },
        lines: [{ ...line('Fotoshoot', '1', '350'), vatCategory: 'E', vatRate: '0' }],
      }),
    },
    {
      key: 'credit-note',
      doc: buildFixture({
        kind: 'credit_note',
        number: '2026-C0003',
        creditedInvoice: { number: '2026-0001', issueDate: '2026-02-01' },
        lines: [line('Ontwerp huisstijl (teruggenomen uren)', '2', '85'), line('Boeken', '1', '24.95', '9')],
        notes: ['Creditnota voor factuur 2026-0001'],
      }),
    },
    {
      key: 'foreign-currency',
      doc: buildFixture({
        currency: 'USD',
        exchangeRate: '0.9215',
        language: 'en',
        lines: [line('Software licence', '3', '1200'), line('Support', '10', '99.95')],
      }),
    },
    {
      key: 'rounding-edges',
      doc: buildFixture({
        lines: [
          ...manyLines(120, (i) => line(`Sticker ${i + 1}`, '1', '0.005', i % 2 === 0 ? '21' : '9')),
          line('Halve cent, drie keer', '3', '0.005'),
          line('Bijna een halve cent', '1', '0.0049'),
          { ...line('Korting op een cent', '1', '0.01'), discount: { percent: '50' } },
        ],
        allowances: [{ percent: '33.3333', vatCategory: 'S', vatRate: '21', reason: 'Afronding test' }],
        roundingAmount: '0.01',
      }),
    },
    {
      // A Dutch consumer: NLCIUS wants a Dutch buyer's KvK or OIN (BR-NL-10, fatal; it fires on the
      // PartyLegalEntity that carries the buyer's name, BT-44), Peppol a buyer address (R010).
      key: 'consumer',
      ubl: [],
      doc: buildFixture({
        buyer: BUYERS.dutchConsumer,
        buyerReference: null,
        lines: [line('Portretschilderij', '1', '450'), line('Lijst', '1', '45.5')],
        prepaidAmount: '100',
      }),
    },
    {
      key: 'consumer-abroad',
      ubl: ['nlcius'],
      doc: buildFixture({
        buyer: BUYERS.belgianConsumer,
        buyerReference: null,
        lines: [line('Fotoshoot', '1', '350')],
      }),
    },
    {
      key: 'consumer-on-peppol',
      ubl: ['peppol'],
      doc: buildFixture({
        buyer: BUYERS.dutchConsumerOnPeppol,
        buyerReference: null,
        lines: [line('Tuinontwerp', '6', '75', '21'), line('Zaden', '3', '4.95', '9')],
      }),
    },
    {
      key: 'three-hundred-lines',
      doc: buildFixture({
        lines: manyLines(300, (i) => ({
          ...line(
            `Artikel ${String(i + 1).padStart(3, '0')}`,
            String((i % 7) + 1),
            `${(i % 50) + 1}.${i % 100}`,
          ),
          description: i % 10 === 0 ? `Omschrijving van artikel ${i + 1}, met details` : undefined,
          vatRate: i % 3 === 0 ? '9' : '21',
          ...(i % 11 === 0 ? { discount: { percent: '5' } } : {}),
        })),
      }),
    },
    {
      key: 'escaping-and-period',
      doc: buildFixture({
        seller: { ...SELLER, name: 'Kluis & Co <"Ontwerp"> B.V.', tradingName: "De 'Kluis' & Zn" },
        buyer: { ...BUYERS.dutchBusiness, name: 'Ça va & Ünïcödé — 日本 🎉 B.V.' },
        buyerReference: null,
        orderReference: 'PO <42> & "more"',
        period: { start: '2026-02-01', end: '2026-02-28' },
        lines: [{ ...line('Abonnement <premium> & "support"', '1', '49'), description: 'a < b && c > d' }],
        notes: ['Regel 1 & 2\nRegel 3 <drie>'],
      }),
    },
    {
      key: 'business-without-vat-number',
      doc: buildFixture({
        buyer: {
          ...BUYERS.dutchBusiness,
          name: 'Stichting Buurthuis',
          vatNumber: null,
          kvkNumber: '41234567',
        },
        lines: [line('Zaalhuur', '4', '62.5'), line('Koffie en thee', '40', '1.8', '9')],
      }),
    },
    {
      key: 'outside-scope',
      doc: buildFixture({
        lines: [{ ...line('Doorbelaste leges', '1', '75.6'), vatCategory: 'O', vatRate: '0' }],
      }),
    },
    {
      key: 'yen',
      doc: buildFixture({
        currency: 'JPY',
        exchangeRate: '0.0061',
        language: 'en',
        buyer: BUYERS.dutchBusiness,
        lines: [line('Ceramics', '7', '4500'), line('Tea', '3', '1250', '9')],
      }),
    },
  ];
}
