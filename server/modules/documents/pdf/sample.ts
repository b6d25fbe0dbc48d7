/**
 * Sample invoice documents for the PDF tests and the benchmark: a Dutch business invoicing in Dutch
 * or English, with variants for the special VAT cases, credit notes and long invoices. Totals and
 * legal texts come from the real domain functions, as at issue time.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { InvoiceDocument } from '../../../../domain/invoice-document.ts';
import { computeTotals } from '../../../../domain/totals.ts';
import { mandatoryTexts } from '../../../../domain/vat.ts';

/** Which sample to build. */
export interface SampleOptions {
  lang?: 'nl' | 'en';
  kind?: 'invoice' | 'credit_note';
  /** Number of lines; more than the first few get generated, some with long descriptions. */
  lines?: number;
  vat?: 'standard' | 'reverse_charge' | 'kor' | 'exempt' | 'intra_community';
  logo?: 'png' | 'none';
  currency?: string;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes 8-bit RGBA pixels as a PNG (filter 0 on every row), for test logos. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small logo: a teal disc with a white "K"-like mark on a transparent background. */
export function sampleLogo(): Buffer {
  const w = 240;
  const h = 80;
  const px = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const d = Math.hypot(x - 40, y - 40);
      const inDisc = d < 36;
      const mark =
        inDisc &&
        ((x > 28 && x < 36 && y > 20 && y < 60) ||
          (Math.abs(x - 36 - Math.abs(y - 40)) < 4 && x > 34 && x < 56));
      const bar = x > 88 && x < 230 && ((y > 26 && y < 36) || (y > 44 && y < 52 && x < 190));
      if (inDisc || bar) {
        const [r, g, b] = mark ? [255, 255, 255] : bar && y > 44 ? [120, 140, 150] : [16, 110, 120];
        px.set([r, g, b, inDisc ? Math.min(255, Math.round((36 - d) * 255)) : 255], i);
      }
    }
  }
  return encodePng(w, h, px);
}

const BASE_LINES = [
  {
    name: 'Ontwerp huisstijl',
    description: 'Logo, kleurenpalet en typografie, inclusief twee correctierondes',
    quantity: '24',
    unitCode: 'HUR',
    unitPrice: '95.00',
  },
  {
    name: 'Webhosting',
    description: 'Beheerde hosting in Amsterdam, januari t/m maart',
    quantity: '3',
    unitCode: 'MON',
    unitPrice: '29.50',
    discount: { percent: '10' },
  },
  {
    name: 'Drukwerk visitekaartjes',
    description: null,
    quantity: '500',
    unitCode: 'C62',
    unitPrice: '0.1250',
  },
  {
    name: 'Reiskosten',
    description: 'Bezoek op locatie, Utrecht – Groningen v.v.',
    quantity: '2',
    unitCode: 'DAY',
    unitPrice: '45.00',
  },
];

const LONG =
  'Werkzaamheden volgens offerte 2025-117: analyse van de bestaande processen, workshops met het team, ' +
  'uitwerking van het advies en een presentatie voor de directie, inclusief verwerking van de feedback.';

/** Builds a sample issued invoice document. */
export function sampleInvoice(o: SampleOptions = {}): InvoiceDocument {
  const lang = o.lang ?? 'nl';
  const vat = o.vat ?? 'standard';
  const count = o.lines ?? BASE_LINES.length;
  const [category, rate] =
    vat === 'reverse_charge'
      ? ['AE', '0']
      : vat === 'kor' || vat === 'exempt'
        ? ['E', '0']
        : vat === 'intra_community'
          ? ['K', '0']
          : ['S', '21'];
  const lines = Array.from({ length: count }, (_, i) => {
    const base = BASE_LINES[i % BASE_LINES.length] as (typeof BASE_LINES)[number];
    const isLong = i >= BASE_LINES.length && i % 7 === 3;
    return {
      id: String(i + 1),
      name: i < BASE_LINES.length ? base.name : `${base.name} (${i + 1})`,
      description: isLong ? LONG : base.description,
      quantity: base.quantity,
      unitCode: base.unitCode,
      unitPrice: base.unitPrice,
      discount: base.discount ?? null,
      vatCategory: category,
      vatRate: vat === 'standard' && i % BASE_LINES.length === 2 ? '9' : rate,
    };
  });
  const currency = o.currency ?? 'EUR';
  const totals = computeTotals({
    currency,
    lines: lines.map((l) => ({ ...l, discount: l.discount ?? undefined })),
    allowances: [{ amount: '25.00', vatCategory: category, vatRate: rate }],
  });
  const isKor = vat === 'kor';
  const buyerVat =
    vat === 'reverse_charge'
      ? 'NL004495445B01'
      : vat === 'intra_community'
        ? 'DE123456789'
        : 'NL859216930B01';
  const texts = mandatoryTexts(
    {
      seller: { country: 'NL', vatNumber: 'NL001234567B01', isKor },
      lines,
      allowances: [{ vatCategory: category, vatRate: rate }],
      ...(vat === 'exempt'
        ? {
            exemptionReason: 'Vrijgesteld van btw op grond van art. 11 lid 1 sub g Wet OB',
            exemptionReasonCode: 'VATEX-EU-132-1G',
          }
        : {}),
    },
    lang,
  );
  const isCredit = o.kind === 'credit_note';
  return {
    kind: o.kind ?? 'invoice',
    number: isCredit ? 'CN-2026-0003' : '2026-0042',
    issueDate: '2026-03-15',
    dueDate: isCredit ? null : '2026-04-14',
    supplyDate: vat === 'intra_community' ? '2026-03-10' : null,
    period: vat === 'intra_community' ? null : { start: '2026-01-01', end: '2026-03-31' },
    currency,
    vatInEur: null,
    buyerReference: 'PO-88231',
    orderReference: null,
    creditedInvoice: isCredit ? { number: '2026-0017', issueDate: '2026-02-02' } : null,
    paymentTerms:
      lang === 'nl'
        ? 'Betaling binnen 30 dagen na factuurdatum.'
        : 'Payment within 30 days of the invoice date.',
    notes: [],
    seller: {
      name: 'Studio Noordlicht B.V.',
      address: { street: 'Keizersgracht 123', postalCode: '1015 CJ', city: 'Amsterdam', country: 'NL' },
      vatNumber: isKor ? null : 'NL001234567B01',
      kvkNumber: '12345678',
      contact: { email: 'facturen@noordlicht.example', phone: '+31 20 123 4567' },
    },
    buyer: {
      name: vat === 'intra_community' ? 'Bergmann Werkzeuge GmbH' : 'Bakkerij De Gouden Korst',
      address:
        vat === 'intra_community'
          ? { street: 'Hauptstraße 5', postalCode: '10115', city: 'Berlin', country: 'DE' }
          : { street: 'Dorpsstraat 7', postalCode: '9711 AB', city: 'Groningen', country: 'NL' },
      vatNumber: buyerVat,
      kvkNumber: null,
      contact: { name: 'T.a.v. de administratie' },
    },
    payment: {
      iban: 'NL91ABNA0417164300',
      bic: 'ABNANL2A',
      accountName: 'Studio Noordlicht B.V.',
      reference: 'RF18539007547034',
    },
    lines,
    allowances: [
      {
        reason: lang === 'nl' ? 'Vaste-klantkorting' : 'Loyalty discount',
        vatCategory: category,
        vatRate: rate,
      },
    ],
    charges: [],
    totals,
    texts,
    isKor,
    language: lang,
    style: {
      accentColor: '#0F6E78',
      logo: o.logo === 'none' ? null : { data: sampleLogo(), mediaType: 'image/png' },
    },
    issuedAt: new Date('2026-03-15T09:30:00Z'),
  };
}
