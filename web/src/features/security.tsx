/**
 * The signed-in person's two-factor sign-in: TOTP enrolment with a QR code (drawn in the browser,
 * so the secret never leaves for a QR service), confirmed with a first code, which returns the
 * recovery codes to keep; and turning it off again with a code.
 */
import QRCode from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useTitle } from '../router.tsx';
import { ErrorNote, Field } from '../ui.tsx';
import { BusinessSecurity } from './business-security.tsx';
import { PasskeysSection } from './passkeys.tsx';
import { PasswordChange } from './password-change.tsx';

type Stage =
  | { kind: 'idle' }
  | { kind: 'scanning'; secret: string; uri: string }
  | { kind: 'done'; recoveryCodes: string[] }
  | { kind: 'enabled' };

/** The security screen. */
export function SecurityPage() {
  const t = useT();
  useTitle(t('security.title'));
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [qr, setQr] = useState<string>();
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (stage.kind !== 'scanning') return;
    let live = true;
    QRCode.toString(stage.uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then((svg) => {
      if (live) setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [stage]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'two_factor_already_enabled') setStage({ kind: 'enabled' });
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      const r = await api<{ secret: string; uri: string }>('POST', '/api/v1/me/two-factor/totp');
      setCode('');
      setStage({ kind: 'scanning', ...r });
    });

  const confirm = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const r = await api<{ recoveryCodes: string[] }>('POST', '/api/v1/me/two-factor/totp/confirm', {
        code: code.replace(/\s/g, ''),
      });
      setStage({ kind: 'done', recoveryCodes: r.recoveryCodes });
    });
  };

  const remove = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await api('POST', '/api/v1/me/two-factor/remove', { code: code.replace(/\s/g, '') });
      setCode('');
      setStage({ kind: 'idle' });
    });
  };

  return (
    <>
      <h1>{t('security.title')}</h1>
      <p className="lead">{t('security.intro')}</p>
      {stage.kind === 'idle' ? (
        <button type="button" onClick={start} disabled={busy}>
          {t('security.start')}
        </button>
      ) : null}
      {stage.kind === 'scanning' ? (
        <section aria-labelledby="scan-title" className="panel">
          <h2 id="scan-title">{t('security.scanTitle')}</h2>
          <p>{t('security.scan')}</p>
          {qr ? <img src={qr} alt={t('security.qrAlt')} width={220} height={220} className="qr" /> : null}
          <p>
            {t('security.manual')} <code data-testid="totp-secret">{stage.secret}</code>
          </p>
          <form onSubmit={confirm} className="form" noValidate>
            <Field
              label={t('security.code')}
              value={code}
              onChange={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
            />
            <div className="actions">
              <button type="submit" disabled={busy || !code.trim()}>
                {t('security.confirm')}
              </button>
            </div>
          </form>
        </section>
      ) : null}
      {stage.kind === 'done' ? (
        <section aria-labelledby="codes-title" className="panel">
          <p className="success" role="status">
            {t('security.enabled')}
          </p>
          <h2 id="codes-title">{t('security.recoveryTitle')}</h2>
          <p>{t('security.recovery')}</p>
          <ul className="codes" data-testid="recovery-codes">
            {stage.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {stage.kind === 'enabled' || stage.kind === 'done' ? (
        <section aria-labelledby="remove-title" className="panel">
          <h2 id="remove-title">{t('security.removeTitle')}</h2>
          <form onSubmit={remove} className="form" noValidate>
            <Field
              label={t('security.code')}
              value={code}
              onChange={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              hint={t('security.removeHint')}
            />
            <div className="actions">
              <button type="submit" className="secondary danger" disabled={busy || !code.trim()}>
                {t('security.remove')}
              </button>
            </div>
          </form>
        </section>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
      <PasskeysSection />
      <BusinessSecurity />
      <PasswordChange />
    </>
  );
}
