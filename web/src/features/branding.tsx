/**
 * The invoice style: the logo (PNG or JPEG, at most 256 KB) and the accent colour on the business's
 * invoice PDFs. The current logo is shown from a blob URL (the CSP allows blob: images), fetched with
 * the person's token.
 */
import { type ChangeEvent, useEffect, useState } from 'react';
import { api } from '../api.ts';
import { accessToken } from '../auth/oidc.ts';
import { useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { ErrorNote, Loading, useLoad } from '../ui.tsx';

interface Branding {
  accentColor: string | null;
  logo: { contentType: string; sha256: string } | null;
}

const MAX_LOGO_BYTES = 256 * 1024;
const DEFAULT_ACCENT = '#1a4d80';

/** Reads a file as base64 (without the data: prefix). */
function base64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function useLogoUrl(sha: string | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!sha) {
      setUrl(undefined);
      return;
    }
    let live = true;
    let made: string | undefined;
    void (async () => {
      const token = await accessToken();
      const res = await fetch('/api/v1/invoice-settings/branding/logo', {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (!res.ok || !live) return;
      made = URL.createObjectURL(await res.blob());
      setUrl(made);
    })().catch(() => undefined);
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [sha]);
  return url;
}

/** The branding screen. */
export function BrandingPage() {
  const t = useT();
  useTitle(t('branding.title'));
  const { data, error, loading, reload } = useLoad(
    () => api<Branding>('GET', '/api/v1/invoice-settings/branding'),
    [],
  );
  const [accent, setAccent] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [problem, setProblem] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const logoUrl = useLogoUrl(data?.logo?.sha256);

  const save = async (body: Record<string, unknown>, done: string) => {
    setBusy(true);
    setFailure(undefined);
    setNotice('');
    try {
      await api('PATCH', '/api/v1/invoice-settings/branding', body);
      setNotice(done);
      reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    setProblem('');
    if (!file) return;
    if (file.type !== 'image/png' && file.type !== 'image/jpeg') {
      setProblem(t('branding.logoType'));
      return;
    }
    if (file.size > MAX_LOGO_BYTES) {
      setProblem(t('branding.logoTooLarge'));
      return;
    }
    await save({ logo: { contentType: file.type, data: await base64(file) } }, t('branding.logoSaved'));
  };

  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  const colour = accent ?? data.accentColor ?? DEFAULT_ACCENT;
  return (
    <>
      <h1>{t('branding.title')}</h1>
      <p>
        {t('branding.intro')} <Link to="/settings">{t('branding.back')}</Link>
      </p>
      <section className="panel" aria-labelledby="logo-title">
        <h2 id="logo-title">{t('branding.logo')}</h2>
        {logoUrl ? (
          <img src={logoUrl} alt={t('branding.logoAlt')} className="logo-preview" />
        ) : (
          <p>{data.logo ? t('state.loading') : t('branding.noLogo')}</p>
        )}
        <div className="field">
          <label htmlFor="logo-file">
            {data.logo ? t('branding.logoReplace') : t('branding.logoUpload')}
          </label>
          <input
            id="logo-file"
            type="file"
            accept="image/png,image/jpeg"
            onChange={(e) => void onFile(e)}
            aria-describedby="logo-hint"
            disabled={busy}
          />
          <p id="logo-hint" className="hint">
            {t('branding.logoHint')}
          </p>
          {problem ? (
            <p className="field-error" role="alert">
              {problem}
            </p>
          ) : null}
        </div>
        {data.logo ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void save({ logo: null }, t('branding.logoRemoved'))}
          >
            {t('branding.logoRemove')}
          </button>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="accent-title">
        <h2 id="accent-title">{t('branding.accent')}</h2>
        <div className="field">
          <label htmlFor="accent-colour">{t('branding.accentLabel')}</label>
          <input
            id="accent-colour"
            type="color"
            value={colour}
            onChange={(e) => setAccent(e.target.value)}
            className="colour"
          />
          <p className="hint">{colour.toUpperCase()}</p>
        </div>
        <div className="actions">
          <button
            type="button"
            disabled={busy}
            onClick={() => void save({ accentColor: colour.toUpperCase() }, t('branding.accentSaved'))}
          >
            {t('branding.accentSave')}
          </button>
          {data.accentColor ? (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => {
                setAccent(undefined);
                void save({ accentColor: null }, t('branding.accentSaved'));
              }}
            >
              {t('branding.accentReset')}
            </button>
          ) : null}
        </div>
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
