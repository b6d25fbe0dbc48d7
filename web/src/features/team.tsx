/**
 * People and API access of the business (owners and admins): the members with their roles, an
 * invitation by e-mail with a role, and API clients for integrations — whose secret is shown once,
 * right after it was made, because Kluis keeps only its hash.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { useTitle } from '../router.tsx';
import { Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { RedirectUris, redirectError, redirectUrisOf } from './client-redirects.tsx';
import { SCOPES, ScopeChoice, ScopeList } from './client-scopes.tsx';
import { type Member, MembersTable } from './members-table.tsx';

interface Client {
  id: string;
  name: string;
  scopes: string[];
  redirectUris: string[];
  createdAt: string;
  revokedAt: string | null;
}

const ROLES = ['owner', 'admin', 'bookkeeper', 'viewer'] as const;

/** The team screen. */
export function TeamPage() {
  const t = useT();
  useTitle(t('team.title'));
  const { data, error, loading, reload } = useLoad(
    async () => ({
      members: await api<Member[]>('GET', '/api/v1/members'),
      clients: await api<Client[]>('GET', '/api/v1/clients'),
    }),
    [],
  );
  const roles = ROLES.map((r) => ({ value: r, label: t(`role.${r}` as Key) }));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('bookkeeper');
  const [clientName, setClientName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...SCOPES]);
  const [redirects, setRedirects] = useState('');
  const [secret, setSecret] = useState<{ id: string; secret: string }>();
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    setNotice('');
    try {
      await work();
      reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const invite = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      await api('POST', '/api/v1/invitations', { email: email.trim(), role });
      setNotice(t('team.invited', { email: email.trim() }));
      setEmail('');
    });
  };
  const makeClient = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      const r = await api<{ clientId: string; clientSecret: string }>('POST', '/api/v1/clients', {
        name: clientName.trim(),
        scopes,
        ...(redirectUrisOf(redirects).length > 0 ? { redirectUris: redirectUrisOf(redirects) } : {}),
      });
      setSecret({ id: r.clientId, secret: r.clientSecret });
      setClientName('');
      setRedirects('');
    });
  };

  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  return (
    <>
      <h1>{t('team.title')}</h1>
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('team.members')}</h2>
        <MembersTable members={data.members} onChanged={reload} />
        <form onSubmit={invite} className="form row panel" noValidate>
          <Field label={t('team.inviteEmail')} type="email" value={email} onChange={setEmail} required />
          <Select label={t('team.role')} value={role} onChange={setRole} options={roles} />
          <div className="field field-button">
            <button type="submit" disabled={busy || !email.trim()}>
              {t('team.invite')}
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby="clients-title" className="panel">
        <h2 id="clients-title">{t('team.clients')}</h2>
        <p>{t('team.clientsIntro')}</p>
        {data.clients.length === 0 ? (
          <Empty>
            <p>{t('team.noClients')}</p>
          </Empty>
        ) : (
          <ul className="recent">
            {data.clients.map((c) => (
              <li key={c.id}>
                <span>{c.name}</span>
                <code>{c.id}</code>
                <ScopeList scopes={c.scopes} />
                {c.redirectUris.length > 0 ? (
                  <span className="badge badge-draft">{t('clients.interactive')}</span>
                ) : null}
                <span>{formatDate(c.createdAt)}</span>
                {c.revokedAt ? (
                  <span className="badge badge-credited">{t('team.revoked')}</span>
                ) : (
                  <button
                    type="button"
                    className="secondary small"
                    disabled={busy}
                    onClick={() => act(() => api('POST', `/api/v1/clients/${c.id}/revoke`))}
                  >
                    {t('team.revoke')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {secret ? (
          <div className="callout" role="status">
            <p>{t('team.secretOnce')}</p>
            <p>
              <code>{secret.id}</code>
            </p>
            <p>
              <code data-testid="client-secret">{secret.secret}</code>
            </p>
          </div>
        ) : null}
        <form onSubmit={makeClient} className="form row" noValidate>
          <Field label={t('team.clientName')} value={clientName} onChange={setClientName} required />
          <ScopeChoice value={scopes} onChange={setScopes} />
          <RedirectUris value={redirects} onChange={setRedirects} invalid={redirectError(failure)} />
          <div className="field field-button">
            <button type="submit" disabled={busy || !clientName.trim() || scopes.length === 0}>
              {t('team.makeClient')}
            </button>
          </div>
        </form>
      </section>
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </>
  );
}
