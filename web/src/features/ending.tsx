/**
 * Ending the subscription (Privacy center point 10, ADR 0056), on `/api/v1/subscription`. The
 * owner chooses return (an export is made now) and/or deletion and a retention period, confirms,
 * and then sees the deletion date, can withdraw the ending before it, or — after typing the
 * server's exact confirmation phrase — have everything deleted now. Every state shows the
 * server's warning about the business's own seven-year retention duty with a way to make a final
 * export. Admins see the state read-only (the API lets them read, not act); others are told why
 * they see nothing.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, download } from '../api.ts';
import { addDays, formatDate, today } from '../format.ts';
import { type Key, useLang, useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { Confirm, ErrorNote, Field, Loading, useLoad } from '../ui.tsx';

interface Subscription {
  status: string;
  ending: {
    returnRequested: boolean;
    deleteRequested: boolean;
    exportId: string | null;
    retentionDays: number;
    endedAt: string;
    deletionDeadline: string;
    resumedAt: string | null;
  } | null;
  warning: { nl: string; en: string };
  finalExport: { method: string; href: string };
}
interface Me {
  role: string | null;
}
interface Export {
  id: string;
  status: 'queued' | 'running' | 'ready' | 'failed' | 'expired';
  download: { url: string; expiresAt: string } | null;
}

/** What the owner types to delete now: the server checks exactly this text (ending.service.ts). */
const DELETE_NOW_PHRASE = 'DELETE MY BUSINESS DATA';
const MAX_DAYS = 183;

/** The export made for the return: its state, and the download once it is ready. */
function ReturnExport(props: { id: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(
    () => api<Export>('GET', `/api/v1/exports/${props.id}`),
    [props.id],
  );
  const [failure, setFailure] = useState<unknown>();
  const running = data && (data.status === 'queued' || data.status === 'running');
  // Poll while the export is being made, as the privacy screen does: each answer arms the next.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `data` re-arms the timer after each poll
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(reload, 1500);
    return () => clearTimeout(timer);
  }, [running, reload, data]);
  const get = async () => {
    if (!data?.download) return;
    setFailure(undefined);
    try {
      const url = new URL(data.download.url, window.location.origin);
      await download(url.pathname + url.search, `kluis-export-${data.id}.zip`);
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section aria-labelledby="return-title" className="panel">
      <h2 id="return-title">{t('ending.returnTitle')}</h2>
      <div aria-live="polite">
        {!data && !error ? <Loading /> : null}
        {running ? <p className="state">{t('ending.returnRunning')}</p> : null}
        {data?.status === 'ready' && data.download ? (
          <>
            <p className="success">
              {t('ending.returnReady', { date: formatDate(data.download.expiresAt) })}
            </p>
            <button type="button" onClick={get}>
              {t('ending.returnDownload')}
            </button>
          </>
        ) : null}
        {data &&
        (data.status === 'failed' ||
          data.status === 'expired' ||
          (data.status === 'ready' && !data.download)) ? (
          <p className="field-error">{t('ending.returnGone')}</p>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

/** The form to end the subscription (owner, while it is active). */
function EndForm(props: { onEnded: (s: Subscription) => void }) {
  const t = useT();
  const [wantsReturn, setWantsReturn] = useState(true);
  const [wantsDelete, setWantsDelete] = useState(true);
  const [days, setDays] = useState('30');
  const [touched, setTouched] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const n = /^\d{1,3}$/.test(days.trim()) ? Number(days.trim()) : Number.NaN;
  const daysError = Number.isInteger(n) && n >= 0 && n <= MAX_DAYS ? undefined : t('ending.retentionInvalid');
  const choiceError = wantsReturn || wantsDelete ? undefined : t('ending.chooseOne');
  const deadline = daysError ? '' : formatDate(addDays(today(), n));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!daysError && !choiceError) setAsking(true);
  };
  const end = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const s = await api<Subscription>('POST', '/api/v1/subscription/end', {
        return: wantsReturn,
        delete: wantsDelete,
        retentionDays: n,
      });
      setAsking(false);
      props.onEnded(s);
    } catch (err) {
      setAsking(false);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form panel" onSubmit={submit} noValidate>
      <fieldset aria-describedby="ending-choose-hint">
        <legend>{t('ending.choose')}</legend>
        <div className="field checkbox">
          <input
            id="ending-return"
            type="checkbox"
            checked={wantsReturn}
            onChange={(e) => setWantsReturn(e.target.checked)}
          />
          <label htmlFor="ending-return">{t('ending.return')}</label>
        </div>
        <div className="field checkbox">
          <input
            id="ending-delete"
            type="checkbox"
            checked={wantsDelete}
            onChange={(e) => setWantsDelete(e.target.checked)}
          />
          <label htmlFor="ending-delete">{t('ending.delete')}</label>
        </div>
        <p id="ending-choose-hint" className="hint">
          {t('ending.chooseHint')}
        </p>
        {touched && choiceError ? (
          <p className="field-error" role="alert">
            {choiceError}
          </p>
        ) : null}
      </fieldset>
      <Field
        label={t('ending.retention')}
        value={days}
        onChange={setDays}
        onBlur={() => setTouched(true)}
        inputMode="numeric"
        hint={t('ending.retentionHint', { date: deadline || '—' })}
        error={touched ? daysError : undefined}
        required
      />
      <div className="actions">
        <button type="submit" className="secondary danger">
          {t('ending.start')}
        </button>
      </div>
      {failure ? <ErrorNote error={failure} /> : null}
      <Confirm
        open={asking}
        title={t('ending.confirmTitle')}
        confirmLabel={t('ending.confirm')}
        onConfirm={end}
        onCancel={() => setAsking(false)}
        busy={busy}
      >
        <p>{t('ending.confirmText', { date: deadline })}</p>
      </Confirm>
    </form>
  );
}

/** The pending ending: its facts, and for the owner withdraw and delete-now. */
function Pending(props: { sub: Subscription; isOwner: boolean; onChange: (s: Subscription) => void }) {
  const t = useT();
  const ending = props.sub.ending;
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  if (!ending) return null;
  const act = async (path: string, body?: unknown) => {
    setBusy(true);
    setFailure(undefined);
    try {
      props.onChange(await api<Subscription>('POST', path, body));
      setAsking(false);
    } catch (e) {
      setAsking(false);
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const choices = [
    ending.returnRequested ? t('ending.choiceReturn') : '',
    ending.deleteRequested ? t('ending.choiceDelete') : '',
  ].filter(Boolean);
  return (
    <section aria-labelledby="ending-pending-title" className="panel">
      <h2 id="ending-pending-title">{t('ending.pendingTitle')}</h2>
      <p className="callout card" data-testid="ending-pending">
        {t('ending.pending', { date: formatDate(ending.deletionDeadline) })}
      </p>
      <dl className="details">
        <dt>{t('ending.endedAt')}</dt>
        <dd>{formatDate(ending.endedAt)}</dd>
        <dt>{t('ending.retentionDays')}</dt>
        <dd>{t('ending.days', { n: ending.retentionDays })}</dd>
        <dt>{t('ending.deadline')}</dt>
        <dd data-testid="ending-deadline">{formatDate(ending.deletionDeadline)}</dd>
        <dt>{t('ending.choices')}</dt>
        <dd>{choices.join(', ')}</dd>
      </dl>
      {props.isOwner ? (
        <div className="actions">
          <button type="button" onClick={() => void act('/api/v1/subscription/resume')} disabled={busy}>
            {t('ending.resume')}
          </button>
          <button
            type="button"
            className="secondary danger"
            onClick={() => {
              setTyped('');
              setAsking(true);
            }}
          >
            {t('ending.deleteNow')}
          </button>
        </div>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
      <Confirm
        open={asking}
        title={t('ending.deleteNowTitle')}
        confirmLabel={t('ending.deleteNowConfirm')}
        onConfirm={() => void act('/api/v1/subscription/delete-now', { confirmation: typed })}
        onCancel={() => setAsking(false)}
        busy={busy || typed !== DELETE_NOW_PHRASE}
      >
        <p>
          {t('ending.deleteNowText')} <strong lang="en">{DELETE_NOW_PHRASE}</strong>
        </p>
        <Field label={t('ending.phrase')} value={typed} onChange={setTyped} autoComplete="off" />
      </Confirm>
    </section>
  );
}

/** The subscription-ending screen. */
export function EndingPage() {
  const t = useT();
  const [lang] = useLang();
  useTitle(t('ending.title'));
  const { data, error, loading, reload } = useLoad(
    async () => ({
      sub: await api<Subscription>('GET', '/api/v1/subscription'),
      me: await api<Me>('GET', '/api/v1/me'),
    }),
    [],
  );
  const [changed, setChanged] = useState<Subscription>();
  const [notice, setNotice] = useState('');
  const sub = changed ?? data?.sub;
  const isOwner = data?.me.role === 'owner';
  const forbidden = error instanceof ApiError && error.status === 403;

  const onChange = (next: Subscription) => {
    if (next.status === 'active' && sub?.status === 'ending') setNotice(t('ending.resumed'));
    else if (next.status === 'ending' && sub?.status === 'ending') setNotice(t('ending.deletionStarted'));
    else setNotice('');
    setChanged(next);
  };

  return (
    <>
      <p>
        <Link to="/privacy-center">{t('admin.back')}</Link>
      </p>
      <h1>{t('ending.title')}</h1>
      <p>{t('ending.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {forbidden ? <p className="error-note">{t('ending.forbidden')}</p> : null}
      {error && !forbidden ? <ErrorNote error={error} onRetry={reload} /> : null}
      {sub ? (
        <>
          <section aria-labelledby="ending-warning-title" className="callout card">
            <h2 id="ending-warning-title">{t('ending.warningTitle')}</h2>
            <p data-testid="ending-warning">{lang === 'nl' ? sub.warning.nl : sub.warning.en}</p>
            <p>
              <Link to="/privacy-center">{t('ending.finalExport')}</Link>
            </p>
          </section>
          <p>
            {t('ending.statusTitle')}:{' '}
            <strong data-testid="ending-status">{t(`ending.status.${sub.status}` as Key)}</strong>
          </p>
          <div aria-live="polite">{notice ? <p className="success">{notice}</p> : null}</div>
          {!isOwner ? <p className="hint">{t('ending.readOnly')}</p> : null}
          {sub.status === 'active' && isOwner ? <EndForm onEnded={onChange} /> : null}
          {sub.status === 'ending' ? <Pending sub={sub} isOwner={isOwner} onChange={onChange} /> : null}
          {sub.status !== 'active' && sub.status !== 'ending' ? <p>{t('ending.gone')}</p> : null}
          {sub.ending?.exportId && sub.status === 'ending' ? <ReturnExport id={sub.ending.exportId} /> : null}
        </>
      ) : null}
    </>
  );
}
