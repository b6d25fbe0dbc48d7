/** Creating and editing a customer, with inline validation of IBAN, VAT, KvK, e-mail and postal code. */
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { navigate, useTitle } from '../router.tsx';
import type { Customer } from '../types.ts';
import { ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { checkField, issueKey } from '../validation.ts';

interface Form {
  kind: 'company' | 'person';
  name: string;
  contactPerson: string;
  email: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  vatNumber: string;
  kvkNumber: string;
  iban: string;
  paymentTermDays: string;
}

const EMPTY: Form = {
  kind: 'company',
  name: '',
  contactPerson: '',
  email: '',
  street: '',
  postalCode: '',
  city: '',
  country: 'NL',
  vatNumber: '',
  kvkNumber: '',
  iban: '',
  paymentTermDays: '30',
};

function fromCustomer(c: Customer): Form {
  return {
    kind: c.kind,
    name: c.name,
    contactPerson: c.contactPerson ?? '',
    email: c.email ?? '',
    street: c.address.street ?? '',
    postalCode: c.address.postalCode ?? '',
    city: c.address.city ?? '',
    country: c.address.country ?? 'NL',
    vatNumber: c.vatNumber ?? '',
    kvkNumber: c.kvkNumber ?? '',
    iban: c.iban ?? '',
    paymentTermDays: String(c.paymentTermDays),
  };
}

const orNull = (v: string) => v.trim() || null;

function body(f: Form) {
  return {
    kind: f.kind,
    name: f.name.trim(),
    contactPerson: orNull(f.contactPerson),
    email: orNull(f.email),
    address: {
      street: orNull(f.street),
      postalCode: orNull(f.postalCode),
      city: orNull(f.city),
      country: orNull(f.country.toUpperCase()),
    },
    vatNumber: orNull(f.vatNumber),
    kvkNumber: orNull(f.kvkNumber),
    iban: orNull(f.iban),
    paymentTermDays: Number.parseInt(f.paymentTermDays, 10) || 0,
  };
}

/** The create or edit screen; without `id` it creates. */
export function CustomerForm(props: { id?: string }) {
  const { id } = props;
  const loaded = useLoad(
    async () => (id ? api<Customer>('GET', `/api/v1/customers/${encodeURIComponent(id)}`) : undefined),
    [id],
  );
  if (id && loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  return <CustomerFormBody existing={loaded.data} />;
}

function CustomerFormBody(props: { existing: Customer | undefined }) {
  const t = useT();
  const { existing } = props;
  useTitle(existing ? t('customers.edit') : t('customers.new'));
  const [form, setForm] = useState<Form>(existing ? fromCustomer(existing) : EMPTY);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const set = (k: keyof Form) => (v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setServerIssues((s) => ({ ...s, [k]: '' }));
  };
  const touch = (k: string) => () => setTouched((s) => ({ ...s, [k]: true }));
  const local = (k: 'iban' | 'vatNumber' | 'kvkNumber' | 'email' | 'postalCode') =>
    checkField(k, form[k], form.country);
  const errorOf = (k: keyof Form): string | undefined => {
    if (serverIssues[k]) return serverIssues[k];
    if (k === 'name' && touched.name && !form.name.trim()) return t('invalid.required');
    if (k === 'iban' || k === 'vatNumber' || k === 'kvkNumber' || k === 'email' || k === 'postalCode') {
      const key = touched[k] ? local(k) : undefined;
      return key ? t(key) : undefined;
    }
    return undefined;
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched({ name: true, iban: true, vatNumber: true, kvkNumber: true, email: true, postalCode: true });
    const invalid =
      !form.name.trim() ||
      (['iban', 'vatNumber', 'kvkNumber', 'email', 'postalCode'] as const).some((k) => local(k));
    if (invalid) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = existing
        ? await api<Customer>('PATCH', `/api/v1/customers/${existing.id}`, {
            ...body(form),
            version: existing.version,
          })
        : await api<Customer>('POST', '/api/v1/customers', body(form));
      navigate(`/customers/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) {
        const map: Record<string, string> = {};
        for (const i of err.issues) {
          const field = i.path.replace(/^\/?(address[./])?/, '').replace(/^\//, '');
          map[field] = t(issueKey(i.code));
        }
        setServerIssues(map);
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{existing ? t('customers.edit') : t('customers.new')}</h1>
      <form onSubmit={onSubmit} noValidate className="form">
        <Select
          label={t('customer.kind')}
          value={form.kind}
          onChange={(v) => set('kind')(v)}
          options={[
            { value: 'company', label: t('customer.kind.company') },
            { value: 'person', label: t('customer.kind.person') },
          ]}
        />
        <Field
          label={t('customer.name')}
          value={form.name}
          onChange={set('name')}
          onBlur={touch('name')}
          error={errorOf('name')}
          required
          autoComplete="organization"
        />
        <Field label={t('customer.contact')} value={form.contactPerson} onChange={set('contactPerson')} />
        <Field
          label={t('customer.email')}
          type="email"
          value={form.email}
          onChange={set('email')}
          onBlur={touch('email')}
          error={errorOf('email')}
          autoComplete="email"
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
            <Field
              label={t('customer.country')}
              value={form.country}
              onChange={set('country')}
              hint={t('customer.countryHint')}
            />
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
          label={t('customer.vat')}
          value={form.vatNumber}
          onChange={set('vatNumber')}
          onBlur={touch('vatNumber')}
          error={errorOf('vatNumber')}
          hint={t('customer.vatHint')}
        />
        <Field
          label={t('customer.iban')}
          value={form.iban}
          onChange={set('iban')}
          onBlur={touch('iban')}
          error={errorOf('iban')}
        />
        <Field
          label={t('customer.paymentTerm')}
          value={form.paymentTermDays}
          onChange={set('paymentTermDays')}
          inputMode="numeric"
          hint={t('customer.paymentTermHint')}
        />
        {error ? <ErrorNote error={error} /> : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('action.save')}
          </button>
        </div>
      </form>
    </>
  );
}
