/** The invoices list, filtered by status. */
import { listInvoiceSummaries } from '../data.ts';
import { formatDate, formatMoney } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, navigate, useLocation, useTitle } from '../router.tsx';
import { Empty, ErrorNote, Loading, Select, StatusBadge, useLoad } from '../ui.tsx';
import { isOverdue } from './dashboard.tsx';
import { InvoiceArchive } from './invoice-archive.tsx';

const STATUSES = ['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited'] as const;

/** The list screen; the status filter lives in the URL (`?status=issued`), so it survives a reload. */
export function InvoicesList() {
  const t = useT();
  useTitle(t('nav.invoices'));
  const { search } = useLocation();
  const status = new URLSearchParams(search).get('status') ?? '';
  const { data, error, loading, reload } = useLoad(
    async () => ({ invoices: await listInvoiceSummaries(status ? { status } : {}) }),
    [status],
  );
  return (
    <>
      <div className="section-head">
        <h1>{t('invoices.title')}</h1>
        <Link to="/invoices/new" className="button">
          {t('invoices.new')}
        </Link>
      </div>
      <div className="filters">
        <Select
          label={t('invoices.filterStatus')}
          value={status}
          onChange={(v) => navigate(v ? `/invoices?status=${v}` : '/invoices', true)}
          options={[
            { value: '', label: t('invoices.allStatuses') },
            ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as Key) })),
          ]}
        />
      </div>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.invoices.length === 0 ? (
        <Empty>
          <p>{status ? t('invoices.noneWithStatus') : t('invoices.empty')}</p>
        </Empty>
      ) : null}
      {data && data.invoices.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('invoices.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('invoice.number')}</th>
                <th scope="col">{t('invoice.customer')}</th>
                <th scope="col">{t('invoice.issueDate')}</th>
                <th scope="col">{t('invoice.dueDate')}</th>
                <th scope="col" className="num">
                  {t('invoice.amount')}
                </th>
                <th scope="col">{t('invoice.status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.invoices.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/invoices/${i.id}`}>
                      {i.number ?? t('invoices.draft')}
                      {i.kind === 'credit_note' ? ` (${t('invoice.creditNote').toLowerCase()})` : ''}
                    </Link>
                  </td>
                  <td>{i.customerName ?? ''}</td>
                  <td>{formatDate(i.issueDate)}</td>
                  <td>{formatDate(i.dueDate)}</td>
                  <td className="num">{formatMoney(i.totals.payable, i.currency)}</td>
                  <td>
                    <StatusBadge status={i.status} overdue={isOverdue(i)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <InvoiceArchive />
    </>
  );
}
