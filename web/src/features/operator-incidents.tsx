/**
 * Incidents in the operator console (Privacy center point 11): the list with each incident's
 * 48-hour clock (time left, and a badge for the escalations at 24 and 36 hours and for overdue,
 * in words, never colour alone), the overdue notices, a form to record one, and an incident's page
 * to scope it, notify the businesses, append updates and close it. The rules are the server's.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { formatDate } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, navigate, useTitle } from '../router.tsx';
import { Confirm, Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { listTenants, tenantLabel } from './operator-console.tsx';

interface Scope {
  businessId: string;
  people: number;
  records: number;
  notifiedAt: string | null;
  state: string;
  late: boolean;
}
interface Incident {
  id: string;
  status: 'open' | 'closed';
  discoveredAt: string;
  nature: string;
  systems: string[];
  dataCategories: string[];
  description: string;
  consequences: string;
  measures: string;
  encryption: string;
  contact: string;
  deadline: string;
  state: string;
  msLeft: number;
  scope: Scope[];
  updates: { seq: number; at: string; text: string }[];
}
interface Overdue {
  incidentId: string;
  businessId: string;
  hoursOverdue: number;
}

const BADGE: Record<string, string> = {
  notified: 'badge-paid',
  pending: 'badge-issued',
  escalated_24h: 'badge-partially_paid',
  escalated_36h: 'badge-partially_paid',
  overdue: 'badge-overdue',
};

/** The clock's state in words, as a badge. */
function ClockBadge(props: { state: string }) {
  const t = useT();
  return (
    <span className={`badge ${BADGE[props.state] ?? 'badge-draft'}`}>
      {t(`op.clock.${props.state}` as Key)}
    </span>
  );
}

/** Milliseconds since the screen loaded, updated every 30 seconds, so "time left" keeps counting. */
function useElapsed(): number {
  const [start] = useState(() => Date.now());
  const [now, setNow] = useState(start);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now - start;
}

/** "12 u 5 min" left, or "3 u 10 min" late. */
function TimeLeft(props: { msLeft: number; closed: boolean; notified: boolean }) {
  const t = useT();
  if (props.closed) return <>{t('op.clock.closed')}</>;
  if (props.notified) return <>{t('op.clock.notified')}</>;
  const abs = Math.abs(props.msLeft);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  return <>{t(props.msLeft >= 0 ? 'op.clock.left' : 'op.clock.late', { h, m })}</>;
}

const CATEGORIES = ['name', 'contact_person', 'address', 'email', 'phone', 'bank_account', 'vat_number'];
const ENCRYPTION = ['encrypted', 'partly_encrypted', 'not_encrypted', 'unknown'] as const;

function nowLocal(): string {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function NewIncident(props: { onCreated: (id: string) => void }) {
  const t = useT();
  const [discovered, setDiscovered] = useState(nowLocal);
  const [nature, setNature] = useState('');
  const [systems, setSystems] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [consequences, setConsequences] = useState('');
  const [measures, setMeasures] = useState('');
  const [encryption, setEncryption] = useState<string>('encrypted');
  const [contact, setContact] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const issue = (path: string) =>
    error instanceof ApiError ? error.issues.find((i) => i.path === path)?.message : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const at = new Date(discovered);
      const created = await api<Incident>('POST', '/api/operator/v1/incidents', {
        discoveredAt: Number.isNaN(at.getTime()) ? discovered : at.toISOString(),
        nature,
        systems: systems
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        dataCategories: categories,
        description,
        consequences,
        measures,
        encryption,
        contact,
      });
      props.onCreated(created.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const area = (id: string, label: string, value: string, set: (v: string) => void, path: string) => (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <span aria-hidden="true"> *</span>
      </label>
      <textarea
        id={id}
        rows={3}
        required
        value={value}
        aria-invalid={issue(path) ? true : undefined}
        onChange={(e) => set(e.target.value)}
      />
      {issue(path) ? <p className="field-error">{issue(path)}</p> : null}
    </div>
  );

  return (
    <form className="form panel" onSubmit={submit} noValidate aria-labelledby="op-incident-form">
      <h2 id="op-incident-form">{t('op.inc.new')}</h2>
      <Field
        label={t('op.inc.discovered')}
        type="datetime-local"
        value={discovered}
        onChange={setDiscovered}
        required
        error={issue('discoveredAt')}
      />
      <Field
        label={t('op.inc.nature')}
        hint={t('op.inc.natureHint')}
        value={nature}
        onChange={setNature}
        required
        error={issue('nature')}
      />
      <Field
        label={t('op.inc.systems')}
        hint={t('op.inc.systemsHint')}
        value={systems}
        onChange={setSystems}
        required
        error={issue('systems')}
      />
      <fieldset>
        <legend>{t('op.inc.categories')}</legend>
        {CATEGORIES.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={categories.includes(c)}
              onChange={(e) =>
                setCategories((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))
              }
            />{' '}
            {t(`op.category.${c}` as Key)}
          </label>
        ))}
      </fieldset>
      {area('op-inc-description', t('op.inc.description'), description, setDescription, 'description')}
      {area('op-inc-consequences', t('op.inc.consequences'), consequences, setConsequences, 'consequences')}
      {area('op-inc-measures', t('op.inc.measures'), measures, setMeasures, 'measures')}
      <Select
        label={t('op.inc.encryption')}
        value={encryption}
        onChange={setEncryption}
        options={ENCRYPTION.map((v) => ({ value: v, label: t(`op.encryption.${v}` as Key) }))}
      />
      <Field
        label={t('op.inc.contact')}
        hint={t('op.inc.contactHint')}
        value={contact}
        onChange={setContact}
        required
        error={issue('contact')}
      />
      {error ? <ErrorNote error={error} /> : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('op.inc.record')}
        </button>
      </div>
    </form>
  );
}

/** The incidents with their clocks, the overdue notices, and the form to record one. */
export function IncidentsPage() {
  const t = useT();
  useTitle(t('op.inc.title'));
  const elapsed = useElapsed();
  const { data, error, loading, reload } = useLoad(
    () =>
      Promise.all([
        api<{ items: Incident[]; overdue: Overdue[] }>('GET', '/api/operator/v1/incidents'),
        listTenants(),
      ]),
    [],
  );
  const [list, tenants] = data ?? [];
  return (
    <>
      <h1>{t('op.inc.title')}</h1>
      <p className="lead">{t('op.inc.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {list && list.overdue.length > 0 ? (
        <div className="callout" role="alert">
          <h2>{t('op.inc.overdueTitle')}</h2>
          <ul>
            {list.overdue.map((o) => (
              <li key={`${o.incidentId}-${o.businessId}`}>
                <Link to={`/operator/incidents/${o.incidentId}`}>
                  {t('op.inc.overdueLine', {
                    business: tenantLabel(tenants?.items, o.businessId),
                    h: o.hoursOverdue,
                  })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {list && list.items.length === 0 ? <Empty>{t('op.inc.empty')}</Empty> : null}
      {list && list.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('op.inc.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('op.inc.discovered')}</th>
                <th scope="col">{t('op.inc.nature')}</th>
                <th scope="col">{t('op.inc.clock')}</th>
                <th scope="col">{t('op.inc.timeLeft')}</th>
                <th scope="col">{t('op.inc.notified')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/operator/incidents/${i.id}`}>{formatDateTime(i.discoveredAt)}</Link>
                  </td>
                  <td>{i.nature}</td>
                  <td>{i.status === 'closed' ? t('op.clock.closed') : <ClockBadge state={i.state} />}</td>
                  <td>
                    <TimeLeft
                      msLeft={i.msLeft - elapsed}
                      closed={i.status === 'closed'}
                      notified={i.state === 'notified'}
                    />
                  </td>
                  <td>
                    {i.scope.filter((s) => s.notifiedAt).length} / {i.scope.length}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <NewIncident onCreated={(id) => navigate(`/operator/incidents/${id}`)} />
    </>
  );
}

function formatDateTime(iso: string): string {
  return `${formatDate(iso)} ${iso.slice(11, 16)} UTC`;
}

/** One incident: its clock, scope, notices, updates, and closing. */
export function IncidentPage(props: { id: string }) {
  const t = useT();
  const elapsed = useElapsed();
  const { data, error, loading, reload } = useLoad(
    () =>
      Promise.all([
        api<Incident>('GET', `/api/operator/v1/incidents/${encodeURIComponent(props.id)}`),
        listTenants(),
      ]),
    [props.id],
  );
  const [incident, tenants] = data ?? [];
  useTitle(t('op.inc.pageTitle'));
  const [chosen, setChosen] = useState<string[]>([]);
  const [update, setUpdate] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [message, setMessage] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);

  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    setActionError(undefined);
    setMessage('');
    try {
      setMessage(await run());
      reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  const base = `/api/operator/v1/incidents/${encodeURIComponent(props.id)}`;
  const scope = (all: boolean) =>
    act(async () => {
      await api('POST', `${base}/scope`, all ? { all: true } : { businesses: chosen });
      setChosen([]);
      return t('op.inc.scoped');
    });
  const notify = () =>
    act(async () => {
      const r = await api<{ notified: string[]; withoutContact: string[] }>('POST', `${base}/notify`);
      return t('op.inc.notifiedCount', { n: r.notified.length, missing: r.withoutContact.length });
    });
  const sendUpdate = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const r = await api<{ sentTo: string[] }>('POST', `${base}/updates`, { text: update });
      setUpdate('');
      return t('op.inc.updateSent', { n: r.sentTo.length });
    });
  };
  const close = () =>
    act(async () => {
      setConfirmClose(false);
      await api('POST', `${base}/close`);
      return t('op.inc.closedDone');
    });

  const active = tenants?.items.filter((x) => x.status === 'active') ?? [];
  const inScope = new Set(incident?.scope.map((s) => s.businessId));
  const open = incident?.status === 'open';
  return (
    <>
      <p>
        <Link to="/operator/incidents">{t('op.inc.back')}</Link>
      </p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {incident ? (
        <>
          <div className="section-head">
            <h1>{t('op.inc.pageTitle')}</h1>
            {open ? (
              <ClockBadge state={incident.state} />
            ) : (
              <span className="badge badge-draft">{t('op.clock.closed')}</span>
            )}
          </div>
          <dl className="details">
            <dt>{t('op.inc.discovered')}</dt>
            <dd>{formatDateTime(incident.discoveredAt)}</dd>
            <dt>{t('op.inc.deadline')}</dt>
            <dd>{formatDateTime(incident.deadline)}</dd>
            <dt>{t('op.inc.timeLeft')}</dt>
            <dd>
              <TimeLeft
                msLeft={incident.msLeft - elapsed}
                closed={!open}
                notified={incident.state === 'notified'}
              />
            </dd>
            <dt>{t('op.inc.nature')}</dt>
            <dd>{incident.nature}</dd>
            <dt>{t('op.inc.systems')}</dt>
            <dd>{incident.systems.join(', ')}</dd>
            <dt>{t('op.inc.categories')}</dt>
            <dd>{incident.dataCategories.map((c) => t(`op.category.${c}` as Key)).join(', ') || '—'}</dd>
            <dt>{t('op.inc.description')}</dt>
            <dd>{incident.description}</dd>
          </dl>

          {actionError ? <ErrorNote error={actionError} /> : null}
          {message ? (
            <p className="success" role="status">
              {message}
            </p>
          ) : null}

          <h2>{t('op.inc.scope')}</h2>
          {incident.scope.length === 0 ? <Empty>{t('op.inc.noScope')}</Empty> : null}
          {incident.scope.length > 0 ? (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">{t('op.inc.scope')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('op.tenants.name')}</th>
                    <th scope="col">{t('op.inc.people')}</th>
                    <th scope="col">{t('op.inc.records')}</th>
                    <th scope="col">{t('op.inc.clock')}</th>
                    <th scope="col">{t('op.inc.notifiedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {incident.scope.map((s) => (
                    <tr key={s.businessId}>
                      <td>{tenantLabel(tenants?.items, s.businessId)}</td>
                      <td>{s.people}</td>
                      <td>{s.records}</td>
                      <td>
                        <ClockBadge state={s.state} />
                        {s.late ? ` ${t('op.inc.lateNote')}` : ''}
                      </td>
                      <td>{s.notifiedAt ? formatDateTime(s.notifiedAt) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}

          {open ? (
            <>
              <fieldset className="panel">
                <legend>{t('op.inc.chooseBusinesses')}</legend>
                {active.filter((x) => !inScope.has(x.id)).length === 0 ? (
                  <p className="hint">{t('op.inc.allInScope')}</p>
                ) : null}
                {active
                  .filter((x) => !inScope.has(x.id))
                  .map((x) => (
                    <label key={x.id} className="check">
                      <input
                        type="checkbox"
                        checked={chosen.includes(x.id)}
                        onChange={(e) =>
                          setChosen((l) => (e.target.checked ? [...l, x.id] : l.filter((y) => y !== x.id)))
                        }
                      />{' '}
                      {x.name ?? x.id}
                    </label>
                  ))}
                <div className="actions">
                  <button
                    type="button"
                    disabled={busy || chosen.length === 0}
                    onClick={() => void scope(false)}
                  >
                    {t('op.inc.scopeChosen')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={() => void scope(true)}
                  >
                    {t('op.inc.scopeAll')}
                  </button>
                </div>
              </fieldset>
              <div className="actions">
                <button
                  type="button"
                  disabled={busy || incident.scope.every((s) => s.notifiedAt)}
                  onClick={() => void notify()}
                >
                  {t('op.inc.notify')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() => setConfirmClose(true)}
                >
                  {t('op.inc.close')}
                </button>
              </div>
            </>
          ) : null}

          <h2>{t('op.inc.updates')}</h2>
          {incident.updates.length === 0 ? <Empty>{t('op.inc.noUpdates')}</Empty> : null}
          <ol>
            {incident.updates.map((u) => (
              <li key={u.seq}>
                <strong>{formatDateTime(u.at)}</strong>: {u.text}
              </li>
            ))}
          </ol>
          {open ? (
            <form className="form" onSubmit={sendUpdate} noValidate>
              <div className="field">
                <label htmlFor="op-inc-update">{t('op.inc.updateLabel')}</label>
                <textarea
                  id="op-inc-update"
                  rows={3}
                  value={update}
                  onChange={(e) => setUpdate(e.target.value)}
                />
              </div>
              <div className="actions">
                <button type="submit" disabled={busy || update.trim() === ''}>
                  {t('op.inc.sendUpdate')}
                </button>
              </div>
            </form>
          ) : null}
          <Confirm
            open={confirmClose}
            title={t('op.inc.closeTitle')}
            confirmLabel={t('op.inc.close')}
            onConfirm={() => void close()}
            onCancel={() => setConfirmClose(false)}
            busy={busy}
          >
            <p>{t('op.inc.closeText')}</p>
          </Confirm>
        </>
      ) : null}
    </>
  );
}
