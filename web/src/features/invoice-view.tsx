/**
 * An issued invoice or credit note: its lines and totals as the server froze them, the downloads
 * (PDF, UBL), and crediting it in full. A draft opens in the editor instead.
 */
import { type FormEvent, useState } from 'react';
import { api, download } from '../api.ts';
import { formatDate, formatMoney, parseTypedNumber, today } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Link, navigate, useLocation, useTitle } from '../router.tsx';
import type { Invoice } from '../types.ts';
import { Confirm, ErrorNote, Field, Loading, StatusBadge, useLoad } from '../ui.tsx';
import { isOverdue } from './dashboard.tsx';
import { InvoiceEditor } from './invoice-editor.tsx';
import { CiiDownload, InvoicePayments } from './invoice-extras.tsx';
import { draftPreviewUrl, PdfPreview } from './pdf-preview.tsx';

/** The invoice page: the editor for a draft, the read-only view otherwise. */
export function InvoicePage(props: { id: string }) {
  const { data, error, loading, reload } = useLoad(
    () => api<Invoice>('GET', `/api/v1/invoices/${encodeURIComponent(props.id)}`),
    [props.id],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  if (data.status === 'draft' && data.kind === 'invoice')
    return <InvoiceEditor key={data.id} invoice={data} />;
  return <InvoiceView invoice={data} reload={reload} />;
}

function InvoiceView(props: { invoice: Invoice; reload: () => void }) {
  const t = useT();
  const { search } = useLocation();
  const i = props.invoice;
  const title = i.kind === 'credit_note' ? t('invoice.creditNote') : t('invoice.invoice');
  useTitle(`${title} ${i.number ?? ''}`);
  const [failure, setFailure] = useState<unknown>();
  const [crediting, setCrediting] = useState(false);
  const [busy, setBusy] = useState(false);
  const money = (amount: string) => formatMoney(amount, i.currency);
  const justIssued = new URLSearchParams(search).has('issued');
  const isDraft = i.status === 'draft';
  const canCredit = i.kind === 'invoice' && !isDraft && i.status !== 'credited';
  const [issuing, setIssuing] = useState(false);
  const [notice, setNotice] = useState('');
  const canSend = i.kind === 'invoice' && ['issued', 'sent', 'partially_paid'].includes(i.status);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    setNotice('');
    try {
      await work();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    act(async () => {
      await api<Invoice>('POST', `/api/v1/invoices/${i.id}/send`);
      setNotice(t('invoice.sentNotice'));
      props.reload();
    });
  const markSent = () =>
    act(async () => {
      await api<Invoice>('POST', `/api/v1/invoices/${i.id}/mark-sent`);
      props.reload();
    });
  /** A new draft with the same customer and lines, dated today. */
  const duplicate = () =>
    act(async () => {
      const copy = await api<Invoice>('POST', '/api/v1/invoices', {
        customerId: i.customerId,
        currency: i.currency,
        notes: i.notes,
        lines: i.lines.map((l) => ({
          description: l.description,
          quantity: l.quantity,
          unit: l.unit,
          unitPrice: l.unitPrice,
          vatCategory: l.vatCategory,
          vatRate: l.vatRate,
        })),
      });
      navigate(`/invoices/${copy.id}`);
    });
  const canPay = i.kind === 'invoice' && ['issued', 'sent', 'partially_paid'].includes(i.status);

  const get = async (path: string, name: string) => {
    setFailure(undefined);
    try {
      await download(path, name);
    } catch (e) {
      setFailure(e);
    }
  };

  const credit = async () => {
    setBusy(true);
    try {
      // A credit note starts as a draft of its own; crediting here means issuing it at once.
      const note = await api<Invoice>('POST', `/api/v1/invoices/${i.id}/credit-notes`, {});
      setCrediting(false);
      try {
        await api<Invoice>('POST', `/api/v1/invoices/${note.id}/issue`);
        navigate(`/invoices/${note.id}?issued=1`);
      } catch {
        navigate(`/invoices/${note.id}`);
      }
    } catch (e) {
      setFailure(e);
      setCrediting(false);
    } finally {
      setBusy(false);
    }
  };

  const issueDraft = async () => {
    setBusy(true);
    try {
      await api<Invoice>('POST', `/api/v1/invoices/${i.id}/issue`);
      setIssuing(false);
      navigate(`/invoices/${i.id}?issued=1`, true);
      props.reload();
    } catch (e) {
      setFailure(e);
      setIssuing(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="section-head">
        <h1>
          {title} {i.number}
        </h1>
        <StatusBadge status={i.status} overdue={isOverdue(i)} />
      </div>
      {justIssued ? (
        <p className="success" role="status">
          {t('invoice.issuedNotice', { what: title, number: i.number ?? '' })}
        </p>
      ) : null}
      <dl className="details">
        <dt>{t('invoice.customer')}</dt>
        <dd>
          <Link to={`/customers/${i.customerId}`}>{i.buyer?.name ?? ''}</Link>
        </dd>
        <dt>{t('invoice.issueDate')}</dt>
        <dd>{formatDate(i.issueDate)}</dd>
        {i.dueDate ? (
          <>
            <dt>{t('invoice.dueDate')}</dt>
            <dd>{formatDate(i.dueDate)}</dd>
          </>
        ) : null}
        {i.credited ? (
          <>
            <dt>{t('invoice.credits')}</dt>
            <dd>
              <Link to={`/invoices/${i.credited.invoiceId}`}>{i.credited.number ?? ''}</Link>
            </dd>
          </>
        ) : null}
        <dt>{t('invoice.paid')}</dt>
        <dd>{money(i.paidAmount)}</dd>
      </dl>
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
              <th scope="col" className="num">
                {t('line.vatHead')}
              </th>
              <th scope="col" className="num">
                {t('line.net')}
              </th>
            </tr>
          </thead>
          <tbody>
            {i.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.description}</td>
                <td className="num">{l.quantity.replace('.', ',')}</td>
                <td className="num">{money(l.unitPrice)}</td>
                <td className="num">
                  {l.vatCategory === 'S' || l.vatCategory === 'Z' ? `${l.vatRate} %` : l.vatCategory}
                </td>
                <td className="num">{money(l.netAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="totals" aria-labelledby="view-totals">
        <h2 id="view-totals">{t('invoice.totals')}</h2>
        <dl>
          <div className="pair">
            <dt>{t('invoice.net')}</dt>
            <dd>{money(i.totals.net)}</dd>
          </div>
          {i.totals.vatBreakdown.map((g) => (
            <div key={`${g.vatCategory}:${g.vatRate}`} className="pair">
              <dt>{t('invoice.vatGroup', { rate: g.vatRate, base: money(g.taxable) })}</dt>
              <dd>{money(g.vat)}</dd>
            </div>
          ))}
          <div className="pair">
            <dt>{t('invoice.vat')}</dt>
            <dd>{money(i.totals.vat)}</dd>
          </div>
          <div className="pair grand">
            <dt>{t('invoice.payable')}</dt>
            <dd data-testid="view-payable">{money(i.totals.payable)}</dd>
          </div>
        </dl>
      </section>
      {failure ? <ErrorNote error={failure} /> : null}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {isDraft ? (
        <div className="actions">
          <button type="button" onClick={() => setIssuing(true)}>
            {t('action.issueCreditNote')}
          </button>
        </div>
      ) : null}
      {isDraft ? null : (
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => get(`/api/v1/invoices/${i.id}/pdf`, 'factuur.pdf')}
          >
            {t('action.downloadPdf')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => get(`/api/v1/invoices/${i.id}/ubl`, 'factuur.xml')}
          >
            {t('action.downloadUbl')}
          </button>
          <CiiDownload invoiceId={i.id} get={get} />
          {canSend ? (
            <button type="button" className="secondary" onClick={send} disabled={busy}>
              {t('action.send')}
            </button>
          ) : null}
          {i.status === 'issued' ? (
            <button type="button" className="secondary" onClick={markSent} disabled={busy}>
              {t('action.markSent')}
            </button>
          ) : null}
          {i.kind === 'invoice' ? (
            <button type="button" className="secondary" onClick={duplicate} disabled={busy}>
              {t('action.duplicate')}
            </button>
          ) : null}
          {canCredit ? (
            <button type="button" className="secondary" onClick={() => setCrediting(true)}>
              {t('action.credit')}
            </button>
          ) : null}
        </div>
      )}
      <PdfPreview invoice={i} {...(isDraft ? { url: draftPreviewUrl(i.id) } : {})} />
      {canPay ? <PaymentForm invoice={i} onRecorded={props.reload} /> : null}
      {i.kind === 'invoice' && !isDraft ? (
        <InvoicePayments invoiceId={i.id} version={`${i.status}:${i.paidAmount}`} />
      ) : null}
      <Confirm
        open={issuing}
        title={t('issue.creditTitle')}
        confirmLabel={t('issue.confirm')}
        onConfirm={issueDraft}
        onCancel={() => setIssuing(false)}
        busy={busy}
      >
        <p>{t('issue.text')}</p>
      </Confirm>
      <Confirm
        open={crediting}
        title={t('credit.title')}
        confirmLabel={t('credit.confirm')}
        onConfirm={credit}
        onCancel={() => setCrediting(false)}
        busy={busy}
      >
        <p>{t('credit.text', { number: i.number ?? '' })}</p>
      </Confirm>
    </>
  );
}

/** Records a payment received for an issued invoice (a bank transfer by default). */
function PaymentForm(props: { invoice: Invoice; onRecorded: () => void }) {
  const t = useT();
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(today());
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await api('POST', `/api/v1/invoices/${props.invoice.id}/payments`, {
        amount: parseTypedNumber(amount),
        date,
        method: 'bank_transfer',
      });
      setAmount('');
      props.onRecorded();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="payment-title" className="panel">
      <h2 id="payment-title">{t('payment.title')}</h2>
      <form onSubmit={onSubmit} className="form row" noValidate>
        <Field label={t('payment.amount')} value={amount} onChange={setAmount} inputMode="decimal" required />
        <Field label={t('payment.date')} type="date" value={date} onChange={setDate} required />
        <div className="field field-button">
          <button type="submit" disabled={busy || !amount.trim()}>
            {t('payment.record')}
          </button>
        </div>
      </form>
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}
