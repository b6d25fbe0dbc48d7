/**
 * The business's requirement of a second sign-in step for every member (Identity point 13), on the
 * security screen: read with GET /api/v1/business/security (owners and admins; for anyone else the
 * section stays away), changed by the owner with PUT. The text says what it does and that the owner
 * should have a second step first, since without one the requirement leaves only enrolment open.
 */
import { useId, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { ErrorNote, useLoad } from '../ui.tsx';

type Security = { requireTwoFactor: boolean };

/** The section; renders nothing for people who may not see the setting. */
export function BusinessSecurity() {
  const t = useT();
  const id = useId();
  const { data, error } = useLoad(() => api<Security>('GET', '/api/v1/business/security'), []);
  const [required, setRequired] = useState<boolean>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (error instanceof ApiError && error.status === 403) return null;
  const current = required ?? data?.requireTwoFactor;

  // Shown at once (a controlled checkbox would otherwise snap back until the answer); undone on failure.
  const change = async (on: boolean) => {
    const before = current;
    setRequired(on);
    setBusy(true);
    setFailure(undefined);
    try {
      const r = await api<Security>('PUT', '/api/v1/business/security', { requireTwoFactor: on });
      setRequired(r.requireTwoFactor);
    } catch (e) {
      setRequired(before);
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>{t('policy.title')}</h2>
      <p>{t('policy.intro')}</p>
      <p>{t('policy.own')}</p>
      {error ? <ErrorNote error={error} /> : null}
      {current === undefined ? null : (
        <>
          <div className="field checkbox">
            <input
              id={`${id}-on`}
              type="checkbox"
              checked={current}
              disabled={busy}
              onChange={(e) => void change(e.target.checked)}
            />
            <label htmlFor={`${id}-on`}>{t('policy.label')}</label>
          </div>
          <p role="status">{current ? t('policy.on') : t('policy.off')}</p>
        </>
      )}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}
