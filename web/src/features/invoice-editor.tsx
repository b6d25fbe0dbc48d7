/**
 * The invoice editor for drafts. Totals update as you type, computed by domain/totals.ts — the same
 * EN 16931 code the server uses — and the mandatory VAT texts come from domain/vat.ts as they will
 * print. Issuing asks for confirmation first, because an issued invoice can no longer be changed.
 */
import { type FormEvent, useMemo, useState } from 'react';
import { formatMinor } from '../../../domain/currency.ts';
import { mandatoryTexts } from '../../../domain/vat.ts';
import { vatRateOn } from '../../../domain/vat-rates.ts';
import { ApiError, api } from '../api.ts';
import { findSettings, listCustomers } from '../data.ts';
import { addDays, formatMoney, parseTypedNumber, today, toTypedNumber } from '../format.ts';
import { useLang, useT } from '../i18n.tsx';
import { navigate, useLocation, useTitle } from '../router.tsx';
import type { Customer, Invoice, Settings } from '../types.ts';
import { Confirm, ErrorNote, Field, Loading, Select, useErrorText, useLoad } from '../ui.tsx';
import { type LineForm, LinesEditor, liveTotals, newLine, splitVat } from './lines.tsx';
import { draftPreviewUrl, PdfPreview } from './pdf-preview.tsx';

/** The editor screen: a new draft (optionally for a customer) or an existing one. */
export function InvoiceEditor(props: { invoice?: Invoice; customerId?: string }) {
  const { data, error, loading, reload } = useLoad(
    async () => ({ customers: await listCustomers(), settings: await findSettings() }),
    [],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  return <EditorBody {...props} customers={data.customers} settings={data.settings} />;
}

function EditorBody(props: {
  invoice?: Invoice;
  customerId?: string;
  customers: Customer[];
  settings: Settings | undefined;
}) {
  const t = useT();
  const [lang] = useLang();
  const errorText = useErrorText();
  const { invoice, customers, settings } = props;
  useTitle(invoice ? t('invoices.editDraft') : t('invoices.new'));
  const defaultVat = settings?.isKor ? 'E:0' : `S:${vatRateOn('standard', today()) ?? '21'}`;
  const [customerId, setCustomerId] = useState(invoice?.customerId ?? props.customerId ?? '');
  const [issueDate, setIssueDate] = useState(invoice?.issueDate ?? today());
  const customer = customers.find((c) => c.id === customerId);
  const term = customer?.paymentTermDays ?? settings?.defaultPaymentTermDays ?? 30;
  const [dueDate, setDueDate] = useState(invoice?.dueDate ?? addDays(today(), term));
  const [notes, setNotes] = useState(invoice?.notes ?? '');
  const [exemptionReason, setExemptionReason] = useState(invoice?.exemptionReason ?? '');
  const [lines, setLines] = useState<LineForm[]>(
    invoice && invoice.lines.length > 0
      ? invoice.lines.map((l) =>
          newLine(`${l.vatCategory}:${l.vatRate}`, {
            description: l.description,
            quantity: toTypedNumber(l.quantity),
            unitPrice: toTypedNumber(l.unitPrice),
          }),
        )
      : [newLine(defaultVat)],
  );
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [missing, setMissing] = useState(false);

  const totals = useMemo(() => liveTotals(lines), [lines]);
  const texts = useMemo(
    () =>
      mandatoryTexts(
        {
          seller: {
            country: settings?.address.country ?? 'NL',
            ...(settings?.vatNumber ? { vatNumber: settings.vatNumber } : {}),
            isKor: settings?.isKor ?? false,
          },
          lines: lines.map((l) => splitVat(l.vat)),
          ...(exemptionReason.trim() ? { exemptionReason } : {}),
        },
        lang,
      ),
    [lines, settings, exemptionReason, lang],
  );
  const usesExempt = lines.some((l) => l.vat.startsWith('E:'));
  const money = (minor: bigint) => formatMoney(formatMinor(minor, 'EUR'));

  const payload = () => ({
    customerId,
    issueDate: issueDate || null,
    dueDate: dueDate || null,
    currency: 'EUR',
    notes: notes.trim() || null,
    exemptionReason: usesExempt ? exemptionReason.trim() || null : null,
    lines: lines.map((l) => ({
      description: l.description.trim(),
      quantity: parseTypedNumber(l.quantity),
      unitPrice: parseTypedNumber(l.unitPrice),
      ...splitVat(l.vat),
    })),
  });

  /** Saves the draft; returns it, or undefined when the form is incomplete or the API refused. */
  const save = async (): Promise<Invoice | undefined> => {
    if (!customerId) {
      setMissing(true);
      return undefined;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      const saved = invoice
        ? await api<Invoice>('PATCH', `/api/v1/invoices/${invoice.id}`, payload())
        : await api<Invoice>('POST', '/api/v1/invoices', payload());
      return saved;
    } catch (e) {
      setFailure(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await save();
    if (saved && !invoice) navigate(`/invoices/${saved.id}`, true);
  };

  // The preview shows the draft as saved, so it is saved first; a new draft gets its page (and
  // address) first and opens the preview there.
  const previewUrl = async (): Promise<string | undefined> => {
    const saved = await save();
    if (!saved) return undefined;
    if (invoice) return draftPreviewUrl(saved.id);
    navigate(`/invoices/${saved.id}?preview=1`, true);
    return undefined;
  };
  const { search } = useLocation();

  const onIssue = async () => {
    const saved = await save();
    if (!saved) {
      setConfirming(false);
      return;
    }
    setBusy(true);
    try {
      await api<Invoice>('POST', `/api/v1/invoices/${saved.id}/issue`);
      setConfirming(false);
      navigate(`/invoices/${saved.id}?issued=1`, true);
    } catch (e) {
      setFailure(e);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const onDelete = async () => {
    if (!invoice) return;
    try {
      await api('DELETE', `/api/v1/invoices/${invoice.id}`);
      navigate('/invoices', true);
    } catch (e) {
      setFailure(e);
    }
  };

  const issueMessages =
    failure instanceof ApiError && failure.issues.length > 0
      ? failure.issues.map((i) => `${i.path}: ${i.message}`)
      : [];

  return (
    <>
      <h1>{invoice ? t('invoices.editDraft') : t('invoices.new')}</h1>
      {!settings ? (
        <p className="callout" role="note">
          {t('invoices.needsSettings')}
        </p>
      ) : null}
      <form onSubmit={onSave} noValidate className="form editor">
        <div className="row">
          <Select
            label={t('invoice.customer')}
            value={customerId}
            onChange={(v) => {
              setCustomerId(v);
              setMissing(false);
              const c = customers.find((x) => x.id === v);
              if (c) setDueDate(addDays(issueDate || today(), c.paymentTermDays));
            }}
            options={[
              { value: '', label: t('invoice.chooseCustomer') },
              ...customers.map((c) => ({ value: c.id, label: c.name })),
            ]}
            error={missing ? t('invalid.customer') : undefined}
            required
          />
          <Field label={t('invoice.issueDate')} type="date" value={issueDate} onChange={setIssueDate} />
          <Field label={t('invoice.dueDate')} type="date" value={dueDate} onChange={setDueDate} />
        </div>
        <LinesEditor lines={lines} setLines={setLines} products={[]} date={issueDate} newVat={defaultVat} />
        {usesExempt ? (
          <Field
            label={t('invoice.exemptionReason')}
            value={exemptionReason}
            onChange={setExemptionReason}
            hint={t('invoice.exemptionHint')}
          />
        ) : null}
        <div className="field">
          <label htmlFor="invoice-notes">{t('invoice.notes')}</label>
          <textarea id="invoice-notes" value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} />
        </div>
        <section className="totals" aria-labelledby="totals-title" aria-live="polite">
          <h2 id="totals-title">{t('invoice.totals')}</h2>
          {totals ? (
            <dl>
              <div className="pair">
                <dt>{t('invoice.net')}</dt>
                <dd data-testid="total-net">{money(totals.taxExclusiveAmount)}</dd>
              </div>
              {totals.vatBreakdown.map((g) => (
                <div key={`${g.vatCategory}:${g.vatRate}`} className="pair">
                  <dt>{t('invoice.vatGroup', { rate: g.vatRate, base: money(g.taxableAmount) })}</dt>
                  <dd>{money(g.taxAmount)}</dd>
                </div>
              ))}
              <div className="pair">
                <dt>{t('invoice.vat')}</dt>
                <dd data-testid="total-vat">{money(totals.taxAmount)}</dd>
              </div>
              <div className="pair grand">
                <dt>{t('invoice.payable')}</dt>
                <dd data-testid="total-payable">{money(totals.payableAmount)}</dd>
              </div>
            </dl>
          ) : (
            <p>{t('invoice.totalsPending')}</p>
          )}
          {texts.length > 0 ? (
            <div className="mandatory">
              <h3>{t('invoice.mandatoryTexts')}</h3>
              <ul className="mandatory-list">
                {texts.map((m) => (
                  <li key={m.category}>{m.text}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
        {failure ? (
          <div className="error-note" role="alert">
            <p>{errorText(failure)}</p>
            {issueMessages.length > 0 ? (
              <ul>
                {issueMessages.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="actions">
          {invoice ? (
            <button type="button" className="secondary danger" onClick={onDelete} disabled={busy}>
              {t('action.deleteDraft')}
            </button>
          ) : null}
          <button type="submit" className="secondary" disabled={busy}>
            {t('action.saveDraft')}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              if (!customerId) setMissing(true);
              else setConfirming(true);
            }}
          >
            {t('action.issue')}
          </button>
        </div>
      </form>
      <PdfPreview url={previewUrl} initiallyOpen={new URLSearchParams(search).has('preview')} />
      <Confirm
        open={confirming}
        title={t('issue.title')}
        confirmLabel={t('issue.confirm')}
        onConfirm={onIssue}
        onCancel={() => setConfirming(false)}
        busy={busy}
      >
        <p>{t('issue.text')}</p>
        {totals ? <p>{t('issue.amount', { amount: money(totals.payableAmount) })}</p> : null}
      </Confirm>
    </>
  );
}
