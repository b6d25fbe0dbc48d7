/**
 * Changing one's password on the security screen (Identity: POST /api/v1/me/password). The current
 * password is asked again (a stolen session alone is not enough; the server limits attempts as at
 * sign-in), the new one twice; the server's password policy answers next to the new-password field.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type Key, useT } from '../i18n.tsx';
import { ErrorNote, Field } from '../ui.tsx';

type Errors = { current?: string; next?: string; repeat?: string };

/** The change-password section. */
export function PasswordChange() {
  const t = useT();
  const headingId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    setFailure(undefined);
    const found: Errors = {
      ...(current ? {} : { current: t('password.required') }),
      ...(next ? {} : { next: t('password.required') }),
      ...(next && repeat !== next ? { repeat: t('password.mismatch') } : {}),
    };
    setErrors(found);
    if (found.current || found.next || found.repeat) return;
    setBusy(true);
    try {
      await api('POST', '/api/v1/me/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'invalid_credentials') {
        setErrors({ current: t('error.invalid_credentials') });
      } else if (error instanceof ApiError && error.issues.some((i) => i.path.endsWith('newPassword'))) {
        const issue = error.issues.find((i) => i.path.endsWith('newPassword'));
        const text = t(`error.${issue?.code}` as Key);
        setErrors({ next: text.startsWith('error.') ? (issue?.message ?? t('error.generic')) : text });
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('password.title')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('password.current')}
          type="password"
          name="current-password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          error={errors.current}
          required
        />
        <Field
          label={t('password.new')}
          type="password"
          name="new-password"
          autoComplete="new-password"
          hint={t('password.newHint')}
          value={next}
          onChange={setNext}
          error={errors.next}
          required
        />
        <Field
          label={t('password.repeat')}
          type="password"
          name="new-password-repeat"
          autoComplete="new-password"
          value={repeat}
          onChange={setRepeat}
          error={errors.repeat}
          required
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('password.submit')}
          </button>
        </div>
      </form>
      {done ? <p role="status">{t('password.changed')}</p> : null}
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}
