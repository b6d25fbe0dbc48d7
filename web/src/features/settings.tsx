/**
 * Business details for invoices (the seller on every invoice): name, address, KvK, VAT number,
 * IBAN, the KOR, numbering and the default payment term. Validated inline with domain/ rules; the
 * first run lands here and returns to the dashboard once saved.
 */
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { findSettings } from '../data.ts';
import { useT } from '../i18n.tsx';
import { Link, navigate, useTitle } from '../router.tsx';
import type { Settings } from '../types.ts';
import { ErrorNote, Field, Loading, useLoad } from '../ui.tsx';
import { checkField, issueKey } from '../validation.ts';

type Form = Record<
  | 'name'
  | 'street'
  | 'postalCode'
  | 'city'
  | 'country'
  | 'kvkNumber'
  | 'vatNumber'
  | 'iban'
  | 'bic'
  | 'email'
  | 'phone'
  | 'representative'
  | 'numberFormat'
  | 'defaultPaymentTermDays',
  string
> & { isKor: boolean };

function fromSettings(s: Settings | undefined): Form {
  return {
    name: s?.name ?? '',
    street: s?.address.street ?? '',
    postalCode: s?.address.postalCode ?? '',
    city: s?.address.city ?? '',
    country: s?.address.country ?? 'NL',
    kvkNumber: s?.kvkNumber ?? '',
    vatNumber: s?.vatNumber ?? '',
    iban: s?.iban ?? '',
    bic: s?.bic ?? '',
    email: s?.email ?? '',
    phone: s?.phone ?? '',
    representative: s?.representative ?? '',
    numberFormat: s?.numberFormat ?? '{YYYY}-{seq:4}',
    defaultPaymentTermDays: String(s?.defaultPaymentTermDays ?? 30),
    isKor: s?.isKor ?? false,
  };
}

const orNull = (v: string) => v.trim() || null;
const CHECKED = ['iban', 'vatNumber', 'kvkNumber', 'email', 'postalCode'] as const;
/** The server refuses a longer representative (422 representative_too_long). */
const REPRESENTATIVE_MAX = 120;

interface Contact {
  contact: { name: string; email: string; phone: string | null } | null;
}
interface Agreement {
  current: { version: string; date: string };
  mustAccept: boolean;
}

/** The settings screen: business details, the data-protection contact and, when due, the agreement. */
export function SettingsPage() {
  const { data, error, loading, reload } = useLoad(
    async () => ({
      settings: await findSettings(),
      contact: await api<Contact>('GET', '/api/v1/privacy/contact'),
      agreement: await api<Agreement>('GET', '/api/v1/agreement'),
    }),
    [],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  return <SettingsForm existing={data.settings} contact={data.contact} agreement={data.agreement} />;
}

function SettingsForm(props: { existing: Settings | undefined; contact: Contact; agreement: Agreement }) {
  const t = useT();
  useTitle(t('nav.settings'));
  const isFirstRun = !props.existing || !props.contact.contact || props.agreement.mustAccept;
  const [form, setForm] = useState<Form>(fromSettings(props.existing));
  const [contact, setContact] = useState({
    name: props.contact.contact?.name ?? '',
    email: props.contact.contact?.email ?? '',
    phone: props.contact.contact?.phone ?? '',
  });
  const [accepted, setAccepted] = useState(false);
  const mustAccept = props.agreement.mustAccept;
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const set = (k: keyof Form) => (v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setServerIssues((s) => ({ ...s, [k]: '' }));
    setSaved(false);
  };
  const touch = (k: string) => () => setTouched((s) => ({ ...s, [k]: true }));
  const errorOf = (k: keyof Form) => {
    if (serverIssues[k]) return serverIssues[k];
    if (k === 'name' && touched.name && !form.name.trim()) return t('invalid.required');
    if (k === 'representative' && form.representative.trim().length > REPRESENTATIVE_MAX) {
      return t('error.representative_too_long');
    }
    if ((CHECKED as readonly string[]).includes(k) && touched[k]) {
      const key = checkField(k as (typeof CHECKED)[number], String(form[k]), form.country);
      return key ? t(key) : undefined;
    }
    return undefined;
  };

  const contactError = (k: 'name' | 'email') => {
    if (serverIssues[`contact.${k}`]) return serverIssues[`contact.${k}`];
    if (!touched[`contact.${k}`]) return undefined;
    if (!contact[k].trim()) return t('invalid.required');
    const key = k === 'email' ? checkField('email', contact.email) : undefined;
    return key ? t(key) : undefined;
  };
  const acceptError = touched.accept && mustAccept && !accepted ? t('settings.mustAccept') : undefined;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(
      Object.fromEntries(
        ['name', ...CHECKED, 'contact.name', 'contact.email', 'accept'].map((k) => [k, true]),
      ),
    );
    if (!form.name.trim() || CHECKED.some((k) => checkField(k, form[k], form.country))) return;
    if (form.representative.trim().length > REPRESENTATIVE_MAX) return;
    if (!contact.name.trim() || !contact.email.trim() || checkField('email', contact.email)) return;
    if (mustAccept && !accepted) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api<Settings>('PUT', '/api/v1/invoice-settings', {
        name: form.name.trim(),
        address: {
          street: orNull(form.street),
          postalCode: orNull(form.postalCode),
          city: orNull(form.city),
          country: form.country.trim().toUpperCase() || 'NL',
        },
        kvkNumber: orNull(form.kvkNumber),
        vatNumber: orNull(form.vatNumber),
        iban: orNull(form.iban),
        bic: orNull(form.bic),
        email: orNull(form.email),
        phone: orNull(form.phone),
        representative: orNull(form.representative),
        isKor: form.isKor,
        numberFormat: form.numberFormat.trim(),
        defaultPaymentTermDays: Number.parseInt(form.defaultPaymentTermDays, 10) || 0,
      });
      await api('PUT', '/api/v1/privacy/contact', {
        name: contact.name.trim(),
        email: contact.email.trim(),
        phone: contact.phone.trim() || null,
      });
      if (mustAccept) {
        await api('POST', '/api/v1/agreement/accept', { version: props.agreement.current.version });
      }
      if (isFirstRun) navigate('/');
      else setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) {
        const map: Record<string, string> = {};
        for (const i of err.issues) {
          const text = i.code === 'representative_too_long' ? t('error.representative_too_long') : null;
          map[i.path.replace(/^\/?(address[./])?/, '')] = text ?? t(issueKey(i.code));
        }
        setServerIssues(map);
      }
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{isFirstRun ? t('settings.firstRunTitle') : t('settings.title')}</h1>
      <p className="lead">{t('settings.intro')}</p>
      {isFirstRun ? null : (
        <p>
          <Link to="/settings/branding">{t('settings.brandingLink')}</Link>
        </p>
      )}
      <form onSubmit={onSubmit} noValidate className="form">
        <Field
          label={t('settings.name')}
          value={form.name}
          onChange={set('name')}
          onBlur={touch('name')}
          error={errorOf('name')}
          required
          autoComplete="organization"
        />
        <fieldset>
          <legend>{t('customer.address')}</legend>
          <Field label={t('customer.street')} value={form.street} onChange={set('street')} />
          <div className="row">
            <Field
              label={t('customer.postalCode')}
              value={form.postalCode}
              onChange={set('postalCode')}
              onBlur={touch('postalCode')}
              error={errorOf('postalCode')}
            />
            <Field label={t('customer.city')} value={form.city} onChange={set('city')} />
            <Field label={t('customer.country')} value={form.country} onChange={set('country')} />
          </div>
        </fieldset>
        <Field
          label={t('customer.kvk')}
          value={form.kvkNumber}
          onChange={set('kvkNumber')}
          onBlur={touch('kvkNumber')}
          error={errorOf('kvkNumber')}
          inputMode="numeric"
        />
        <Field
          label={t('settings.representative')}
          value={form.representative}
          onChange={set('representative')}
          error={errorOf('representative')}
          hint={t('settings.representativeHint')}
        />
        <Field
          label={t('customer.vat')}
          value={form.vatNumber}
          onChange={set('vatNumber')}
          onBlur={touch('vatNumber')}
          error={errorOf('vatNumber')}
        />
        <div className="field checkbox">
          <input
            id="settings-kor"
            type="checkbox"
            checked={form.isKor}
            onChange={(e) => setForm((f) => ({ ...f, isKor: e.target.checked }))}
          />
          <label htmlFor="settings-kor">{t('settings.kor')}</label>
        </div>
        <Field
          label={t('customer.iban')}
          value={form.iban}
          onChange={set('iban')}
          onBlur={touch('iban')}
          error={errorOf('iban')}
        />
        <Field label={t('settings.bic')} value={form.bic} onChange={set('bic')} error={errorOf('bic')} />
        <Field
          label={t('settings.email')}
          type="email"
          value={form.email}
          onChange={set('email')}
          onBlur={touch('email')}
          error={errorOf('email')}
        />
        <Field label={t('settings.phone')} type="tel" value={form.phone} onChange={set('phone')} />
        <Field
          label={t('settings.numberFormat')}
          value={form.numberFormat}
          onChange={set('numberFormat')}
          error={errorOf('numberFormat')}
          hint={t('settings.numberFormatHint')}
        />
        <Field
          label={t('customer.paymentTerm')}
          value={form.defaultPaymentTermDays}
          onChange={set('defaultPaymentTermDays')}
          inputMode="numeric"
          error={errorOf('defaultPaymentTermDays')}
        />
        <fieldset>
          <legend>{t('settings.contactTitle')}</legend>
          <p className="hint">{t('settings.contactIntro')}</p>
          <Field
            label={t('settings.contactName')}
            value={contact.name}
            onChange={(v) => setContact((c) => ({ ...c, name: v }))}
            onBlur={touch('contact.name')}
            error={contactError('name')}
            required
            autoComplete="name"
          />
          <Field
            label={t('settings.contactEmail')}
            type="email"
            value={contact.email}
            onChange={(v) => setContact((c) => ({ ...c, email: v }))}
            onBlur={touch('contact.email')}
            error={contactError('email')}
            required
          />
          <Field
            label={t('settings.contactPhone')}
            type="tel"
            value={contact.phone}
            onChange={(v) => setContact((c) => ({ ...c, phone: v }))}
          />
        </fieldset>
        {mustAccept ? (
          <div className="field checkbox">
            <input
              id="settings-accept"
              type="checkbox"
              checked={accepted}
              onChange={(e) => setAccepted(e.target.checked)}
              aria-invalid={acceptError ? true : undefined}
              aria-describedby={acceptError ? 'settings-accept-error' : undefined}
            />
            <label htmlFor="settings-accept">
              {t('settings.accept')} <a href="/voorwaarden">{t('settings.terms')}</a> {t('settings.and')}{' '}
              <a href="/verwerkersovereenkomst">{t('settings.dpa')}</a> ({props.agreement.current.version})
            </label>
          </div>
        ) : null}
        {acceptError ? (
          <p id="settings-accept-error" className="field-error">
            {acceptError}
          </p>
        ) : null}
        {failure ? <ErrorNote error={failure} /> : null}
        {saved ? (
          <p className="success" role="status">
            {t('settings.saved')}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {isFirstRun ? t('settings.saveFirst') : t('action.save')}
          </button>
        </div>
      </form>
    </>
  );
}
