/**
 * Revenue per month for the last 12 months (net, credit notes subtracted) as a bar chart, and the
 * VAT of this quarter, summed exactly with domain/decimal from the invoice list. The chart is an
 * SVG with a text alternative: the same numbers as a table for screen readers.
 */
import { add, type Decimal, decimal, formatDecimal, sub } from '../../../domain/decimal.ts';
import { formatMoney, today } from '../format.ts';
import { useT } from '../i18n.tsx';
import type { Invoice } from '../types.ts';

const MONTHS = new Intl.DateTimeFormat('nl-NL', { month: 'short', timeZone: 'UTC' });
const MONTHS_LONG = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const counts = (i: Invoice) => i.status !== 'draft' && i.currency === 'EUR' && i.issueDate !== null;
const signed = (i: Invoice, amount: string): Decimal =>
  i.kind === 'credit_note' ? sub(decimal('0'), decimal(amount)) : decimal(amount);
const money = (d: Decimal) => formatDecimal(d, Math.max(2, d.scale));

/** The last 12 months (oldest first) as `YYYY-MM`, ending with the month of `on`. */
export function lastMonths(on = today(), n = 12): string[] {
  const [y = 0, m = 1] = on.split('-').map(Number);
  const out: string[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** Net revenue per month (`YYYY-MM` → decimal string) over the last 12 months. */
export function revenueByMonth(invoices: readonly Invoice[], on = today()): { month: string; net: string }[] {
  const months = lastMonths(on);
  const sums = new Map(months.map((m) => [m, decimal('0')]));
  for (const i of invoices) {
    if (!counts(i)) continue;
    const month = (i.issueDate ?? '').slice(0, 7);
    const sum = sums.get(month);
    if (sum) sums.set(month, add(sum, signed(i, i.totals.net)));
  }
  return months.map((month) => ({ month, net: money(sums.get(month) ?? decimal('0')) }));
}

/** The VAT of invoices and credit notes issued in the quarter of `on`. */
export function vatThisQuarter(invoices: readonly Invoice[], on = today()): string {
  const [y = '', m = '1'] = on.split('-');
  const q = Math.floor((Number(m) - 1) / 3);
  let vat = decimal('0');
  for (const i of invoices) {
    if (!counts(i)) continue;
    const [iy = '', im = '1'] = (i.issueDate ?? '').split('-');
    if (iy === y && Math.floor((Number(im) - 1) / 3) === q) vat = add(vat, signed(i, i.totals.vat));
  }
  return money(vat);
}

/** The chart of revenueByMonth. */
export function RevenueChart(props: { invoices: readonly Invoice[] }) {
  const t = useT();
  const data = revenueByMonth(props.invoices);
  const values = data.map((d) => Number(d.net));
  const max = Math.max(1, ...values.map(Math.abs));
  const W = 600;
  const H = 180;
  const base = H - 24;
  const bar = W / data.length;
  const label = (month: string) => MONTHS.format(new Date(`${month}-01T00:00:00Z`));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="revenue-title" preserveAspectRatio="none">
        <title id="revenue-title">{t('dashboard.revenueCaption')}</title>
        <line x1="0" x2={W} y1={base} y2={base} stroke="#7a8593" />
        {data.map((d, k) => {
          const v = Number(d.net);
          const h = Math.round((Math.abs(v) / max) * (base - 8));
          return (
            <g key={d.month}>
              <rect
                x={k * bar + bar * 0.15}
                y={v >= 0 ? base - h : base}
                width={bar * 0.7}
                height={Math.max(h, v === 0 ? 0 : 1)}
                fill={v >= 0 ? '#0b5a9c' : '#a3261b'}
              />
              <text x={k * bar + bar / 2} y={H - 6} textAnchor="middle" fontSize="12" fill="#1b1f24">
                {label(d.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="revenue-caption">{t('dashboard.revenueCaption')}</figcaption>
      <table className="sr-only">
        <caption>{t('dashboard.revenue')}</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.month}>
              <th scope="row">{MONTHS_LONG.format(new Date(`${d.month}-01T00:00:00Z`))}</th>
              <td>{formatMoney(d.net)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
