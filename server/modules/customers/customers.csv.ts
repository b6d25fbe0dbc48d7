/**
 * Customers as CSV (Invoicing core point 4): the columns, their Dutch and English header names,
 * turning a CSV row into the API's create body, and a customer into an export row.
 *
 * Headers are matched ignoring case, spaces, dashes, dots and underscores, so `E-mail`, `email`
 * and `E_MAIL` are one column. The delimiter is a comma or a semicolon (Dutch spreadsheets),
 * whichever the header line uses. Export cells that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return) are prefixed with a quote; import strips that prefix
 * again, so an export imports back to the same values.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../domain/errors.ts';
import type { Customer, CustomerInput } from './customers.service.ts';
import { customerFields } from './customers.service.ts';

/** One column: its API field, and the header names it is recognised by (the first is exported). */
interface Column {
  field: keyof CsvRow;
  /** Where a problem with it is reported, in the API's terms (e.g. `address.postalCode`). */
  path: string;
  headers: readonly string[];
}

/** A customer as a flat row of text cells. */
export interface CsvRow {
  kind: string;
  name: string;
  contactPerson: string;
  email: string;
  otherEmails: string;
  phone: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  iban: string;
  bic: string;
  accountHolder: string;
  vatNumber: string;
  kvkNumber: string;
  salutation: string;
  language: string;
  paymentTermDays: string;
  defaultVatCategory: string;
  peppolId: string;
  reference: string;
  notes: string;
}

const col = (field: keyof CsvRow, headers: string[], path: string = field): Column => ({
  field,
  path,
  headers: [field, ...headers],
});

/** Every importable column with its names: English (the API's field) first, then Dutch and common aliases. */
export const COLUMNS: readonly Column[] = [
  col('kind', ['soort', 'type']),
  col('name', ['naam', 'bedrijfsnaam', 'companyname']),
  col('contactPerson', ['contactpersoon', 'contact']),
  col('email', ['e-mail', 'emailadres', 'e-mailadres', 'factuur-e-mail', 'invoiceemail']),
  col('otherEmails', ['andere e-mails', 'extra e-mails']),
  col('phone', ['telefoon', 'telefoonnummer', 'tel']),
  col('street', ['straat', 'adres', 'address'], 'address.street'),
  col('postalCode', ['postcode', 'zip'], 'address.postalCode'),
  col('city', ['plaats', 'woonplaats', 'stad'], 'address.city'),
  col('country', ['land', 'landcode'], 'address.country'),
  col('iban', ['rekeningnummer', 'bankrekening']),
  col('bic', ['swift']),
  col('accountHolder', ['rekeninghouder', 'tenaamstelling']),
  col('vatNumber', ['btw-nummer', 'btw-id', 'btw', 'vat', 'vatid', 'omzetbelastingnummer']),
  col('kvkNumber', ['kvk', 'kvk-nummer', 'kvknr', 'cocnumber']),
  col('salutation', ['aanhef']),
  col('language', ['taal']),
  col('paymentTermDays', ['betaaltermijn', 'betalingstermijn', 'paymentterm']),
  col('defaultVatCategory', ['btw-categorie', 'vatcategory']),
  col('peppolId', ['peppol', 'peppol-id']),
  col('reference', ['referentie', 'kenmerk']),
  col('notes', ['notities', 'opmerkingen', 'notitie']),
];

/** Columns an export has that an import ignores, so an export can be imported as it is. */
const EXPORT_ONLY = ['id', 'createdAt', 'updatedAt'] as const;

/** The export's header line, in order. */
export const EXPORT_HEADER: readonly string[] = [
  'id',
  ...COLUMNS.map((c) => c.field),
  'createdAt',
  'updatedAt',
];

const squash = (header: string) =>
  header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_.]/g, '');
const BY_HEADER = new Map<string, Column>(COLUMNS.flatMap((c) => c.headers.map((h) => [squash(h), c])));
const IGNORED = new Set(EXPORT_ONLY.map(squash));

/** A problem with one cell or the header, as the import reports it. */
export interface RowIssue {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** The API field (e.g. `iban`, `address.postalCode`), or the header as written for header problems. */
  field: string;
  code: string;
  message: string;
}

/** A parsed file: each data row with its row number, or the header's problems. */
export interface ParsedCsv {
  rows: { row: number; cells: Partial<CsvRow> }[];
  headerIssues: RowIssue[];
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Makes a cell safe for spreadsheets: one that would start a formula gets a leading quote. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes neutraliseCell on import. */
function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** Parses CSV text: the header line names the columns; `maxRows` bounds the data rows. */
export function parseCustomersCsv(text: string, maxRows: number): ParsedCsv {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      // One record beyond the limit is enough to know the file is too large.
      to: maxRows + 2,
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new AppError('invalid', 'csv_malformed', 'The file is not valid CSV', [
      { path: line ? `line.${line}` : 'body', code: 'csv_malformed', message: 'Check the quotes' },
    ]);
  }
  if (records.length > maxRows + 1) {
    throw new AppError('too_large', 'import_too_many_rows', `At most ${maxRows} rows per import`);
  }
  const [header, ...data] = records;
  if (!header || header.every((h) => h.trim() === '')) {
    throw new AppError('invalid', 'csv_empty', 'The file has no header line');
  }
  const headerIssues: RowIssue[] = [];
  const columns: (Column | undefined)[] = header.map((raw) => {
    const key = squash(raw);
    const column = BY_HEADER.get(key);
    if (!column && !IGNORED.has(key) && key !== '') {
      headerIssues.push({ row: 1, field: raw, code: 'unknown_column', message: 'Not a known column' });
    }
    return column;
  });
  const seen = new Set<string>();
  for (const [i, c] of columns.entries()) {
    if (!c) continue;
    if (seen.has(c.field)) {
      headerIssues.push({
        row: 1,
        field: header[i] ?? c.field,
        code: 'duplicate_column',
        message: `Another column is already ${c.field}`,
      });
    }
    seen.add(c.field);
  }
  if (!seen.has('name')) {
    headerIssues.push({
      row: 1,
      field: 'name',
      code: 'column_missing',
      message: 'A name (naam) column is needed',
    });
  }
  const rows: ParsedCsv['rows'] = [];
  for (const [i, record] of data.entries()) {
    if (record.every((cell) => cell.trim() === '')) continue; // an empty line, as spreadsheets leave them
    const cells: Partial<CsvRow> = {};
    for (const [j, c] of columns.entries()) {
      const value = record[j];
      if (c && value !== undefined) cells[c.field] = restoreCell(value);
    }
    rows.push({ row: i + 2, cells });
  }
  return { rows, headerIssues };
}

const KINDS: Record<string, 'person' | 'company'> = {
  person: 'person',
  persoon: 'person',
  particulier: 'person',
  prive: 'person',
  privé: 'person',
  company: 'company',
  bedrijf: 'company',
  zakelijk: 'company',
  organisatie: 'company',
  organisation: 'company',
  organization: 'company',
};
const LANGUAGES: Record<string, 'nl' | 'en'> = {
  nl: 'nl',
  nederlands: 'nl',
  dutch: 'nl',
  en: 'en',
  engels: 'en',
  english: 'en',
};

/**
 * The API's create body for one row. Empty cells are left out; known words for kind and
 * language (Dutch or English) become the API's values, anything else is passed on as written so
 * that the API's own validation reports it. A missing kind means a company.
 */
export function rowToInput(cells: Partial<CsvRow>): Record<string, unknown> {
  const v = (field: keyof CsvRow) => {
    const value = cells[field]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const out: Record<string, unknown> = {};
  const kind = v('kind');
  out.kind = kind === undefined ? 'company' : (KINDS[kind.toLowerCase()] ?? kind);
  out.name = v('name') ?? '';
  for (const f of [
    'contactPerson',
    'email',
    'phone',
    'iban',
    'bic',
    'accountHolder',
    'vatNumber',
    'kvkNumber',
    'salutation',
    'defaultVatCategory',
    'peppolId',
    'reference',
    'notes',
  ] as const) {
    const value = v(f);
    if (value !== undefined) out[f] = f === 'defaultVatCategory' ? value.toUpperCase() : value;
  }
  const others = v('otherEmails');
  if (others !== undefined) out.otherEmails = others.split(/[\s,;]+/).filter(Boolean);
  const address: Record<string, string> = {};
  for (const f of ['street', 'postalCode', 'city', 'country'] as const) {
    const value = v(f);
    if (value !== undefined) address[f] = f === 'country' ? value.toUpperCase() : value;
  }
  if (Object.keys(address).length > 0) out.address = address;
  const language = v('language');
  if (language !== undefined) out.language = LANGUAGES[language.toLowerCase()] ?? language;
  const term = v('paymentTermDays');
  if (term !== undefined) out.paymentTermDays = /^\d{1,4}$/.test(term) ? Number(term) : term;
  return out;
}

/** Where a problem with an API path is reported: the column's field path as the API names it. */
export function pathOfColumn(field: keyof CsvRow): string {
  return COLUMNS.find((c) => c.field === field)?.path ?? field;
}

/** One customer as an export row, every cell made safe for spreadsheets. */
export function customerToRow(c: Customer): string[] {
  const f: CustomerInput & { otherEmails: string[] } = customerFields(c);
  const cells: Record<string, string | number | null | undefined> = {
    id: c.id,
    kind: f.kind,
    name: f.name,
    contactPerson: f.contactPerson,
    email: f.email,
    otherEmails: f.otherEmails.join(' '),
    phone: f.phone,
    street: f.address?.street,
    postalCode: f.address?.postalCode,
    city: f.address?.city,
    country: f.address?.country,
    iban: f.iban,
    bic: f.bic,
    accountHolder: f.accountHolder,
    vatNumber: f.vatNumber,
    kvkNumber: f.kvkNumber,
    salutation: f.salutation,
    language: f.language,
    paymentTermDays: f.paymentTermDays,
    defaultVatCategory: f.defaultVatCategory,
    peppolId: f.peppolId,
    reference: f.reference,
    notes: f.notes,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
  return EXPORT_HEADER.map((h) => neutraliseCell(String(cells[h] ?? '')));
}
