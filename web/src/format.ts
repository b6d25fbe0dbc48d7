/**
 * Amounts and dates in Dutch notation (€ 1.234,56 and 20-11-2026), whatever the interface language:
 * these are the notations on the invoices themselves. Amounts arrive as exact decimal strings and
 * are formatted as strings, never through a float.
 */

const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormat = new Intl.DateTimeFormat('nl-NL', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `"1234.5"`, EUR → `€ 1.234,50`. */
export function formatMoney(amount: string, currency = 'EUR'): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('nl-NL', { style: 'currency', currency });
    moneyFormats.set(currency, f);
  }
  return f.format(amount as Intl.StringNumericLiteral);
}

/** `"2026-11-20"` → `20-11-2026`; empty for null. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

/** Today as an ISO date in the person's own time zone. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Adds days to an ISO date. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** What a person typed as a number, Dutch or English style (`1.234,5`, `1234.5`), as a decimal string. */
export function parseTypedNumber(text: string): string {
  const t = text.trim().replace(/\s|€/g, '');
  if (t.includes(',')) return t.replace(/\./g, '').replace(',', '.');
  return t;
}

/** A decimal string shown the Dutch way for editing (`2.5` → `2,5`). */
export function toTypedNumber(decimal: string): string {
  return decimal.replace('.', ',');
}
