/**
 * The archived products under the catalogue (GET /api/v1/products?archived=true): archiving takes a
 * product out of the pickers but keeps it for the invoices that name it, and this shows which ones
 * were archived and when. Loaded only when the person asks for it.
 */
import { useId, useState } from 'react';
import { api } from '../api.ts';
import { formatDate, formatMoney } from '../format.ts';
import { useT } from '../i18n.tsx';
import type { Page } from '../types.ts';
import { Empty, ErrorNote, Loading, useLoad } from '../ui.tsx';

interface ArchivedProduct {
  id: string;
  name: string;
  unitPrice: string;
  archivedAt: string | null;
}

function ArchivedList(props: { refresh: unknown }) {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    async () => (await api<Page<ArchivedProduct>>('GET', '/api/v1/products?archived=true&limit=200')).items,
    [props.refresh],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  if (data.length === 0) {
    return (
      <Empty>
        <p>{t('archivedProducts.empty')}</p>
      </Empty>
    );
  }
  return (
    <div className="table-wrap">
      <table data-testid="archived-products">
        <caption className="sr-only">{t('archivedProducts.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('archivedProducts.name')}</th>
            <th scope="col" className="num">
              {t('archivedProducts.price')}
            </th>
            <th scope="col">{t('archivedProducts.since')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td className="num">{formatMoney(p.unitPrice)}</td>
              <td>{formatDate(p.archivedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A button that shows (and hides) the archived products; a change of `refresh` (the active list) loads them again. */
export function ArchivedProducts(props: { refresh?: unknown }) {
  const t = useT();
  const headingId = useId();
  const regionId = useId();
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('archivedProducts.title')}</h2>
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? t('archivedProducts.hide') : t('archivedProducts.show')}
      </button>
      <div id={regionId}>{open ? <ArchivedList refresh={props.refresh} /> : null}</div>
    </section>
  );
}
