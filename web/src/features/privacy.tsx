/**
 * The privacy center's first screen: export all of the business's data. The export runs as a job
 * on the server; this screen shows its progress (polling every second) and, once it is ready,
 * downloads the ZIP through the signed link, with the person's token.
 */
import { useEffect, useState } from 'react';
import { api, download } from '../api.ts';
import { formatDate } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { ErrorNote } from '../ui.tsx';
import {
  AgreementSection,
  BreachNoticesSection,
  ContactSection,
  RegisterSection,
  SubprocessorsSection,
} from './privacy-center.tsx';

interface Export {
  id: string;
  status: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
  progress: { done: number; total: number };
  bytes: number | null;
  expiresAt: string | null;
  download: { url: string; expiresAt: string } | null;
}

const SIZE = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

/** The privacy screen. */
export function PrivacyPage() {
  const t = useT();
  useTitle(t('privacy.title'));
  const [job, setJob] = useState<Export>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!job || job.status === 'ready' || job.status === 'failed' || job.status === 'expired') return;
    const timer = setTimeout(() => {
      api<Export>('GET', `/api/v1/exports/${job.id}`).then(setJob, setFailure);
    }, 1000);
    return () => clearTimeout(timer);
  }, [job]);

  const start = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      setJob(await api<Export>('POST', '/api/v1/exports'));
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const get = async () => {
    if (!job?.download) return;
    setFailure(undefined);
    try {
      const url = new URL(job.download.url, window.location.origin);
      await download(url.pathname + url.search, `kluis-export-${job.id}.zip`);
    } catch (e) {
      setFailure(e);
    }
  };

  const running = job && (job.status === 'queued' || job.status === 'running');
  const percent =
    job && job.progress.total > 0 ? Math.round((job.progress.done / job.progress.total) * 100) : 0;
  return (
    <>
      <h1>{t('privacy.title')}</h1>
      <p>{t('pc.intro')}</p>
      <AgreementSection />
      <ContactSection />
      <SubprocessorsSection />
      <RegisterSection />
      <BreachNoticesSection />
      {/* A section, not a <nav>: one navigation landmark keeps "the menu's Privacy link" unambiguous. */}
      <section aria-labelledby="pc-more-title" className="panel">
        <h2 id="pc-more-title">{t('admin.more')}</h2>
        <ul>
          <li>
            <Link to="/privacy-center/audit-log">{t('admin.linkAudit')}</Link>
          </li>
          <li>
            <Link to="/privacy-center/ending">{t('admin.linkEnding')}</Link>
          </li>
          <li>
            <Link to="/privacy-center/requests">{t('dsr.link')}</Link>
          </li>
          <li>
            <Link to="/privacy-center/support-access">{t('support.link')}</Link>
          </li>
        </ul>
      </section>
      <section aria-labelledby="export-title" className="panel">
        <h2 id="export-title">{t('export.title')}</h2>
        <p>{t('export.intro')}</p>
        <button type="button" onClick={start} disabled={busy || Boolean(running)}>
          {t('export.start')}
        </button>
        {job ? (
          <div className="panel" aria-live="polite">
            {running ? (
              <>
                <label htmlFor="export-progress">{t('export.running')}</label>
                <progress id="export-progress" max={100} value={percent}>
                  {percent} %
                </progress>
              </>
            ) : null}
            {job.status === 'ready' && job.download ? (
              <>
                <p className="success" role="status">
                  {t('export.ready', {
                    size: SIZE.format((job.bytes ?? 0) / 1_048_576),
                    date: formatDate(job.download.expiresAt),
                  })}
                </p>
                <button type="button" onClick={get}>
                  {t('export.download')}
                </button>
              </>
            ) : null}
            {job.status === 'failed' || job.status === 'expired' ? (
              <p className="field-error" role="alert">
                {t(job.status === 'failed' ? 'export.failed' : 'export.expired')}
              </p>
            ) : null}
          </div>
        ) : null}
        {failure ? <ErrorNote error={failure} /> : null}
      </section>
    </>
  );
}
