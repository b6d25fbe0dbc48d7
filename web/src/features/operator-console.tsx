/**
 * The operator's console (issue 7 point 8; ADR 0058): shown instead of the business app when the
 * signed-in person is one of the operator's staff. Its own header and navigation under /operator:
 * businesses with their lifecycle, subprocessors, incidents with their 48-hour clocks, and the
 * register of processing. Whether the session is an operator's is read from the access token's
 * `kluis_operator` claim only to choose the screens; the server checks every call itself.
 */
import { useEffect, useState } from 'react';
import { api, download } from '../api.ts';
import { accessToken, hasSession, signOut } from '../auth/oidc.ts';
import { formatDate } from '../format.ts';
import { type Key, useLang, useT } from '../i18n.tsx';
import { Link, match, navigate, useLocation, useTitle } from '../router.tsx';
import { Empty, ErrorNote, Loading, useLoad } from '../ui.tsx';
import { IncidentPage, IncidentsPage } from './operator-incidents.tsx';
import { SubprocessorsPage } from './operator-subprocessors.tsx';

/** The claims of the current access token (unverified: for choosing screens, never for access). */
async function tokenClaims(): Promise<Record<string, unknown> | undefined> {
  const token = await accessToken();
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** True when the session is an operator's, false when not (or signed out), undefined while reading. */
export function useOperatorSession(): boolean | undefined {
  const signedIn = hasSession();
  // The answer is kept with the session state it was read for, so a fresh sign-in reads again.
  const [read, setRead] = useState<{ signedIn: boolean; isOperator: boolean } | undefined>();
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    tokenClaims().then(
      (c) => live && setRead({ signedIn, isOperator: c?.kluis_operator === true }),
      () => live && setRead({ signedIn, isOperator: false }),
    );
    return () => {
      live = false;
    };
  }, [signedIn]);
  if (!signedIn) return false;
  return read?.signedIn === signedIn ? read.isOperator : undefined;
}

/** One business with its lifecycle, as GET /api/operator/v1/tenants answers. */
export interface TenantRow {
  id: string;
  name: string | null;
  status: string;
  createdAt: string;
  subscriptionEndedAt: string | null;
  retentionDeadline: string | null;
  deletionStatus: string;
  resumedAt: string | null;
  certifiedAt: string | null;
}

/** Every business, for the screens that name them. */
export const listTenants = () => api<{ items: TenantRow[] }>('GET', '/api/operator/v1/tenants');

/** A business's name for the console: its name, or a short id once its keys are destroyed. */
export function tenantLabel(tenants: readonly TenantRow[] | undefined, id: string): string {
  return tenants?.find((t) => t.id === id)?.name ?? id.slice(-12);
}

function TenantsPage() {
  const t = useT();
  useTitle(t('op.tenants.title'));
  const { data, error, loading, reload } = useLoad(listTenants, []);
  return (
    <>
      <h1>{t('op.tenants.title')}</h1>
      <p className="lead">{t('op.tenants.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.items.length === 0 ? <Empty>{t('op.tenants.empty')}</Empty> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('op.tenants.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('op.tenants.name')}</th>
                <th scope="col">{t('op.tenants.created')}</th>
                <th scope="col">{t('op.tenants.ended')}</th>
                <th scope="col">{t('op.tenants.deadline')}</th>
                <th scope="col">{t('op.tenants.deletion')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((row) => (
                <tr key={row.id}>
                  <td>{row.name ?? t('op.tenants.shredded')}</td>
                  <td>{formatDate(row.createdAt)}</td>
                  <td>
                    {row.subscriptionEndedAt ? formatDate(row.subscriptionEndedAt) : t('op.tenants.running')}
                  </td>
                  <td>{formatDate(row.retentionDeadline)}</td>
                  <td>{t(`op.deletion.${row.deletionStatus}` as Key)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

interface Register {
  generatedAt: string;
  controllers: { businessId: string; name: string | null; contact: { name: string; email: string } | null }[];
  processing: { subject: string; subjectLabel: string; categories: { label: string }[] }[];
  subprocessors: { id: string; name: string; country: string; isThirdCountry: boolean }[];
}

function RegisterPage() {
  const t = useT();
  useTitle(t('op.register.title'));
  const { data, error, loading, reload } = useLoad(
    () => api<Register>('GET', '/api/operator/v1/register'),
    [],
  );
  const [downloadError, setDownloadError] = useState<unknown>();
  const pdf = () => {
    setDownloadError(undefined);
    download('/api/operator/v1/register.pdf', 'register-van-verwerkingen.pdf').catch(setDownloadError);
  };
  return (
    <>
      <div className="section-head">
        <h1>{t('op.register.title')}</h1>
        <div className="actions">
          <button type="button" className="secondary" onClick={pdf}>
            {t('op.register.pdf')}
          </button>
        </div>
      </div>
      <p className="lead">{t('op.register.intro')}</p>
      {downloadError ? <ErrorNote error={downloadError} /> : null}
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <h2>{t('op.register.controllers')}</h2>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">{t('op.register.controllers')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('op.tenants.name')}</th>
                  <th scope="col">{t('op.register.contact')}</th>
                </tr>
              </thead>
              <tbody>
                {data.controllers.map((c) => (
                  <tr key={c.businessId}>
                    <td>{c.name ?? c.businessId}</td>
                    <td>
                      {c.contact ? `${c.contact.name}, ${c.contact.email}` : t('op.register.noContact')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t('op.register.processing')}</h2>
          <ul>
            {data.processing.map((p) => (
              <li key={p.subject}>
                <strong>{p.subjectLabel}</strong>: {p.categories.map((c) => c.label).join(', ')}
              </li>
            ))}
          </ul>
          <h2>{t('op.register.subprocessors')}</h2>
          {data.subprocessors.length === 0 ? (
            <Empty>{t('op.subs.empty')}</Empty>
          ) : (
            <ul>
              {data.subprocessors.map((s) => (
                <li key={s.id}>
                  {s.name} ({s.country}){s.isThirdCountry ? ` — ${t('op.register.thirdCountry')}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </>
  );
}

function OperatorScreen() {
  const { path } = useLocation();
  const t = useT();
  if (path === '/operator' || path === '/operator/') return <TenantsPage />;
  if (path === '/operator/subprocessors') return <SubprocessorsPage />;
  if (path === '/operator/incidents') return <IncidentsPage />;
  if (path === '/operator/register') return <RegisterPage />;
  const m = match('/operator/incidents/:id', path);
  if (m?.id) return <IncidentPage key={m.id} id={m.id} />;
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/operator">{t('op.back')}</Link>
      </p>
    </>
  );
}

const NAV = [
  { to: '/operator', key: 'op.nav.tenants' },
  { to: '/operator/incidents', key: 'op.nav.incidents' },
  { to: '/operator/subprocessors', key: 'op.nav.subprocessors' },
  { to: '/operator/register', key: 'op.nav.register' },
] as const;

/** The console's shell: its own header, navigation, language switch and sign-out. */
export function OperatorConsole() {
  const t = useT();
  const [lang, setLang] = useLang();
  const { path } = useLocation();
  const inConsole = path === '/operator' || path.startsWith('/operator/');
  useEffect(() => {
    if (!inConsole) navigate('/operator', true);
  }, [inConsole]);
  const other = lang === 'nl' ? 'en' : 'nl';
  return (
    <>
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link to="/operator" className="brand">
          {t('op.brand')}
        </Link>
        <nav aria-label={t('op.nav.label')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} current={n.to === '/operator' ? path === '/operator' : path.startsWith(n.to)}>
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-actions">
          <button type="button" className="link-button" lang={other} onClick={() => setLang(other)}>
            {other === 'en' ? 'English' : 'Nederlands'}
          </button>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {inConsole ? <OperatorScreen /> : <Loading />}
      </main>
    </>
  );
}
