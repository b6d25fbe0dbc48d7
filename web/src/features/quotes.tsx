/**
 * Quotes: the list, a new-quote form (lines typed or picked from the products, totals as typed from
 * domain/totals.ts), and a quote's page with its lifecycle: send (numbers it and freezes it), accept
 * (makes a draft invoice, opened at once) or decline, each after a confirmation. A draft is changed in
 * the same form (PATCH with the version it was loaded at: a change by someone else in between is
 * refused with 409 `quote_changed` and explained, never overwritten).
 */
import { type FormEvent, useState } from 'react';
import { formatMinor } from '../../../domain/currency.ts';
import { ApiError, api } from '../api.ts';
import { listCustomers } from '../data.ts';
import { addDays, formatDate, formatMoney, today, toTypedNumber } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, navigate, useTitle } from '../router.tsx';
import type { Customer, Page } from '../types.ts';
import { Confirm, Empty, ErrorNote, Field, Loading, Select, StatusBadge, useLoad } from '../ui.tsx';
import {
  type LineForm,
  LinesEditor,
  lineFromApi,
  linesBody,
  liveTotals,
  newLine,
  vatLabel,
} from './lines.tsx';
import { listProducts, type Product } from './products.tsx';

interface QuoteLine {
  id: string;
  description: string;
  quantity: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
  netAmount: string;
}

/** A quote as the API returns it. */
interface Quote {
  id: string;
  status: 'draft' | 'sent' | 'accepted' | 'declined' | 'expired';
  number: string | null;
  customerId: string;
  quoteDate: string | null;
  validUntil: string | null;
  currency: string;
  notes: string | null;
  lines: QuoteLine[];
  totals: { net: string; vat: string; gross: string };
  invoiceId: string | null;
  sentAt: string | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  version: number;
}

const listQuotes = async () => (await api<Page<Quote>>('GET', '/api/v1/quotes?limit=200')).items;

/** The quotes list. */
export function QuotesList() {
  const t = useT();
  useTitle(t('quotes.title'));
  const { data, error, loading, reload } = useLoad(
    async () => ({ quotes: await listQuotes(), customers: await listCustomers() }),
    [],
  );
  const name = (id: string) => data?.customers.find((c) => c.id === id)?.name ?? '';
  return (
    <>
      <div className="section-head">
        <h1>{t('quotes.title')}</h1>
        <Link to="/quotes/new" className="button">
          {t('quotes.new')}
        </Link>
      </div>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.quotes.length === 0 ? (
        <Empty>
          <p>{t('quotes.empty')}</p>
        </Empty>
      ) : null}
      {data && data.quotes.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('quotes.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('quote.number')}</th>
                <th scope="col">{t('quote.customer')}</th>
                <th scope="col">{t('quote.validUntil')}</th>
                <th scope="col" className="num">
                  {t('quote.total')}
                </th>
                <th scope="col">{t('invoice.status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.quotes.map((q) => (
                <tr key={q.id}>
                  <td>
                    <Link to={`/quotes/${q.id}`}>{q.number ?? t('quotes.draft')}</Link>
                  </td>
                  <td>{name(q.customerId)}</td>
                  <td>{formatDate(q.validUntil)}</td>
                  <td className="num">{formatMoney(q.totals.gross, q.currency)}</td>
                  <td>
                    <StatusBadge status={q.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** The new-quote form, or with `id` the form of that draft quote, filled with it. */
export function QuoteEditor(props: { id?: string }) {
  const { data, error, loading, reload } = useLoad(
    async () => ({
      customers: await listCustomers(),
      products: await listProducts(),
      quote: props.id ? await api<Quote>('GET', `/api/v1/quotes/${encodeURIComponent(props.id)}`) : undefined,
    }),
    [props.id],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  if (data.quote && data.quote.status !== 'draft') {
    return <ErrorNote error={new ApiError(409, 'quote_not_draft', 'Only a draft quote can be changed')} />;
  }
  return (
    <QuoteForm key={data.quote?.id} customers={data.customers} products={data.products} quote={data.quote} />
  );
}

function QuoteForm(props: { customers: Customer[]; products: Product[]; quote?: Quote | undefined }) {
  const t = useT();
  const q = props.quote;
  const heading = q ? t('editing.quoteTitle') : t('quotes.new');
  useTitle(heading);
  const [customerId, setCustomerId] = useState(q?.customerId ?? '');
  const [quoteDate, setQuoteDate] = useState(q ? (q.quoteDate ?? '') : today());
  const [validUntil, setValidUntil] = useState(q ? (q.validUntil ?? '') : addDays(today(), 30));
  const [notes, setNotes] = useState(q?.notes ?? '');
  const [lines, setLines] = useState<LineForm[]>(() =>
    q && q.lines.length > 0 ? q.lines.map(lineFromApi) : [newLine()],
  );
  const [missing, setMissing] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const totals = liveTotals(lines);
  const money = (minor: bigint) => formatMoney(formatMinor(minor, 'EUR'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!customerId) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      const body = {
        customerId,
        quoteDate: quoteDate || null,
        validUntil: validUntil || null,
        notes: notes.trim() || null,
        lines: linesBody(lines),
      };
      const quote = q
        ? await api<Quote>('PATCH', `/api/v1/quotes/${encodeURIComponent(q.id)}`, {
            ...body,
            version: q.version,
          })
        : await api<Quote>('POST', '/api/v1/quotes', body);
      navigate(`/quotes/${quote.id}`);
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };

  if (props.customers.length === 0) {
    return (
      <>
        <h1>{heading}</h1>
        <Empty>
          <p>{t('quote.noCustomers')}</p>
          <Link to="/customers/new" className="button">
            {t('customers.new')}
          </Link>
        </Empty>
      </>
    );
  }
  return (
    <>
      <h1>{heading}</h1>
      <form className="form editor" onSubmit={submit} noValidate>
        <div className="row">
          <Select
            label={t('quote.customer')}
            value={customerId}
            onChange={(v) => {
              setCustomerId(v);
              setMissing(false);
            }}
            options={[
              { value: '', label: t('invoice.chooseCustomer') },
              ...props.customers.map((c) => ({ value: c.id, label: c.name })),
            ]}
            error={missing ? t('invalid.customer') : undefined}
            required
          />
          <Field label={t('quote.date')} type="date" value={quoteDate} onChange={setQuoteDate} />
          <Field label={t('quote.validUntil')} type="date" value={validUntil} onChange={setValidUntil} />
        </div>
        <LinesEditor lines={lines} setLines={setLines} products={props.products} date={quoteDate} />
        <div className="field">
          <label htmlFor="quote-notes">{t('quote.notes')}</label>
          <textarea id="quote-notes" value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} />
        </div>
        {totals ? (
          <dl className="details" aria-live="polite">
            <dt>{t('invoice.net')}</dt>
            <dd className="num">{money(totals.taxExclusiveAmount)}</dd>
            <dt>{t('invoice.vat')}</dt>
            <dd className="num">{money(totals.taxAmount)}</dd>
            <dt>{t('quote.total')}</dt>
            <dd className="num" data-testid="quote-total">
              {money(totals.taxInclusiveAmount)}
            </dd>
          </dl>
        ) : (
          <p className="hint">{t('invoice.totalsPending')}</p>
        )}
        {failure ? <ErrorNote error={failure} /> : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('action.saveDraft')}
          </button>
          {q ? (
            <Link to={`/quotes/${q.id}`} className="button secondary">
              {t('editing.cancel')}
            </Link>
          ) : null}
        </div>
      </form>
    </>
  );
}

type Action = 'send' | 'accept' | 'decline' | 'delete';

/** One quote and its lifecycle. */
export function QuotePage(props: { id: string }) {
  const t = useT();
  const path = `/api/v1/quotes/${encodeURIComponent(props.id)}`;
  const { data, error, loading, reload } = useLoad(async () => {
    const quote = await api<Quote>('GET', path);
    const customers = await listCustomers();
    return { quote, customer: customers.find((c) => c.id === quote.customerId) };
  }, [props.id]);
  const [asking, setAsking] = useState<Action>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const q = data?.quote;
  useTitle(q?.number ? t('quote.title', { number: q.number }) : t('quote.draftTitle'));
  if (loading && !data) return <Loading />;
  if (error || !q) return <ErrorNote error={error} onRetry={reload} />;

  const run = async (action: Action) => {
    setBusy(true);
    setFailure(undefined);
    try {
      if (action === 'delete') {
        await api('DELETE', path);
        navigate('/quotes');
        return;
      }
      const answer = await api<Quote | { quote: Quote; invoiceId: string }>('POST', `${path}/${action}`);
      setAsking(undefined);
      if ('invoiceId' in answer && action === 'accept') navigate(`/invoices/${answer.invoiceId}`);
      else reload();
    } catch (err) {
      setAsking(undefined);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const confirmText: Record<Action, { title: Key; text: Key }> = {
    send: { title: 'quote.send', text: 'quote.sendText' },
    accept: { title: 'quote.accept', text: 'quote.acceptText' },
    decline: { title: 'quote.decline', text: 'quote.declineText' },
    delete: { title: 'action.deleteDraft', text: 'quote.draftTitle' },
  };
  return (
    <>
      <div className="section-head">
        <h1>{q.number ? t('quote.title', { number: q.number }) : t('quote.draftTitle')}</h1>
        <StatusBadge status={q.status} />
      </div>
      <div className="actions">
        {q.status === 'draft' ? (
          <>
            <button type="button" onClick={() => setAsking('send')}>
              {t('quote.send')}
            </button>
            <Link to={`/quotes/${q.id}/edit`} className="button secondary">
              {t('editing.edit')}
            </Link>
            <button type="button" className="secondary" onClick={() => setAsking('delete')}>
              {t('action.deleteDraft')}
            </button>
          </>
        ) : null}
        {q.status === 'sent' ? (
          <>
            <button type="button" onClick={() => setAsking('accept')}>
              {t('quote.accept')}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking('decline')}>
              {t('quote.decline')}
            </button>
          </>
        ) : null}
        {q.invoiceId ? (
          <Link to={`/invoices/${q.invoiceId}`} className="button secondary">
            {t('quote.invoice')}
          </Link>
        ) : null}
      </div>
      {failure ? <ErrorNote error={failure} /> : null}
      <dl className="details">
        <dt>{t('quote.customer')}</dt>
        <dd>
          {data.customer ? <Link to={`/customers/${data.customer.id}`}>{data.customer.name}</Link> : ''}
        </dd>
        <dt>{t('quote.date')}</dt>
        <dd>{formatDate(q.quoteDate)}</dd>
        <dt>{t('quote.validUntil')}</dt>
        <dd>{formatDate(q.validUntil)}</dd>
        {q.notes ? (
          <>
            <dt>{t('quote.notes')}</dt>
            <dd>{q.notes}</dd>
          </>
        ) : null}
      </dl>
      <p className="hint">
        {[
          q.sentAt ? t('quote.sentAt', { date: formatDate(q.sentAt) }) : '',
          q.acceptedAt ? t('quote.acceptedAt', { date: formatDate(q.acceptedAt) }) : '',
          q.declinedAt ? t('quote.declinedAt', { date: formatDate(q.declinedAt) }) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">{t('invoice.lines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('line.descriptionHead')}</th>
              <th scope="col" className="num">
                {t('line.quantityHead')}
              </th>
              <th scope="col" className="num">
                {t('line.unitPriceHead')}
              </th>
              <th scope="col">{t('line.vatHead')}</th>
              <th scope="col" className="num">
                {t('line.net')}
              </th>
            </tr>
          </thead>
          <tbody>
            {q.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.description}</td>
                <td className="num">{toTypedNumber(l.quantity)}</td>
                <td className="num">{formatMoney(l.unitPrice, q.currency)}</td>
                <td>{vatLabel(l.vatCategory, l.vatRate, t)}</td>
                <td className="num">{formatMoney(l.netAmount, q.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="details">
        <dt>{t('invoice.net')}</dt>
        <dd className="num">{formatMoney(q.totals.net, q.currency)}</dd>
        <dt>{t('invoice.vat')}</dt>
        <dd className="num">{formatMoney(q.totals.vat, q.currency)}</dd>
        <dt>{t('quote.total')}</dt>
        <dd className="num">{formatMoney(q.totals.gross, q.currency)}</dd>
      </dl>
      <Confirm
        open={asking !== undefined}
        title={asking ? t(confirmText[asking].title) : ''}
        confirmLabel={asking ? t(confirmText[asking].title) : ''}
        onConfirm={() => asking && void run(asking)}
        onCancel={() => setAsking(undefined)}
        busy={busy}
      >
        <p>{asking ? t(confirmText[asking].text) : ''}</p>
      </Confirm>
    </>
  );
}
