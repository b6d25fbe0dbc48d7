/**
 * The app shell: sign-in gate, header with navigation, language switch and sign-out, and the
 * screens by path. A skip link and one <main> landmark per page keep keyboard and screen-reader
 * use straightforward.
 */
import { useEffect, useState } from 'react';
import { completeSignIn, hasSession, signIn, signOut } from './auth/oidc.ts';
import { AuditLogPage } from './features/audit-log.tsx';
import { BrandingPage } from './features/branding.tsx';
import { BusinessSwitcher } from './features/business-switcher.tsx';
import { CustomerForm } from './features/customer-form.tsx';
import { CustomerImport } from './features/customer-import.tsx';
import { CustomerPage, CustomersList } from './features/customers.tsx';
import { Dashboard } from './features/dashboard.tsx';
import { EndingPage } from './features/ending.tsx';
import { InvoiceEditor } from './features/invoice-editor.tsx';
import { InvoicePage } from './features/invoice-view.tsx';
import { InvoicesList } from './features/invoices.tsx';
import { NoticesArea } from './features/notices.tsx';
import { OperatorConsole, useOperatorSession } from './features/operator-console.tsx';
import { OutboxMailPage, OutboxPage } from './features/outbox.tsx';
import { PrivacyPage } from './features/privacy.tsx';
import { ProductsPage } from './features/products.tsx';
import { QuoteEditor, QuotePage, QuotesList } from './features/quotes.tsx';
import { RecurringEditor, RecurringList } from './features/recurring.tsx';
import { SecurityPage } from './features/security.tsx';
import { SettingsPage } from './features/settings.tsx';
import { SubjectRequestPage, SubjectRequestsPage } from './features/subject-requests.tsx';
import { SupportAccessPage } from './features/support-access.tsx';
import { TeamPage } from './features/team.tsx';
import { useLang, useT } from './i18n.tsx';
import { Link, match, navigate, useLocation, useTitle } from './router.tsx';
import { ErrorNote, Loading } from './ui.tsx';

function LanguageSwitch() {
  const [lang, setLang] = useLang();
  const other = lang === 'nl' ? 'en' : 'nl';
  return (
    <button type="button" className="link-button" lang={other} onClick={() => setLang(other)}>
      {other === 'en' ? 'English' : 'Nederlands'}
    </button>
  );
}

function Screen() {
  const { path, search } = useLocation();
  const t = useT();
  if (path === '/') return <Dashboard />;
  if (path === '/customers') return <CustomersList />;
  if (path === '/customers/new') return <CustomerForm />;
  if (path === '/customers/import') return <CustomerImport />;
  if (path === '/invoices') return <InvoicesList />;
  if (path === '/invoices/new') {
    const customer = new URLSearchParams(search).get('customer') ?? undefined;
    return <InvoiceEditor {...(customer ? { customerId: customer } : {})} />;
  }
  if (path === '/settings') return <SettingsPage />;
  if (path === '/settings/branding') return <BrandingPage />;
  if (path === '/security') return <SecurityPage />;
  if (path === '/privacy-center') return <PrivacyPage />;
  if (path === '/privacy-center/audit-log') return <AuditLogPage />;
  if (path === '/privacy-center/ending') return <EndingPage />;
  if (path === '/privacy-center/requests') return <SubjectRequestsPage />;
  if (path === '/privacy-center/support-access') return <SupportAccessPage />;
  if (path === '/team') return <TeamPage />;
  if (path === '/outbox') return <OutboxPage />;
  if (path === '/products') return <ProductsPage />;
  if (path === '/quotes') return <QuotesList />;
  if (path === '/quotes/new') return <QuoteEditor />;
  if (path === '/recurring') return <RecurringList />;
  if (path === '/recurring/new') return <RecurringEditor />;
  let m = match('/customers/:id/edit', path);
  if (m?.id) return <CustomerForm id={m.id} />;
  m = match('/customers/:id', path);
  if (m?.id) return <CustomerPage key={m.id} id={m.id} />;
  m = match('/quotes/:id/edit', path);
  if (m?.id) return <QuoteEditor key={m.id} id={m.id} />;
  m = match('/recurring/:id/edit', path);
  if (m?.id) return <RecurringEditor key={m.id} id={m.id} />;
  m = match('/quotes/:id', path);
  if (m?.id) return <QuotePage key={m.id} id={m.id} />;
  m = match('/outbox/:id', path);
  if (m?.id) return <OutboxMailPage key={m.id} id={m.id} />;
  m = match('/privacy-center/requests/:id', path);
  if (m?.id) return <SubjectRequestPage key={m.id} id={m.id} />;
  m = match('/invoices/:id', path);
  if (m?.id) return <InvoicePage key={m.id} id={m.id} />;
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}

const NAV = [
  { to: '/', key: 'nav.dashboard' },
  { to: '/customers', key: 'nav.customers' },
  { to: '/quotes', key: 'nav.quotes' },
  { to: '/invoices', key: 'nav.invoices' },
  { to: '/recurring', key: 'nav.recurring' },
  { to: '/products', key: 'nav.products' },
  { to: '/settings', key: 'nav.settings' },
  { to: '/team', key: 'nav.team' },
  { to: '/outbox', key: 'nav.outbox' },
  { to: '/security', key: 'nav.security' },
  { to: '/privacy-center', key: 'nav.privacy' },
] as const;

function Shell() {
  const t = useT();
  const { path } = useLocation();
  return (
    <>
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Kluis
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} current={n.to === '/' ? path === '/' : path.startsWith(n.to)}>
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-actions">
          <BusinessSwitcher />
          <LanguageSwitch />
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <NoticesArea>
          <Screen />
        </NoticesArea>
      </main>
    </>
  );
}

function Welcome() {
  const t = useT();
  useTitle(t('welcome.title'));
  return (
    <main id="main" className="welcome">
      <div className="top-actions">
        <LanguageSwitch />
      </div>
      <h1>Kluis</h1>
      <p className="lead">{t('welcome.text')}</p>
      <button type="button" onClick={() => void signIn('/')}>
        {t('welcome.signIn')}
      </button>
    </main>
  );
}

// The code can be exchanged once; StrictMode runs effects twice in development, so share one run.
let callbackRun: Promise<string> | undefined;

function Callback() {
  const t = useT();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    callbackRun ??= completeSignIn(window.location.search);
    callbackRun.then(
      (to) => navigate(to, true),
      (e: unknown) => setError(e),
    );
  }, []);
  if (!error) return <Loading />;
  return (
    <main id="main" className="welcome">
      <h1>{t('callback.failed')}</h1>
      <ErrorNote error={error} />
      <p className="hint">{error instanceof Error ? error.message : String(error)}</p>
      <button type="button" onClick={() => void signIn('/')}>
        {t('welcome.signIn')}
      </button>
    </main>
  );
}

/** The whole app. */
export function App() {
  const { path } = useLocation();
  // The operator's staff get their own console (ADR 0058); business people the app.
  const isOperator = useOperatorSession();
  if (path === '/auth/callback') return <Callback />;
  if (!hasSession()) return <Welcome />;
  if (isOperator === undefined) return <Loading />;
  if (isOperator) return <OperatorConsole />;
  return <Shell />;
}
