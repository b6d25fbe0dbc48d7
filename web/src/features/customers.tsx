/** Customers: the list with search, and a customer's page with their invoices. */
import { useState } from 'react';
import { api } from '../api.ts';
import { listCustomers, listInvoices } from '../data.ts';
import { formatDate, formatMoney } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import type { Customer } from '../types.ts';
import { Empty, ErrorNote, Loading, StatusBadge, useLoad } from '../ui.tsx';
import { isOverdue } from './dashboard.tsx';

/** True when a customer matches what was typed in the search box. */
export function matchesSearch(c: Customer, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [c.name, c.email, c.address.city, c.kvkNumber, c.vatNumber, c.contactPerson]
    .filter((v): v is string => Boolean(v))
    .some((v) => v.toLowerCase().includes(q));
}

/** The customers list. */
export function CustomersList() {
  const t = useT();
  useTitle(t('nav.customers'));
  const [query, setQuery] = useState('');
  const { data, error, loading, reload } = useLoad(listCustomers, []);
  const shown = (data ?? []).filter((c) => matchesSearch(c, query));
  return (
    <>
      <div className="section-head">
        <h1>{t('customers.title')}</h1>
        <div className="actions">
          <Link to="/customers/import" className="button secondary">
            {t('csvImport.open')}
          </Link>
          <Link to="/customers/new" className="button">
            {t('customers.new')}
          </Link>
        </div>
      </div>
      <search className="search">
        <label htmlFor="customer-search" className="search-label">
          {t('customers.search')}
        </label>
        <input
          id="customer-search"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('customers.searchHint')}
        />
      </search>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.length === 0 ? (
        <Empty>
          <p>{t('customers.empty')}</p>
        </Empty>
      ) : null}
      {data && data.length > 0 && shown.length === 0 ? (
        <Empty>
          <p>{t('customers.noMatch')}</p>
        </Empty>
      ) : null}
      {shown.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('customers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('customer.name')}</th>
                <th scope="col">{t('customer.email')}</th>
                <th scope="col">{t('customer.city')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/customers/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.email ?? ''}</td>
                  <td>{c.address.city ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** One customer: details and their invoices. */
export function CustomerPage(props: { id: string }) {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    async () => ({
      customer: await api<Customer>('GET', `/api/v1/customers/${encodeURIComponent(props.id)}`),
      invoices: await listInvoices({ customerId: props.id }),
    }),
    [props.id],
  );
  useTitle(data?.customer.name ?? t('nav.customers'));
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  const { customer: c, invoices } = data;
  const address = [c.address.street, [c.address.postalCode, c.address.city].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      <div className="section-head">
        <h1>{c.name}</h1>
        <div className="actions">
          <Link to={`/customers/${c.id}/edit`} className="button secondary">
            {t('action.edit')}
          </Link>
          <Link to={`/invoices/new?customer=${c.id}`} className="button">
            {t('invoices.new')}
          </Link>
        </div>
      </div>
      <dl className="details">
        {address ? (
          <>
            <dt>{t('customer.address')}</dt>
            <dd>{address}</dd>
          </>
        ) : null}
        {c.email ? (
          <>
            <dt>{t('customer.email')}</dt>
            <dd>{c.email}</dd>
          </>
        ) : null}
        {c.kvkNumber ? (
          <>
            <dt>{t('customer.kvk')}</dt>
            <dd>{c.kvkNumber}</dd>
          </>
        ) : null}
        {c.vatNumber ? (
          <>
            <dt>{t('customer.vat')}</dt>
            <dd>{c.vatNumber}</dd>
          </>
        ) : null}
        {c.iban ? (
          <>
            <dt>{t('customer.iban')}</dt>
            <dd>{c.iban}</dd>
          </>
        ) : null}
        <dt>{t('customer.paymentTerm')}</dt>
        <dd>{t('customer.days', { n: c.paymentTermDays })}</dd>
      </dl>
      <h2>{t('nav.invoices')}</h2>
      {invoices.length === 0 ? (
        <Empty>
          <p>{t('customer.noInvoices')}</p>
        </Empty>
      ) : (
        <ul className="recent">
          {invoices.map((i) => (
            <li key={i.id}>
              <Link to={`/invoices/${i.id}`}>{i.number ?? t('invoices.draft')}</Link>
              <span>{formatDate(i.issueDate)}</span>
              <span className="num">{formatMoney(i.totals.payable, i.currency)}</span>
              <StatusBadge status={i.status} overdue={isOverdue(i)} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
