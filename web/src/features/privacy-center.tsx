/**
 * The privacy center's sections besides the export: the processing agreement (acceptance and its
 * PDF), the data-protection contact (change, or confirm unchanged when the yearly check is due),
 * the subprocessors (policy, objection with a reason, consent), the register of processing (and its
 * PDF) and the breach notices Kluis sent the business. Each section loads on its own, with its own
 * loading, empty and error states.
 */
import { type FormEvent, useState } from 'react';
import { api, download } from '../api.ts';
import { formatDate } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { checkField } from '../validation.ts';

interface Agreement {
  current: { version: string; date: string };
  accepted: { version: string; acceptedAt: string } | null;
  mustAccept: boolean;
}

interface ContactView {
  contact: { name: string; email: string; phone: string | null } | null;
  confirmedAt: string | null;
  reconfirmDue: boolean;
  subprocessorPolicy: string;
}

interface Subprocessor {
  id: string;
  name: string;
  purpose: string;
  country: string;
  parentJurisdiction: string;
  effectiveFrom: string;
  isEffective: boolean;
  isUsedForBusiness: boolean;
  objection: { at: string; reason: string | null } | null;
  consentedAt: string | null;
}

interface Register {
  agreementVersion: string;
  processing: {
    subject: string;
    subjectLabel: string;
    categories: { code: string; label: string }[];
    purposes: { code: string; label: string }[];
    retention: { code: string; label: string }[];
  }[];
  subprocessors: { id: string; name: string; isThirdCountry: boolean }[];
}

interface BreachNotice {
  id: string;
  receivedAt: string;
  description: string;
  nature: string;
  consequences: string;
  measures: string;
  people: number;
  records: number;
  updates: { seq: number; at: string; text: string }[];
}

/** The agreement: the version in force, the acceptance, and the business's PDF copy. */
export function AgreementSection() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(() => api<Agreement>('GET', '/api/v1/agreement'), []);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const accept = async () => {
    if (!data) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api('POST', '/api/v1/agreement/accept', { version: data.current.version });
      reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const pdf = async () => {
    setFailure(undefined);
    try {
      await download('/api/v1/agreement.pdf', 'verwerkersovereenkomst.pdf');
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section aria-labelledby="agreement-title" className="panel">
      <h2 id="agreement-title">{t('pc.agreement')}</h2>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <p>
            {t('pc.agreementVersion', { version: data.current.version, date: formatDate(data.current.date) })}{' '}
            <a href="/verwerkersovereenkomst" target="_blank" rel="noreferrer">
              {t('pc.agreementRead')}
            </a>
          </p>
          {data.accepted ? (
            <p className="success" data-testid="agreement-accepted">
              {t('pc.agreementAccepted', {
                version: data.accepted.version,
                date: formatDate(data.accepted.acceptedAt),
              })}
            </p>
          ) : null}
          {data.mustAccept ? <p className="callout">{t('pc.agreementMustAccept')}</p> : null}
          <div className="actions">
            {data.mustAccept ? (
              <button type="button" onClick={() => void accept()} disabled={busy}>
                {t('pc.agreementAccept')}
              </button>
            ) : null}
            <button type="button" className="secondary" onClick={() => void pdf()}>
              {t('pc.agreementPdf')}
            </button>
          </div>
        </>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

/** The data-protection contact: shown, changed, or confirmed unchanged once a year. */
export function ContactSection() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    () => api<ContactView>('GET', '/api/v1/privacy/contact'),
    [],
  );
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ name: '', email: '', phone: '' });
  const [invalid, setInvalid] = useState<{ name?: string; email?: string }>({});
  const [failure, setFailure] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const startEdit = () => {
    const c = data?.contact;
    setForm({ name: c?.name ?? '', email: c?.email ?? '', phone: c?.phone ?? '' });
    setInvalid({});
    setNotice('');
    setEditing(true);
  };
  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
      setNotice(done);
      setEditing(false);
      reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof invalid = {};
    if (!form.name.trim()) next.name = t('invalid.required');
    if (!form.email.trim()) next.email = t('invalid.required');
    else if (checkField('email', form.email)) next.email = t('invalid.email');
    setInvalid(next);
    if (Object.keys(next).length > 0) return;
    void act(
      () =>
        api('PUT', '/api/v1/privacy/contact', {
          name: form.name.trim(),
          email: form.email.trim(),
          phone: form.phone.trim() || null,
        }),
      t('pc.contactSaved'),
    );
  };
  const c = data?.contact;
  return (
    <section aria-labelledby="contact-title" className="panel">
      <h2 id="contact-title">{t('pc.contact')}</h2>
      <p className="hint">{t('settings.contactIntro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && !editing ? (
        <>
          {c ? (
            <dl className="details">
              <dt>{t('settings.contactName')}</dt>
              <dd>{c.name}</dd>
              <dt>{t('settings.contactEmail')}</dt>
              <dd>{c.email}</dd>
              {c.phone ? (
                <>
                  <dt>{t('settings.contactPhone')}</dt>
                  <dd>{c.phone}</dd>
                </>
              ) : null}
              <dt>{t('pc.contactConfirmed')}</dt>
              <dd>{formatDate(data.confirmedAt)}</dd>
            </dl>
          ) : (
            <Empty>
              <p>{t('pc.contactNone')}</p>
            </Empty>
          )}
          {data.reconfirmDue && c ? <p className="callout">{t('pc.contactReconfirmDue')}</p> : null}
          <div className="actions">
            {c ? (
              <button
                type="button"
                className={data.reconfirmDue ? undefined : 'secondary'}
                disabled={busy}
                onClick={() =>
                  void act(() => api('POST', '/api/v1/privacy/contact/confirm'), t('pc.contactConfirmedNow'))
                }
              >
                {t('pc.contactConfirm')}
              </button>
            ) : null}
            <button type="button" className="secondary" onClick={startEdit}>
              {c ? t('action.edit') : t('pc.contactSet')}
            </button>
          </div>
        </>
      ) : null}
      {editing ? (
        <form className="form" onSubmit={submit} noValidate>
          <Field
            label={t('settings.contactName')}
            value={form.name}
            onChange={(v) => setForm((f) => ({ ...f, name: v }))}
            error={invalid.name}
            required
          />
          <Field
            label={t('settings.contactEmail')}
            type="email"
            value={form.email}
            onChange={(v) => setForm((f) => ({ ...f, email: v }))}
            error={invalid.email}
            required
          />
          <Field
            label={t('settings.contactPhone')}
            type="tel"
            value={form.phone}
            onChange={(v) => setForm((f) => ({ ...f, phone: v }))}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('action.save')}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

/** The subprocessors: the policy for new ones, and an objection or consent per subprocessor. */
export function SubprocessorsSection() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    async () => ({
      list: await api<Subprocessor[]>('GET', '/api/v1/subprocessors'),
      contact: await api<ContactView>('GET', '/api/v1/privacy/contact'),
    }),
    [],
  );
  const [objecting, setObjecting] = useState<string>();
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
      setObjecting(undefined);
      setReason('');
      reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const policy = data?.contact.subprocessorPolicy ?? 'notify_object';
  return (
    <section aria-labelledby="subprocessors-title" className="panel">
      <h2 id="subprocessors-title">{t('pc.subprocessors')}</h2>
      <p className="hint">{t('pc.subprocessorsIntro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <Select
            label={t('pc.policy')}
            value={policy}
            onChange={(v) => void act(() => api('PUT', '/api/v1/privacy/subprocessor-policy', { policy: v }))}
            options={[
              { value: 'notify_object', label: t('pc.policy.notify_object') },
              { value: 'prior_consent', label: t('pc.policy.prior_consent') },
            ]}
          />
          {data.list.length === 0 ? (
            <Empty>
              <p>{t('pc.subprocessorsNone')}</p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">{t('pc.subprocessors')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('pc.spName')}</th>
                    <th scope="col">{t('pc.spPurpose')}</th>
                    <th scope="col">{t('pc.spCountry')}</th>
                    <th scope="col">{t('pc.spFrom')}</th>
                    <th scope="col">{t('pc.spStatus')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.list.map((s) => (
                    <tr key={s.id}>
                      <td>{s.name}</td>
                      <td>{s.purpose}</td>
                      <td>
                        {s.country}
                        {s.parentJurisdiction !== s.country ? ` (${s.parentJurisdiction})` : ''}
                      </td>
                      <td>{formatDate(s.effectiveFrom)}</td>
                      <td>
                        <p>
                          {s.objection
                            ? t('pc.spObjected', { date: formatDate(s.objection.at) })
                            : s.consentedAt
                              ? t('pc.spConsented', { date: formatDate(s.consentedAt) })
                              : s.isUsedForBusiness
                                ? t('pc.spUsed')
                                : t('pc.spNotUsed')}
                        </p>
                        {!s.objection ? (
                          <div className="actions">
                            <button
                              type="button"
                              className="secondary small"
                              aria-label={t('pc.spObjectNamed', { name: s.name })}
                              onClick={() => setObjecting(s.id)}
                            >
                              {t('pc.spObject')}
                            </button>
                            {policy === 'prior_consent' && !s.consentedAt ? (
                              <button
                                type="button"
                                className="small"
                                disabled={busy}
                                aria-label={t('pc.spConsentNamed', { name: s.name })}
                                onClick={() =>
                                  void act(() =>
                                    api('POST', `/api/v1/subprocessors/${encodeURIComponent(s.id)}/consent`),
                                  )
                                }
                              >
                                {t('pc.spConsent')}
                              </button>
                            ) : null}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {objecting ? (
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                void act(() =>
                  api('POST', `/api/v1/subprocessors/${encodeURIComponent(objecting)}/objection`, {
                    reason: reason.trim(),
                  }),
                );
              }}
            >
              <div className="field">
                <label htmlFor="objection-reason">
                  {t('pc.spReason', { name: data.list.find((s) => s.id === objecting)?.name ?? '' })}
                </label>
                <textarea
                  id="objection-reason"
                  rows={3}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </div>
              <div className="actions">
                <button type="submit" disabled={busy}>
                  {t('pc.spObjectSend')}
                </button>
                <button type="button" className="secondary" onClick={() => setObjecting(undefined)}>
                  {t('action.cancel')}
                </button>
              </div>
            </form>
          ) : null}
        </>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

/** The register of processing (GDPR art. 30(2)) and its PDF. */
export function RegisterSection() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    () => api<Register>('GET', '/api/v1/privacy/register'),
    [],
  );
  const [failure, setFailure] = useState<unknown>();
  const pdf = async () => {
    setFailure(undefined);
    try {
      await download('/api/v1/privacy/register.pdf', 'register-van-verwerkingen.pdf');
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section aria-labelledby="register-title" className="panel">
      <h2 id="register-title">{t('pc.register')}</h2>
      <p className="hint">{t('pc.registerIntro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <div className="table-wrap">
            <table lang="nl">
              <caption className="sr-only">{t('pc.register')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pc.regSubject')}</th>
                  <th scope="col">{t('pc.regCategories')}</th>
                  <th scope="col">{t('pc.regPurposes')}</th>
                  <th scope="col">{t('pc.regRetention')}</th>
                </tr>
              </thead>
              <tbody>
                {data.processing.map((p) => (
                  <tr key={p.subject}>
                    <td>{p.subjectLabel}</td>
                    <td>{p.categories.map((c) => c.label).join(', ')}</td>
                    <td>{p.purposes.map((c) => c.label).join(', ')}</td>
                    <td>{p.retention.map((c) => c.label).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>{t('pc.regSubprocessors', { n: data.subprocessors.length })}</p>
          <button type="button" className="secondary" onClick={() => void pdf()}>
            {t('pc.registerPdf')}
          </button>
        </>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

/** The breach notices Kluis sent this business, each with its updates. */
export function BreachNoticesSection() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    async () => (await api<{ items: BreachNotice[] }>('GET', '/api/v1/breach-notices')).items,
    [],
  );
  const [failure, setFailure] = useState<unknown>();
  return (
    <section aria-labelledby="breaches-title" className="panel">
      <h2 id="breaches-title">{t('pc.breaches')}</h2>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.length === 0 ? (
        <Empty>
          <p>{t('pc.breachesNone')}</p>
        </Empty>
      ) : null}
      {data?.map((n) => (
        <details key={n.id} className="panel">
          <summary>
            {t('pc.breachReceived', { date: formatDate(n.receivedAt) })}: {n.nature}
          </summary>
          <dl className="details">
            <dt>{t('pc.breachDescription')}</dt>
            <dd>{n.description}</dd>
            <dt>{t('pc.breachConsequences')}</dt>
            <dd>{n.consequences}</dd>
            <dt>{t('pc.breachMeasures')}</dt>
            <dd>{n.measures}</dd>
            <dt>{t('pc.breachScope')}</dt>
            <dd>{t('pc.breachScopeText', { people: n.people, records: n.records })}</dd>
          </dl>
          {n.updates.length > 0 ? (
            <ul>
              {n.updates.map((u) => (
                <li key={u.seq}>
                  {formatDate(u.at)}: {u.text}
                </li>
              ))}
            </ul>
          ) : null}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void download(
                `/api/v1/breach-notices/${encodeURIComponent(n.id)}/export?format=text`,
                `melding-${n.id}.txt`,
              ).catch(setFailure)
            }
          >
            {t('pc.breachExport')}
          </button>
        </details>
      ))}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}
