/**
 * The demo business's data: the seller, about 25 customers (Dutch, EU and non-EU, persons and
 * companies) whose IBANs, VAT and KvK numbers pass the real checks, a few products, and the plan of
 * about 60 invoices covering every VAT case. Fictitious names and addresses; the check digits are
 * computed here rather than copied from real registrations, so no real business is named.
 */
import { mod97, passesElevenCheck } from '../../../domain/identifiers.ts';
import type { CustomerInput } from '../customers/customers.service.ts';
import type { SettingsInput } from '../invoices/index.ts';

/** A small deterministic generator, so every demo looks the same. */
function digitsFrom(seed: number, count: number): string {
  let x = seed * 2654435761;
  let out = '';
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += String(Math.floor((x / 2147483648) * 10));
  }
  return out;
}

/** An IBAN with correct check digits for a country and its BBAN. */
export function ibanOf(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** A Dutch btw-id of the pre-2020 kind: nine digits passing the 11-check, then B01. */
export function dutchVatNumber(seed: number): string {
  for (let s = seed; ; s += 7919) {
    const nine = digitsFrom(s, 8);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(nine[i]) * (9 - i);
    const last = sum % 11;
    if (last <= 9 && passesElevenCheck(`${nine}${last}`)) return `NL${nine}${last}B01`;
  }
}

/** A Belgian enterprise number as VAT number: 0 + seven digits, then 97 − (those eight mod 97). */
function belgianVatNumber(seed: number): string {
  const eight = `01${digitsFrom(seed, 6)}`;
  return `BE${eight}${String(97 - (Number(eight) % 97)).padStart(2, '0')}`;
}

/** A French VAT number: key (12 + 3 × (SIREN mod 97)) mod 97, then the SIREN. */
function frenchVatNumber(seed: number): string {
  const siren = `4${digitsFrom(seed, 8)}`;
  return `FR${String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0')}${siren}`;
}

/** A German USt-IdNr.: eight digits and the ISO 7064 MOD 11,10 check digit. */
function germanVatNumber(seed: number): string {
  const eight = `2${digitsFrom(seed, 7)}`;
  let product = 10;
  for (const d of eight) {
    let sum = (Number(d) + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return `DE${eight}${(11 - product) % 10}`;
}

const NL_BANKS = ['ABNA', 'INGB', 'RABO', 'TRIO', 'BUNQ', 'KNAB', 'SNSB', 'ASNB'];
const nlIban = (seed: number) => ibanOf('NL', `${NL_BANKS[seed % NL_BANKS.length]}${digitsFrom(seed, 10)}`);
const kvk = (seed: number) => `${(seed % 8) + 1}${digitsFrom(seed + 3, 7)}`;

/** The demo business's name; an existing business of this name means the demo was made. */
export const DEMO_BUSINESS_NAME = 'Kluis Demo B.V.';
/** The demo owner's sign-in address. */
export const DEMO_OWNER_EMAIL = 'eigenaar@demo.kluis.example';

/** The demo seller. */
export const DEMO_SELLER: SettingsInput = {
  name: DEMO_BUSINESS_NAME,
  address: { street: 'Prinsengracht 263', postalCode: '1016 GV', city: 'Amsterdam', country: 'NL' },
  vatNumber: dutchVatNumber(1),
  kvkNumber: kvk(1),
  iban: nlIban(1),
  email: 'facturen@demo.kluis.example',
};

type Place = [street: string, postalCode: string, city: string];
const NL_PLACES: Place[] = [
  ['Dorpsstraat 1', '1234 AB', 'Amsterdam'],
  ['Oudegracht 112', '3511 AX', 'Utrecht'],
  ['Grote Markt 7', '9711 LV', 'Groningen'],
  ['Coolsingel 40', '3011 AD', 'Rotterdam'],
  ['Stratumseind 21', '5611 ET', 'Eindhoven'],
  ['Vrijthof 3', '6211 LC', 'Maastricht'],
  ['Lange Voorhout 9', '2514 EA', 'Den Haag'],
  ['Breestraat 60', '2311 CS', 'Leiden'],
  ['Brink 15', '7411 BR', 'Deventer'],
  ['Markt 22', '6811 CH', 'Arnhem'],
  ['Zuidwal 5', '8261 AA', 'Kampen'],
  ['Haven 18', '1131 EP', 'Volendam'],
];
const NL_COMPANIES = [
  'Bakkerij De Korf B.V.',
  'Hoveniersbedrijf Groen & Zn.',
  'Van Dijk Installatietechniek B.V.',
  'Studio Noord Ontwerp',
  'Koffiebranderij De Molen B.V.',
  'Fietsenmakerij Trapper',
  'Advocatenkantoor Visser',
  'Bouwbedrijf Jansen B.V.',
  'Drukkerij Letterzet B.V.',
  'Tandartspraktijk Smit',
  'Rederij Waddenzee B.V.',
  'Opleidingscentrum Leerkracht',
];
const NL_PERSONS = [
  'J. de Boer',
  'Fatima El Amrani',
  'Pieter Bakker',
  'Sanne Mulder',
  'Kees de Wit',
  'Lotte Hendriks',
];

/** What each customer is for in the invoice plan. */
export type CustomerRole = 'nl_company' | 'nl_person' | 'eu_company' | 'eu_person' | 'non_eu' | 'us';

/** The demo customers with the role each plays in the invoice plan. */
export function demoCustomers(): { role: CustomerRole; input: CustomerInput }[] {
  const list: { role: CustomerRole; input: CustomerInput }[] = [];
  NL_COMPANIES.forEach((name, i) => {
    const [street, postalCode, city] = NL_PLACES[i % NL_PLACES.length] as Place;
    const slug = name
      .toLowerCase()
      .replace(/[^a-z]+/g, '')
      .slice(0, 16);
    list.push({
      role: 'nl_company',
      input: {
        kind: 'company',
        name,
        contactPerson: NL_PERSONS[i % NL_PERSONS.length] ?? null,
        email: `administratie@${slug}.example`,
        address: { street, postalCode, city, country: 'NL' },
        iban: nlIban(100 + i),
        vatNumber: dutchVatNumber(100 + i),
        kvkNumber: kvk(100 + i),
        paymentTermDays: i % 3 === 0 ? 14 : 30,
      },
    });
  });
  NL_PERSONS.forEach((name, i) => {
    const [street, postalCode, city] = NL_PLACES[(i + 5) % NL_PLACES.length] as Place;
    list.push({
      role: 'nl_person',
      input: {
        kind: 'person',
        name,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@mail.example`,
        address: { street, postalCode, city, country: 'NL' },
        ...(i % 2 === 0 ? { iban: nlIban(200 + i) } : {}),
      },
    });
  });
  const eu: [string, string, Place, string, string][] = [
    ['Müller Maschinenbau GmbH', 'DE', ['Hauptstraße 5', '50667', 'Köln'], germanVatNumber(300), 'de'],
    ['Schmidt Logistik GmbH', 'DE', ['Hafenstraße 12', '20457', 'Hamburg'], germanVatNumber(301), 'de'],
    ['Brasserie Lambiek BV', 'BE', ['Grote Markt 1', '1000', 'Brussel'], belgianVatNumber(302), 'be'],
    ['Atelier Lumière SARL', 'FR', ['Rue de Rivoli 10', '75001', 'Paris'], frenchVatNumber(303), 'fr'],
  ];
  eu.forEach(([name, country, [street, postalCode, city], vatNumber, tld], i) => {
    const bban =
      country === 'DE'
        ? `3704${digitsFrom(310 + i, 14)}`.slice(0, 18)
        : country === 'BE'
          ? (() => {
              const ten = `3${digitsFrom(310 + i, 9)}`;
              return `${ten}${String(Number(BigInt(ten) % 97n) || 97).padStart(2, '0')}`;
            })()
          : `30004${digitsFrom(310 + i, 18)}`;
    list.push({
      role: 'eu_company',
      input: {
        kind: 'company',
        name,
        email: `buchhaltung@${name
          .toLowerCase()
          .replace(/[^a-z]+/g, '')
          .slice(0, 12)}.${tld}`,
        address: { street, postalCode, city, country },
        iban: ibanOf(country, bban),
        vatNumber,
        language: 'en',
      },
    });
  });
  list.push({
    role: 'eu_person',
    input: {
      kind: 'person',
      name: 'An Peeters',
      email: 'an.peeters@mail.example',
      address: { street: 'Meir 50', postalCode: '2000', city: 'Antwerpen', country: 'BE' },
      language: 'en',
    },
  });
  list.push(
    {
      role: 'non_eu',
      input: {
        kind: 'company',
        name: 'Thames Digital Ltd',
        email: 'accounts@thamesdigital.example',
        address: { street: '10 Fleet Street', postalCode: 'EC4Y 1AA', city: 'London', country: 'GB' },
        language: 'en',
      },
    },
    {
      role: 'non_eu',
      input: {
        kind: 'company',
        name: 'Alpenblick AG',
        email: 'finanzen@alpenblick.example',
        address: { street: 'Bahnhofstrasse 1', postalCode: '8001', city: 'Zürich', country: 'CH' },
        language: 'en',
      },
    },
    {
      role: 'us',
      input: {
        kind: 'company',
        name: 'Hudson Coffee Importers Inc.',
        email: 'ap@hudsoncoffee.example',
        address: { street: '200 Water Street', postalCode: '10038', city: 'New York', country: 'US' },
        language: 'en',
      },
    },
  );
  return list;
}

/** The demo catalogue. */
export const DEMO_PRODUCTS = [
  {
    name: 'Advies',
    description: 'Advies per uur',
    unit: 'HUR',
    unitPrice: '95.00',
    vatCategory: 'S',
    vatRate: '21',
  },
  {
    name: 'Ontwerp',
    description: 'Grafisch ontwerp per uur',
    unit: 'HUR',
    unitPrice: '82.50',
    vatCategory: 'S',
    vatRate: '21',
  },
  {
    name: 'Webhosting',
    description: 'Hosting per maand',
    unit: 'MON',
    unitPrice: '24.95',
    vatCategory: 'S',
    vatRate: '21',
  },
  {
    name: 'Broodjes',
    description: 'Belegde broodjes',
    unit: 'C62',
    unitPrice: '2.50',
    vatCategory: 'S',
    vatRate: '9',
  },
  {
    name: 'Koffiebonen 1 kg',
    description: 'Biologische arabica',
    unit: 'KGM',
    unitPrice: '18.7500',
    vatCategory: 'S',
    vatRate: '9',
  },
  {
    name: 'Cursusdag',
    description: 'Beroepsopleiding (vrijgesteld)',
    unit: 'DAY',
    unitPrice: '450.00',
    vatCategory: 'E',
    vatRate: '0',
  },
  {
    name: 'Espressomachine',
    description: 'Professionele espressomachine',
    unit: 'C62',
    unitPrice: '1249.00',
    vatCategory: 'S',
    vatRate: '21',
  },
];
