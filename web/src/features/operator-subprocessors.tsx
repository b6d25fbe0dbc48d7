/**
 * The subprocessor registry in the operator console: the list, and a form to add one. The server
 * sets the effective date at least the notice period (30 days by default) ahead and mails every
 * business's contact; a date sooner than that is refused with its own message.
 */
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { addDays, formatDate, today } from '../format.ts';
import { useT } from '../i18n.tsx';
import { useTitle } from '../router.tsx';
import { Empty, ErrorNote, Field, Loading, useLoad } from '../ui.tsx';

interface Subprocessor {
  id: string;
  name: string;
  purpose: string;
  dataCategories: string[];
  country: string;
  parentJurisdiction: string;
  agreementReference: string;
  effectiveFrom: string;
}

const EMPTY = {
  name: '',
  purpose: '',
  dataCategories: '',
  country: 'NL',
  parentJurisdiction: 'NL',
  agreementReference: '',
  effectiveFrom: '',
};

/** The registry and the add form. */
export function SubprocessorsPage() {
  const t = useT();
  useTitle(t('op.subs.title'));
  const { data, error, loading, reload } = useLoad(
    () => api<{ items: Subprocessor[] }>('GET', '/api/operator/v1/subprocessors'),
    [],
  );
  const [form, setForm] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [done, setDone] = useState<{ name: string; mailed: number; date: string } | undefined>();
  const set = (k: keyof typeof EMPTY) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const issue = (path: string) =>
    saveError instanceof ApiError ? saveError.issues.find((i) => i.path === path)?.message : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaveError(undefined);
    setDone(undefined);
    try {
      const res = await api<{ subprocessor: Subprocessor; mailed: number }>(
        'POST',
        '/api/operator/v1/subprocessors',
        {
          name: form.name,
          purpose: form.purpose,
          dataCategories: form.dataCategories
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean),
          country: form.country.trim().toUpperCase(),
          parentJurisdiction: form.parentJurisdiction.trim().toUpperCase(),
          agreementReference: form.agreementReference,
          ...(form.effectiveFrom ? { effectiveFrom: form.effectiveFrom } : {}),
        },
      );
      setDone({ name: res.subprocessor.name, mailed: res.mailed, date: res.subprocessor.effectiveFrom });
      setForm(EMPTY);
      reload();
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('op.subs.title')}</h1>
      <p className="lead">{t('op.subs.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.items.length === 0 ? <Empty>{t('op.subs.empty')}</Empty> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('op.subs.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('op.subs.name')}</th>
                <th scope="col">{t('op.subs.purpose')}</th>
                <th scope="col">{t('op.subs.country')}</th>
                <th scope="col">{t('op.subs.effective')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.purpose}</td>
                  <td>
                    {s.country} / {s.parentJurisdiction}
                  </td>
                  <td>{formatDate(s.effectiveFrom)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <form className="form panel" onSubmit={submit} noValidate aria-labelledby="op-sub-form">
        <h2 id="op-sub-form">{t('op.subs.add')}</h2>
        <p className="hint">{t('op.subs.addHint', { date: formatDate(addDays(today(), 30)) })}</p>
        <Field
          label={t('op.subs.name')}
          value={form.name}
          onChange={set('name')}
          required
          error={issue('name')}
        />
        <Field
          label={t('op.subs.purpose')}
          value={form.purpose}
          onChange={set('purpose')}
          required
          error={issue('purpose')}
        />
        <Field
          label={t('op.subs.categories')}
          hint={t('op.subs.categoriesHint')}
          value={form.dataCategories}
          onChange={set('dataCategories')}
          required
          error={issue('dataCategories')}
        />
        <Field
          label={t('op.subs.countryField')}
          value={form.country}
          onChange={set('country')}
          required
          error={issue('country')}
        />
        <Field
          label={t('op.subs.parent')}
          value={form.parentJurisdiction}
          onChange={set('parentJurisdiction')}
          required
          error={issue('parentJurisdiction')}
        />
        <Field
          label={t('op.subs.agreement')}
          value={form.agreementReference}
          onChange={set('agreementReference')}
          required
          error={issue('agreementReference')}
        />
        <Field
          label={t('op.subs.effectiveField')}
          hint={t('op.subs.effectiveHint')}
          type="date"
          value={form.effectiveFrom}
          onChange={set('effectiveFrom')}
          error={issue('effectiveFrom')}
        />
        {saveError ? <ErrorNote error={saveError} /> : null}
        {done ? (
          <p className="success" role="status">
            {t('op.subs.added', { name: done.name, n: done.mailed, date: formatDate(done.date) })}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('op.subs.addButton')}
          </button>
        </div>
      </form>
    </>
  );
}
