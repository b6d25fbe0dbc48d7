/**
 * Support access (issue 6 point 14, ADR 0057), on `/api/v1/support-access`: the owner gives the
 * provider's staff read access for a chosen time with a reason, sees every grant with its status
 * and every access (when, which staff account, what was read), and revokes a grant at once.
 * Admins see the same read-only; other roles are told they cannot see it.
 */
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { Confirm, Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';

interface Access {
  id: string;
  at: string;
  operatorId: string | null;
  resource: string;
  recordId: string | null;
}
interface Grant {
  id: string;
  reason: string;
  operatorId: string | null;
  grantedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  accesses: Access[];
}
interface Me {
  role: string | null;
}

const HOURS = ['1', '4', '24', '72', '168'] as const;
const when = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'short', timeStyle: 'short' });
const at = (iso: string) => when.format(new Date(iso));

/** The owner's form: duration, reason, optionally one staff account. */
function GrantForm(props: { onGranted: (g: Grant) => void }) {
  const t = useT();
  const [hours, setHours] = useState('24');
  const [reason, setReason] = useState('');
  const [operatorId, setOperatorId] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      const body = {
        hours: Number(hours),
        reason,
        ...(operatorId.trim() ? { operatorId: operatorId.trim() } : {}),
      };
      props.onGranted(await api<Grant>('POST', '/api/v1/support-access', body));
      setReason('');
      setOperatorId('');
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  const issue = (path: string) =>
    failure instanceof ApiError && failure.issues.some((i) => i.path === path)
      ? t(`error.${failure.issues.find((i) => i.path === path)?.code}` as Key)
      : undefined;
  return (
    <form className="form panel" onSubmit={submit} noValidate aria-labelledby="support-grant-title">
      <h2 id="support-grant-title">{t('support.grantTitle')}</h2>
      <Select
        label={t('support.duration')}
        value={hours}
        onChange={setHours}
        options={HOURS.map((h) => ({ value: h, label: t(`support.hours${h}` as Key) }))}
        required
      />
      <Field
        label={t('support.reason')}
        value={reason}
        onChange={setReason}
        hint={t('support.reasonHint')}
        error={issue('reason')}
        required
      />
      <Field
        label={t('support.operator')}
        value={operatorId}
        onChange={setOperatorId}
        hint={t('support.operatorHint')}
        error={issue('operatorId')}
      />
      {failure && !(failure instanceof ApiError && failure.issues.length) ? (
        <ErrorNote error={failure} />
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('support.grant')}
        </button>
      </div>
    </form>
  );
}

/** The accesses of one grant. */
function Accesses(props: { grant: Grant }) {
  const t = useT();
  const { grant } = props;
  if (grant.accesses.length === 0) return <p className="hint">{t('support.noAccesses')}</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">
          {t('support.historyTitle')}: {grant.reason}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('support.colTime')}</th>
            <th scope="col">{t('support.colOperator')}</th>
            <th scope="col">{t('support.colWhat')}</th>
            <th scope="col">{t('support.colRecord')}</th>
          </tr>
        </thead>
        <tbody>
          {grant.accesses.map((a) => (
            <tr key={a.id}>
              <td>{at(a.at)}</td>
              <td>
                <code>{a.operatorId ?? ''}</code>
              </td>
              <td>{t(`support.what.${a.resource}` as Key)}</td>
              <td>{a.recordId ? <code>{a.recordId}</code> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The support-access screen. */
export function SupportAccessPage() {
  const t = useT();
  useTitle(t('support.title'));
  const { data, error, loading, reload } = useLoad(
    async () => ({
      me: await api<Me>('GET', '/api/v1/me'),
      grants: (await api<{ items: Grant[] }>('GET', '/api/v1/support-access')).items,
    }),
    [],
  );
  const [notice, setNotice] = useState('');
  const [revoking, setRevoking] = useState<Grant>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const isOwner = data?.me.role === 'owner';
  const forbidden = error instanceof ApiError && error.status === 403;

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api<Grant>('POST', `/api/v1/support-access/${encodeURIComponent(revoking.id)}/revoke`);
      setNotice(t('support.revoked'));
      reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
      setRevoking(undefined);
    }
  };

  return (
    <>
      <p>
        <Link to="/privacy-center">{t('admin.back')}</Link>
      </p>
      <h1>{t('support.title')}</h1>
      <p className="lead">{t('support.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {forbidden ? <Empty>{t('support.notAllowed')}</Empty> : null}
      {error && !forbidden ? <ErrorNote error={error} onRetry={reload} /> : null}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
      {data && isOwner ? (
        <GrantForm
          onGranted={(g) => {
            setNotice(t('support.granted', { until: at(g.expiresAt) }));
            reload();
          }}
        />
      ) : null}
      {data && !isOwner ? <p className="hint">{t('support.ownerOnly')}</p> : null}
      {data ? (
        <section aria-labelledby="support-list-title" className="panel">
          <h2 id="support-list-title">{t('support.listTitle')}</h2>
          {data.grants.length === 0 ? <Empty>{t('support.empty')}</Empty> : null}
          {data.grants.map((g) => (
            <article key={g.id} className="panel" aria-label={`${t('support.colReason')}: ${g.reason}`}>
              <dl className="details">
                <dt>{t('support.colStatus')}</dt>
                <dd>
                  <span className={`badge ${g.status === 'active' ? 'badge-paid' : 'badge-draft'}`}>
                    {t(`support.status.${g.status}` as Key)}
                  </span>
                </dd>
                <dt>{t('support.colReason')}</dt>
                <dd>{g.reason}</dd>
                <dt>{t('support.colUntil')}</dt>
                <dd>{at(g.revokedAt ?? g.expiresAt)}</dd>
                <dt>{t('support.colWho')}</dt>
                <dd>{g.operatorId ? <code>{g.operatorId}</code> : t('support.anyone')}</dd>
                <dt>{t('support.colUsed')}</dt>
                <dd>{g.accesses.length}</dd>
              </dl>
              <h3>{t('support.historyTitle')}</h3>
              <Accesses grant={g} />
              {isOwner && g.status === 'active' ? (
                <div className="actions">
                  <button type="button" className="secondary danger" onClick={() => setRevoking(g)}>
                    {t('support.revoke')}
                  </button>
                </div>
              ) : null}
            </article>
          ))}
        </section>
      ) : null}
      <Confirm
        open={revoking !== undefined}
        title={t('support.revokeTitle')}
        confirmLabel={t('support.revoke')}
        onConfirm={revoke}
        onCancel={() => setRevoking(undefined)}
        busy={busy}
      >
        <p>{t('support.revokeBody')}</p>
      </Confirm>
    </>
  );
}
