/**
 * Products: the catalogue of the business's regular products and services. One screen with the list
 * and a form that creates a product or edits the chosen one; archiving takes a product out of the
 * catalogue (documents that used it keep their copied values).
 */
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { formatMoney, parseTypedNumber, today, toTypedNumber } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { useTitle } from '../router.tsx';
import type { Page } from '../types.ts';
import { Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { ArchivedProducts } from './archived-products.tsx';
import { vatLabel, vatOptions } from './lines.tsx';

/** A product as the API returns it. */
export interface Product {
  id: string;
  name: string;
  description: string | null;
  unit: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
  archived: boolean;
  version: number;
}

/** The active catalogue (up to 200 products: enough for a small business's picker). */
export const listProducts = async () => (await api<Page<Product>>('GET', '/api/v1/products?limit=200')).items;

const UNITS = ['C62', 'HUR', 'DAY', 'MON', 'KGM'] as const;

interface Form {
  id?: string;
  version?: number;
  name: string;
  description: string;
  unitPrice: string;
  unit: string;
  vat: string;
}

const blank = (): Form => ({ name: '', description: '', unitPrice: '', unit: 'C62', vat: 'S:21' });

/** The products screen. */
export function ProductsPage() {
  const t = useT();
  useTitle(t('products.title'));
  const { data, error, loading, reload } = useLoad(listProducts, []);
  const [form, setForm] = useState<Form>(blank);
  const [errors, setErrors] = useState<Partial<Record<'name' | 'unitPrice', string>>>({});
  const [failure, setFailure] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const options = vatOptions(today(), t);

  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const price = parseTypedNumber(form.unitPrice);
    const next: typeof errors = {};
    if (!form.name.trim()) next.name = t('invalid.required');
    if (!/^-?\d+(\.\d+)?$/.test(price)) next.unitPrice = t('invalid.amount');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const [vatCategory = 'S', vatRate = '0'] = form.vat.split(':');
    const body = {
      name: form.name.trim(),
      description: form.description.trim() || null,
      unit: form.unit,
      unitPrice: price,
      vatCategory,
      vatRate,
    };
    setBusy(true);
    setFailure(undefined);
    setNotice('');
    try {
      if (form.id) {
        await api('PATCH', `/api/v1/products/${encodeURIComponent(form.id)}`, {
          ...body,
          version: form.version,
        });
      } else {
        await api('POST', '/api/v1/products', body);
      }
      setForm(blank());
      setNotice(t('products.saved'));
      reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const archive = async (p: Product) => {
    setFailure(undefined);
    setNotice('');
    try {
      await api('DELETE', `/api/v1/products/${encodeURIComponent(p.id)}`);
      setNotice(t('products.archived'));
      if (form.id === p.id) setForm(blank());
      reload();
    } catch (err) {
      setFailure(err);
    }
  };

  const edit = (p: Product) => {
    setErrors({});
    setNotice('');
    setForm({
      id: p.id,
      version: p.version,
      name: p.name,
      description: p.description ?? '',
      unitPrice: toTypedNumber(p.unitPrice),
      unit: p.unit,
      vat: `${p.vatCategory}:${p.vatRate}`,
    });
  };

  return (
    <>
      <h1>{t('products.title')}</h1>
      <p>{t('products.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.length === 0 ? (
        <Empty>
          <p>{t('products.empty')}</p>
        </Empty>
      ) : null}
      {data && data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('products.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('product.name')}</th>
                <th scope="col">{t('product.unit')}</th>
                <th scope="col" className="num">
                  {t('product.unitPrice')}
                </th>
                <th scope="col">{t('product.vat')}</th>
                <th scope="col">
                  <span className="sr-only">{t('action.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{UNITS.includes(p.unit as never) ? t(`product.unit.${p.unit}` as Key) : p.unit}</td>
                  <td className="num">{formatMoney(p.unitPrice)}</td>
                  <td>{vatLabel(p.vatCategory, p.vatRate, t)}</td>
                  <td>
                    <div className="actions">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t('products.editNamed', { name: p.name })}
                        onClick={() => edit(p)}
                      >
                        {t('action.edit')}
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t('products.archiveNamed', { name: p.name })}
                        onClick={() => void archive(p)}
                      >
                        {t('products.archive')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      <form className="form panel" onSubmit={submit} noValidate aria-labelledby="product-form-title">
        <h2 id="product-form-title">{form.id ? t('products.editTitle') : t('products.new')}</h2>
        <Field
          label={t('product.name')}
          value={form.name}
          onChange={(v) => set({ name: v })}
          error={errors.name}
          required
        />
        <Field
          label={t('product.description')}
          value={form.description}
          onChange={(v) => set({ description: v })}
        />
        <div className="row">
          <Field
            label={t('product.unitPrice')}
            value={form.unitPrice}
            onChange={(v) => set({ unitPrice: v })}
            error={errors.unitPrice}
            inputMode="decimal"
            required
          />
          <Select
            label={t('product.unit')}
            value={form.unit}
            onChange={(v) => set({ unit: v })}
            options={UNITS.map((u) => ({ value: u, label: t(`product.unit.${u}` as Key) }))}
          />
          <Select
            label={t('product.vat')}
            value={form.vat}
            onChange={(v) => set({ vat: v })}
            options={
              options.some((o) => o.value === form.vat)
                ? options
                : [...options, { value: form.vat, label: form.vat }]
            }
          />
        </div>
        {failure ? <ErrorNote error={failure} /> : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('action.save')}
          </button>
          {form.id ? (
            <button type="button" className="secondary" onClick={() => setForm(blank())}>
              {t('action.cancel')}
            </button>
          ) : null}
        </div>
      </form>
      <ArchivedProducts refresh={data} />
    </>
  );
}
