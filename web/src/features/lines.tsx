/**
 * Invoice, quote and schedule lines as typed in a form: the VAT choices on a date, live totals from
 * domain/totals.ts (the server's own EN 16931 code), the lines editor, and the lines as the API takes them.
 */
import { formatMinor } from '../../../domain/currency.ts';
import { computeTotals, type InvoiceTotals } from '../../../domain/totals.ts';
import { vatRateOn } from '../../../domain/vat-rates.ts';
import { formatMoney, parseTypedNumber, today, toTypedNumber } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Field, Select } from '../ui.tsx';
import type { Product } from './products.tsx';

/** One line of the form; `vat` is `category:rate`, e.g. `S:21`. */
export interface LineForm {
  key: number;
  description: string;
  quantity: string;
  unitPrice: string;
  vat: string;
}
let nextKey = 1;
export const newLine = (vat = 'S:21', patch: Partial<LineForm> = {}): LineForm => ({
  key: nextKey++,
  description: '',
  quantity: '1',
  unitPrice: '',
  vat,
  ...patch,
});

/** The VAT choices on a date: the Dutch rates from domain/vat-rates.ts, then the zero-rate categories. */
export function vatOptions(date: string, t: (k: Key) => string) {
  const standard = vatRateOn('standard', date) ?? '21';
  const reduced = vatRateOn('reduced', date) ?? '9';
  return [
    { value: `S:${standard}`, label: `${standard} %` },
    { value: `S:${reduced}`, label: `${reduced} %` },
    { value: 'Z:0', label: '0 %' },
    { value: 'AE:0', label: t('vat.AE') },
    { value: 'K:0', label: t('vat.K') },
    { value: 'G:0', label: t('vat.G') },
    { value: 'E:0', label: t('vat.E') },
    { value: 'O:0', label: t('vat.O') },
  ];
}

/** A VAT choice in words: `21 %`, or the category's name for the zero-rate ones. */
export function vatLabel(category: string, rate: string, t: (k: Key) => string): string {
  return category === 'S' || category === 'Z' ? `${rate} %` : t(`vat.${category}` as Key);
}

/** `S:21` → its VAT category and rate. */
export const splitVat = (vat: string) => {
  const [vatCategory = 'S', vatRate = '0'] = vat.split(':');
  return { vatCategory, vatRate };
};

/** Totals of the lines as typed, or undefined while some line is not a number yet. */
export function liveTotals(lines: readonly LineForm[], currency = 'EUR'): InvoiceTotals | undefined {
  if (lines.length === 0) return undefined;
  try {
    return computeTotals({
      currency,
      lines: lines.map((l) => ({
        quantity: parseTypedNumber(l.quantity) || '0',
        unitPrice: parseTypedNumber(l.unitPrice) || '0',
        ...splitVat(l.vat),
      })),
    });
  } catch {
    return undefined;
  }
}

/**
 * The lines of an invoice, quote or schedule: typed, or picked from the products (when given); each
 * line's amount as typed. `newVat` is the VAT of an added line (a KOR business adds exempt lines).
 */
export function LinesEditor(props: {
  lines: LineForm[];
  setLines: (f: (ls: LineForm[]) => LineForm[]) => void;
  products: readonly Product[];
  date: string;
  newVat?: string;
}) {
  const t = useT();
  const { lines, setLines } = props;
  const options = vatOptions(props.date || today(), t);
  const totals = liveTotals(lines);
  const money = (minor: bigint) => formatMoney(formatMinor(minor, 'EUR'));
  const update = (key: number, patch: Partial<LineForm>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const addProduct = (id: string) => {
    const p = props.products.find((x) => x.id === id);
    if (!p) return;
    const line = newLine(`${p.vatCategory}:${p.vatRate}`, {
      description: p.description ? `${p.name} — ${p.description}` : p.name,
      unitPrice: toTypedNumber(p.unitPrice),
    });
    setLines((ls) => {
      const onlyBlank = ls.length === 1 && !ls[0]?.description && !ls[0]?.unitPrice;
      return onlyBlank ? [line] : [...ls, line];
    });
  };
  return (
    <fieldset className="lines">
      <legend>{t('invoice.lines')}</legend>
      {props.products.length > 0 ? (
        <Select
          label={t('quote.product')}
          value=""
          onChange={addProduct}
          options={[
            { value: '', label: t('quote.productNone') },
            ...props.products.map((p) => ({
              value: p.id,
              label: `${p.name} (${formatMoney(p.unitPrice)}, ${vatLabel(p.vatCategory, p.vatRate, t)})`,
            })),
          ]}
        />
      ) : null}
      {lines.map((l, index) => {
        const n = index + 1;
        const net = totals?.lines[index]?.netAmount;
        return (
          <div className="line" key={l.key}>
            <Field
              label={t('line.description', { n })}
              value={l.description}
              onChange={(v) => update(l.key, { description: v })}
            />
            <Field
              label={t('line.quantity', { n })}
              value={l.quantity}
              inputMode="decimal"
              onChange={(v) => update(l.key, { quantity: v })}
            />
            <Field
              label={t('line.unitPrice', { n })}
              value={l.unitPrice}
              inputMode="decimal"
              onChange={(v) => update(l.key, { unitPrice: v })}
            />
            <Select
              label={t('line.vat', { n })}
              value={l.vat}
              onChange={(v) => update(l.key, { vat: v })}
              options={
                options.some((o) => o.value === l.vat)
                  ? options
                  : [...options, { value: l.vat, label: l.vat }]
              }
            />
            <p className="line-net" aria-live="polite">
              <span className="label">{t('line.net')}</span>
              <span className="num">{net !== undefined ? money(net) : '—'}</span>
            </p>
            <button
              type="button"
              className="secondary small"
              onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
              disabled={lines.length === 1}
              aria-label={t('line.remove', { n })}
            >
              {t('action.remove')}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="secondary"
        onClick={() => setLines((ls) => [...ls, newLine(props.newVat)])}
      >
        {t('line.add')}
      </button>
    </fieldset>
  );
}

/** Lines as the API takes them. */
export function linesBody(lines: readonly LineForm[]) {
  return lines.map((l) => {
    const [vatCategory = 'S', vatRate = '0'] = l.vat.split(':');
    return {
      description: l.description,
      quantity: parseTypedNumber(l.quantity),
      unitPrice: parseTypedNumber(l.unitPrice),
      vatCategory,
      vatRate,
    };
  });
}

/** A line as the API returns it (a stored quote or schedule template) → a line of the form. */
export function lineFromApi(l: {
  description: string;
  quantity: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
}): LineForm {
  const rate = l.vatRate.includes('.') ? l.vatRate.replace(/\.?0+$/, '') : l.vatRate;
  return newLine(`${l.vatCategory}:${rate}`, {
    description: l.description,
    quantity: toTypedNumber(l.quantity),
    unitPrice: toTypedNumber(l.unitPrice),
  });
}
