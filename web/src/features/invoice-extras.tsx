/**
 * Pieces of an invoice's page: the CII (UN/CEFACT Cross Industry Invoice) download next to PDF and
 * UBL, and the payments recorded for it (GET /api/v1/invoices/{id}/payments) with date, amount,
 * method and reference as the server gives them.
 */
import { useId } from 'react';
import { api } from '../api.ts';
import { formatDate, formatMoney } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { ErrorNote, Loading, useLoad } from '../ui.tsx';

/** The CII download button; `get` is the page's download (which shows a failure in the page). */
export function CiiDownload(props: { invoiceId: string; get: (path: string, name: string) => void }) {
  const t = useT();
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => props.get(`/api/v1/invoices/${props.invoiceId}/cii`, 'factuur-cii.xml')}
    >
      {t('action.downloadCii')}
    </button>
  );
}

type Payment = {
  id: string;
  amount: string;
  currency: string;
  date: string;
  method: string | null;
  reference: string | null;
};

/**
 * The recorded payments; `version` changes when the invoice reloads (after a payment is recorded),
 * so the list follows.
 */
export function InvoicePayments(props: { invoiceId: string; version: string }) {
  const t = useT();
  const id = useId();
  const { data, error, loading, reload } = useLoad(
    () => api<{ items: Payment[] }>('GET', `/api/v1/invoices/${props.invoiceId}/payments`),
    [props.invoiceId, props.version],
  );
  const method = (m: string | null) => {
    if (!m) return '';
    const key = `payments.method.${m}` as Key;
    const text = t(key);
    return text === key ? m : text;
  };
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{t('payments.title')}</h2>
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>{t('payments.none')}</p> : null}
      {data && data.items.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('payments.date')}</th>
              <th scope="col" className="num">
                {t('payments.amount')}
              </th>
              <th scope="col">{t('payments.method')}</th>
              <th scope="col">{t('payments.reference')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((p) => (
              <tr key={p.id}>
                <td>{formatDate(p.date)}</td>
                <td className="num">{formatMoney(p.amount, p.currency)}</td>
                <td>{method(p.method)}</td>
                <td>{p.reference ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
