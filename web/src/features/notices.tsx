/**
 * The notices area of the app shell (ADR 0060): the agreement gate (a new version of the processing
 * agreement is accepted by an owner or admin before anyone continues; others see that it is
 * pending), the data-protection contact banner (missing, or its yearly confirmation due), and the
 * business's unread notices, each with a link to the screen it is about. One call,
 * GET /api/v1/notices, reloaded on every navigation so a fixed contact or an accepted version
 * clears at once.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, useLocation, useTitle } from '../router.tsx';
import { ErrorNote, Loading, useLoad } from '../ui.tsx';

type NoticeKind = 'subprocessor_announced' | 'breach_notice' | 'agreement_version' | 'subject_request';

interface Notice {
  id: string;
  kind: NoticeKind;
  subjectId: string;
  createdAt: string;
  readAt: string | null;
  subprocessor: { name: string; purpose: string; effectiveFrom: string } | null;
}

interface Notices {
  contact: 'ok' | 'missing' | 'reconfirm_due';
  agreement: { version: string; date: string; mustAccept: boolean; canAccept: boolean };
  unread: number;
  items: Notice[];
}

/** Where each kind of notice leads: the privacy center, which has a section for each. */
const TARGET: Record<NoticeKind, string> = {
  subprocessor_announced: '/privacy-center',
  breach_notice: '/privacy-center',
  agreement_version: '/privacy-center',
  subject_request: '/privacy-center',
};

/** Wraps the screen: the gate instead of it while the agreement waits, else banners above it. */
export function NoticesArea(props: { children: ReactNode }) {
  const { path } = useLocation();
  const { data, error, reload } = useLoad(() => api<Notices>('GET', '/api/v1/notices'), [path]);
  // The first answer decides whether the gate stands; a failed call never locks anyone out.
  if (!data && !error) return <Loading />;
  if (data?.agreement.mustAccept) return <AgreementGate agreement={data.agreement} onAccepted={reload} />;
  return (
    <>
      {data && data.contact !== 'ok' ? <ContactBanner state={data.contact} /> : null}
      {data && data.unread > 0 ? <UnreadNotices items={data.items} onRead={reload} /> : null}
      {props.children}
    </>
  );
}

function ContactBanner(props: { state: 'missing' | 'reconfirm_due' }) {
  const t = useT();
  return (
    <div className="callout notices-banner" role="status" data-testid="contact-banner">
      <p>{t(props.state === 'missing' ? 'notices.contact.missing' : 'notices.contact.reconfirm')}</p>
      <Link to="/privacy-center">{t('notices.contact.action')}</Link>
    </div>
  );
}

function AgreementGate(props: { agreement: Notices['agreement']; onAccepted: () => void }) {
  const t = useT();
  const { version, date, canAccept } = props.agreement;
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [mustConfirm, setMustConfirm] = useState(false);
  useTitle(t('notices.gate.title'));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!checked) {
      setMustConfirm(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/api/v1/agreement/accept', { version });
      props.onAccepted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="agreement-gate-title" className="panel" data-testid="agreement-gate">
      <h1 id="agreement-gate-title">{t('notices.gate.title')}</h1>
      <p>{t('notices.gate.text', { version, date: formatDate(date) })}</p>
      <ul>
        <li>
          <a href="/verwerkersovereenkomst" target="_blank" rel="noopener">
            {t('notices.gate.readAgreement')}
          </a>
        </li>
        <li>
          <a href="/voorwaarden" target="_blank" rel="noopener">
            {t('notices.gate.readTerms')}
          </a>
        </li>
      </ul>
      {canAccept ? (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field checkbox">
            <input
              id="agreement-gate-confirm"
              type="checkbox"
              checked={checked}
              aria-invalid={mustConfirm && !checked ? true : undefined}
              aria-describedby={mustConfirm && !checked ? 'agreement-gate-error' : undefined}
              onChange={(e) => setChecked(e.target.checked)}
            />
            <label htmlFor="agreement-gate-confirm">{t('notices.gate.confirm', { version })}</label>
          </div>
          {mustConfirm && !checked ? (
            <p id="agreement-gate-error" className="field-error" role="alert">
              {t('notices.gate.mustConfirm')}
            </p>
          ) : null}
          {error ? <ErrorNote error={error} /> : null}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('notices.gate.accept')}
            </button>
          </div>
        </form>
      ) : (
        <p className="callout" role="status">
          {t('notices.gate.pending')}
        </p>
      )}
    </section>
  );
}

function noticeText(t: ReturnType<typeof useT>, n: Notice): string {
  if (n.kind === 'subprocessor_announced') {
    return n.subprocessor
      ? t('notices.kind.subprocessor_announced', {
          name: n.subprocessor.name,
          purpose: n.subprocessor.purpose,
          date: formatDate(n.subprocessor.effectiveFrom),
        })
      : t('notices.kind.subprocessor_unknown');
  }
  return t(`notices.kind.${n.kind}` as Key, { ref: n.subjectId });
}

function UnreadNotices(props: { items: Notice[]; onRead: () => void }) {
  const t = useT();
  const unread = props.items.filter((n) => n.readAt === null);
  const [error, setError] = useState<unknown>();
  const markRead = async (id: string) => {
    setError(undefined);
    try {
      await api('POST', `/api/v1/notices/${encodeURIComponent(id)}/read`);
      props.onRead();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="notices-title" className="callout notices" data-testid="notices">
      <h2 id="notices-title">
        {t('notices.title')} <span className="hint">({t('notices.unread', { count: unread.length })})</span>
      </h2>
      {error ? <ErrorNote error={error} /> : null}
      <ul>
        {unread.map((n) => (
          <li key={n.id} data-kind={n.kind}>
            <p>{noticeText(t, n)}</p>
            <p className="hint">{t('notices.received', { date: formatDate(n.createdAt) })}</p>
            <div className="actions">
              <Link to={TARGET[n.kind]}>{t(`notices.open.${n.kind}` as Key)}</Link>
              <button
                type="button"
                className="secondary"
                aria-label={t('notices.markReadNamed', { date: formatDate(n.createdAt) })}
                onClick={() => void markRead(n.id)}
              >
                {t('notices.markRead')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
