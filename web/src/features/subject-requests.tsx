/**
 * The privacy inbox (issue 7 points 7 and 11c): the data-subject requests with their deadlines,
 * and one request with the tools for each right — find the person through the blind indexes,
 * export their data as a ZIP, rectify or complete, restrict or record an objection, erase (after a
 * confirmation that says what is kept) — and the business's decision. Kluis never decides: every
 * button here is the business acting, and the server records it on the request.
 */
import { type FormEvent, useState } from 'react';
import { ApiError, api, download } from '../api.ts';
import { formatDate } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { Confirm, Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';

type Kind = 'access' | 'rectification' | 'completion' | 'erasure' | 'restriction' | 'objection';
interface Request {
  id: string;
  kind: Kind;
  name: string;
  email: string;
  description: string;
  status: 'open' | 'extended' | 'completed' | 'refused';
  receivedAt: string;
  deadlineAt: string;
  overdue: boolean;
  reminderDue: boolean;
}
interface Outcome {
  id: string;
  outcome: string;
  reason: string | null;
  decidedAt: string;
}
interface Match {
  customerId: string;
  name: string | null;
  email: string | null;
  matchedOn: ('email' | 'name' | 'iban')[];
}
interface Restrictions {
  restriction: { since: string } | null;
  objection: { since: string } | null;
}

const base = '/api/v1/subject-requests';
const DECISIONS = new Set(['completed', 'refused', 'extended']);

function Deadline(props: { r: Request }) {
  const t = useT();
  const closed = props.r.status === 'completed' || props.r.status === 'refused';
  return (
    <>
      {formatDate(props.r.deadlineAt)}
      {!closed && props.r.overdue ? <span className="badge badge-overdue"> {t('dsr.overdue')}</span> : null}
      {!closed && !props.r.overdue && props.r.reminderDue ? (
        <span className="badge badge-sent"> {t('dsr.dueSoon')}</span>
      ) : null}
    </>
  );
}

/** The list of requests, newest first. */
export function SubjectRequestsPage() {
  const t = useT();
  useTitle(t('dsr.title'));
  const list = useLoad(() => api<{ items: Request[] }>('GET', base), []);
  const form = useLoad(() => api<{ url: string }>('GET', `${base}/form`), []);
  return (
    <>
      <p>
        <Link to="/privacy-center">{t('admin.back')}</Link>
      </p>
      <h1>{t('dsr.title')}</h1>
      <p>{t('dsr.intro')}</p>
      {form.data ? <p className="hint">{t('dsr.formLink', { url: form.data.url })}</p> : null}
      {list.loading ? <Loading /> : null}
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.items.length === 0 ? <Empty>{t('dsr.empty')}</Empty> : null}
      {list.data && list.data.items.length > 0 ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <section className="table-wrap" tabIndex={0} aria-labelledby="dsr-list-caption">
          <table data-testid="subject-requests">
            <caption id="dsr-list-caption" className="sr-only">
              {t('dsr.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('dsr.colReceived')}</th>
                <th scope="col">{t('dsr.colKind')}</th>
                <th scope="col">{t('dsr.colName')}</th>
                <th scope="col">{t('dsr.colDeadline')}</th>
                <th scope="col">{t('dsr.colStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => (
                <tr key={r.id}>
                  <td>{formatDate(r.receivedAt)}</td>
                  <td>
                    <Link to={`/privacy-center/requests/${r.id}`}>{t(`dsr.kind.${r.kind}` as Key)}</Link>
                  </td>
                  <td>{r.name}</td>
                  <td>
                    <Deadline r={r} />
                  </td>
                  <td>{t(`dsr.status.${r.status}` as Key)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

/** One request: what was asked, what was recorded, the tools and the decision. */
export function SubjectRequestPage(props: { id: string }) {
  const t = useT();
  const loaded = useLoad(
    () => api<Request & { outcomes: Outcome[] }>('GET', `${base}/${props.id}`),
    [props.id],
  );
  const r = loaded.data;
  useTitle(r ? t('dsr.requestTitle', { kind: t(`dsr.kind.${r.kind}` as Key) }) : t('dsr.title'));
  const [chosen, setChosen] = useState<Match>();
  if (loaded.loading && !r) return <Loading />;
  if (!r) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  const closed = r.status === 'completed' || r.status === 'refused';
  return (
    <>
      <p>
        <Link to="/privacy-center/requests">{t('dsr.back')}</Link>
      </p>
      <h1>{t('dsr.requestTitle', { kind: t(`dsr.kind.${r.kind}` as Key).toLowerCase() })}</h1>
      <dl className="panel">
        <dt>{t('dsr.name')}</dt>
        <dd>{r.name}</dd>
        <dt>{t('dsr.email')}</dt>
        <dd>{r.email}</dd>
        <dt>{t('dsr.description')}</dt>
        <dd data-testid="dsr-description">{r.description}</dd>
        <dt>{t('dsr.received')}</dt>
        <dd>{formatDate(r.receivedAt)}</dd>
        <dt>{t('dsr.deadline')}</dt>
        <dd>
          <Deadline r={r} />
        </dd>
        <dt>{t('dsr.colStatus')}</dt>
        <dd data-testid="dsr-status">{t(`dsr.status.${r.status}` as Key)}</dd>
      </dl>
      <section aria-labelledby="dsr-history" className="panel">
        <h2 id="dsr-history">{t('dsr.history')}</h2>
        {r.outcomes.length === 0 ? <p>{t('dsr.noHistory')}</p> : null}
        <ul data-testid="dsr-outcomes">
          {r.outcomes.map((o) => (
            <li key={o.id}>
              {formatDate(o.decidedAt)}: {t(`dsr.outcome.${o.outcome}` as Key)}
              {/* The business's own words; the tools' notes (counts, in English) stay in the API. */}
              {o.reason && DECISIONS.has(o.outcome) ? ` — ${o.reason}` : null}
            </li>
          ))}
        </ul>
      </section>
      <FindPerson request={r} chosen={chosen} onChoose={setChosen} />
      {chosen ? <Tools requestId={r.id} person={chosen} onDone={loaded.reload} /> : null}
      {closed ? <p className="success">{t('dsr.closed')}</p> : <Decide request={r} onDone={loaded.reload} />}
    </>
  );
}

function FindPerson(props: { request: Request; chosen?: Match | undefined; onChoose: (m: Match) => void }) {
  const t = useT();
  const [iban, setIban] = useState('');
  const [matches, setMatches] = useState<Match[]>();
  const [failure, setFailure] = useState<unknown>();
  const find = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    const q = iban.trim() ? `?iban=${encodeURIComponent(iban.trim())}` : '';
    try {
      setMatches((await api<{ items: Match[] }>('GET', `${base}/${props.request.id}/matches${q}`)).items);
    } catch (err) {
      setFailure(err);
    }
  };
  return (
    <section aria-labelledby="dsr-find" className="panel">
      <h2 id="dsr-find">{t('dsr.findTitle')}</h2>
      <p>{t('dsr.findIntro')}</p>
      <form className="form" onSubmit={find}>
        <Field label={t('dsr.iban')} value={iban} onChange={setIban} autoComplete="off" />
        <div className="actions">
          <button type="submit">{t('dsr.find')}</button>
        </div>
      </form>
      {failure ? <ErrorNote error={failure} /> : null}
      {matches && matches.length === 0 ? <p role="status">{t('dsr.noMatches')}</p> : null}
      {matches && matches.length > 0 ? (
        <ul data-testid="dsr-matches">
          {matches.map((m) => (
            <li key={m.customerId}>
              <strong>{m.name}</strong> {m.email ? `(${m.email})` : null} —{' '}
              {t('dsr.matchedOn', {
                fields: m.matchedOn.map((f) => t(`dsr.field.${f}` as Key)).join(', '),
              })}{' '}
              {props.chosen?.customerId === m.customerId ? (
                <span role="status">{t('dsr.chosen', { name: m.name ?? '' })}</span>
              ) : (
                <button type="button" className="secondary" onClick={() => props.onChoose(m)}>
                  {t('dsr.choose')}
                  <span className="sr-only"> {m.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const EMPTY = {
  name: '',
  email: '',
  street: '',
  postalCode: '',
  city: '',
  iban: '',
  vatNumber: '',
  kvkNumber: '',
};

function Tools(props: { requestId: string; person: Match; onDone: () => void }) {
  const t = useT();
  const name = props.person.name ?? '';
  const id = props.person.customerId;
  const [note, setNote] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [fields, setFields] = useState(EMPTY);
  const [kind, setKind] = useState<'rectification' | 'completion'>('rectification');
  const [limits, setLimits] = useState<Restrictions>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    setFailure(undefined);
    setNote(undefined);
    try {
      setNote(await fn());
      props.onDone();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const issueOf = (path: string) =>
    failure instanceof ApiError ? failure.issues.find((i) => i.path === path)?.message : undefined;

  const exportZip = () =>
    act(async () => {
      await download(
        `${base}/${props.requestId}/export.zip?customerId=${encodeURIComponent(id)}`,
        `subject-request-${props.requestId}.zip`,
      );
      return t('dsr.exported');
    });
  const rectify = (e: FormEvent) => {
    e.preventDefault();
    const v = Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, x.trim()]));
    const address = Object.fromEntries(
      (['street', 'postalCode', 'city'] as const).filter((k) => v[k]).map((k) => [k, v[k]]),
    );
    const changes = {
      ...Object.fromEntries(
        (['name', 'email', 'iban', 'vatNumber', 'kvkNumber'] as const)
          .filter((k) => v[k])
          .map((k) => [k, v[k]]),
      ),
      ...(Object.keys(address).length ? { address } : {}),
    };
    return act(async () => {
      const res = await api<{ issuedKept: number }>('POST', `${base}/${props.requestId}/rectification`, {
        customerId: id,
        kind,
        changes,
      });
      setFields(EMPTY);
      return t('dsr.rectified', { n: res.issuedKept });
    });
  };
  const restrict = (which: 'restriction' | 'objection', active: boolean) =>
    act(async () => {
      const res = await api<Restrictions>('POST', `${base}/${props.requestId}/restrictions`, {
        customerId: id,
        kind: which,
        active,
      });
      setLimits(res);
      return t('dsr.recorded');
    });
  const erase = () =>
    act(async () => {
      setConfirming(false);
      const res = await api<{ draftsDeleted: number; issuedKept: number; pseudonymiseFrom: string | null }>(
        'POST',
        `${base}/${props.requestId}/erasure`,
        { customerId: id },
      );
      setLimits({ restriction: { since: new Date().toISOString() }, objection: limits?.objection ?? null });
      const from = res.pseudonymiseFrom
        ? ` ${t('dsr.erasedFrom', { date: formatDate(res.pseudonymiseFrom) })}`
        : '';
      return t('dsr.erased', { drafts: res.draftsDeleted, kept: res.issuedKept }) + from;
    });
  const set = (k: keyof typeof EMPTY) => (value: string) => setFields((f) => ({ ...f, [k]: value }));

  return (
    <section aria-labelledby="dsr-tools" className="panel">
      <h2 id="dsr-tools">{t('dsr.toolsTitle', { name })}</h2>
      <div aria-live="polite">
        {note ? (
          <p className="success" role="status" data-testid="dsr-note">
            {note}
          </p>
        ) : null}
      </div>
      {failure ? <ErrorNote error={failure} /> : null}

      <h3>{t('dsr.exportTitle')}</h3>
      <p>{t('dsr.exportIntro')}</p>
      <button type="button" onClick={exportZip} disabled={busy}>
        {t('dsr.export')}
      </button>

      <h3>{t('dsr.rectifyTitle')}</h3>
      <p>{t('dsr.rectifyIntro')}</p>
      <form className="form" onSubmit={rectify} aria-label={t('dsr.rectifyTitle')}>
        <Select
          label={t('dsr.rectifyKind')}
          value={kind}
          onChange={(v) => setKind(v === 'completion' ? 'completion' : 'rectification')}
          options={[
            { value: 'rectification', label: t('dsr.kind.rectification') },
            { value: 'completion', label: t('dsr.kind.completion') },
          ]}
        />
        <p className="hint">{t('dsr.rectifyOnlyFilled')}</p>
        <Field label={t('dsr.name')} value={fields.name} onChange={set('name')} error={issueOf('name')} />
        <Field
          label={t('dsr.email')}
          type="email"
          value={fields.email}
          onChange={set('email')}
          error={issueOf('email')}
        />
        <Field
          label={t('dsr.street')}
          value={fields.street}
          onChange={set('street')}
          error={issueOf('address.street')}
        />
        <Field
          label={t('dsr.postalCode')}
          value={fields.postalCode}
          onChange={set('postalCode')}
          error={issueOf('address.postalCode')}
        />
        <Field
          label={t('dsr.city')}
          value={fields.city}
          onChange={set('city')}
          error={issueOf('address.city')}
        />
        <Field label="IBAN" value={fields.iban} onChange={set('iban')} error={issueOf('iban')} />
        <Field
          label={t('dsr.vatNumber')}
          value={fields.vatNumber}
          onChange={set('vatNumber')}
          error={issueOf('vatNumber')}
        />
        <Field
          label={t('dsr.kvkNumber')}
          value={fields.kvkNumber}
          onChange={set('kvkNumber')}
          error={issueOf('kvkNumber')}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('dsr.save')}
          </button>
        </div>
      </form>

      <h3>{t('dsr.restrictTitle')}</h3>
      <p>{t('dsr.restrictIntro')}</p>
      {limits?.restriction ? (
        <p>{t('dsr.restrictionOn', { date: formatDate(limits.restriction.since) })}</p>
      ) : null}
      {limits?.objection ? <p>{t('dsr.objectionOn', { date: formatDate(limits.objection.since) })}</p> : null}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => restrict('restriction', !limits?.restriction)}
        >
          {t(limits?.restriction ? 'dsr.unrestrict' : 'dsr.restrict')}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => restrict('objection', !limits?.objection)}
        >
          {t(limits?.objection ? 'dsr.unobject' : 'dsr.object')}
        </button>
      </div>

      <h3>{t('dsr.eraseTitle')}</h3>
      <p>{t('dsr.eraseIntro')}</p>
      <button type="button" className="secondary danger" disabled={busy} onClick={() => setConfirming(true)}>
        {t('dsr.erase')}
      </button>
      <Confirm
        open={confirming}
        title={t('dsr.eraseConfirmTitle', { name })}
        confirmLabel={t('dsr.eraseConfirmButton')}
        onConfirm={erase}
        onCancel={() => setConfirming(false)}
        busy={busy}
      >
        <ul>
          <li>{t('dsr.eraseConfirm1')}</li>
          <li>{t('dsr.eraseConfirm2')}</li>
          <li>{t('dsr.eraseConfirm3')}</li>
        </ul>
        <p>
          <strong>{t('dsr.eraseConfirm4')}</strong>
        </p>
      </Confirm>
    </section>
  );
}

function Decide(props: { request: Request; onDone: () => void }) {
  const t = useT();
  const [outcome, setOutcome] = useState<'completed' | 'refused' | 'extended'>('completed');
  const [reason, setReason] = useState('');
  const [months, setMonths] = useState('1');
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    setDone(false);
    try {
      await api('POST', `${base}/${props.request.id}/outcome`, {
        outcome,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(outcome === 'extended' ? { months: Number(months) } : {}),
      });
      setDone(true);
      setReason('');
      props.onDone();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="dsr-decide" className="panel">
      <h2 id="dsr-decide">{t('dsr.outcomeTitle')}</h2>
      <p>{t('dsr.outcomeIntro')}</p>
      <form className="form" onSubmit={submit}>
        <Select
          label={t('dsr.outcome')}
          value={outcome}
          onChange={(v) =>
            setOutcome(v === 'refused' ? 'refused' : v === 'extended' ? 'extended' : 'completed')
          }
          options={(['completed', 'refused', 'extended'] as const).map((o) => ({
            value: o,
            label: t(`dsr.outcome.${o}`),
          }))}
        />
        <div className="field">
          <label htmlFor="dsr-reason">
            {t('dsr.reason')}
            {outcome === 'completed' ? null : <span aria-hidden="true"> *</span>}
          </label>
          <textarea
            id="dsr-reason"
            rows={3}
            value={reason}
            required={outcome !== 'completed'}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        {outcome === 'extended' ? (
          <Select
            label={t('dsr.months')}
            value={months}
            onChange={setMonths}
            options={[
              { value: '1', label: t('dsr.oneMonth') },
              { value: '2', label: t('dsr.twoMonths') },
            ]}
          />
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('dsr.record')}
          </button>
        </div>
      </form>
      {done ? (
        <p className="success" role="status">
          {t('dsr.recorded')}
        </p>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}
