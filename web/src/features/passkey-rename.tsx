/**
 * Renaming a passkey (PATCH /api/v1/me/two-factor/passkeys/{id}): a button in the passkey's row
 * opens a dialog with its name; the server takes 1–60 characters, checked here first as well.
 */
import { useState } from 'react';
import { api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Confirm, ErrorNote, Field } from '../ui.tsx';

const MAX = 60;

/** The rename button and its dialog; `onRenamed` gets the new name once the server took it. */
export function PasskeyRename(props: { id: string; label: string; onRenamed: (name: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const trimmed = name.trim();
    if (!trimmed) return setError(t('passkeyRename.required'));
    if ([...trimmed].length > MAX) return setError(t('passkeys.nameTooLong'));
    setError(undefined);
    setFailure(undefined);
    setBusy(true);
    try {
      await api('PATCH', `/api/v1/me/two-factor/passkeys/${encodeURIComponent(props.id)}`, { name: trimmed });
      setOpen(false);
      props.onRenamed(trimmed);
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="secondary"
        aria-label={t('passkeyRename.named', { name: props.label })}
        onClick={() => {
          setName(props.label);
          setError(undefined);
          setFailure(undefined);
          setOpen(true);
        }}
      >
        {t('passkeyRename.button')}
      </button>
      <Confirm
        open={open}
        title={t('passkeyRename.title')}
        confirmLabel={t('passkeyRename.save')}
        busy={busy}
        onConfirm={() => void save()}
        onCancel={() => setOpen(false)}
      >
        <Field
          label={t('passkeyRename.label')}
          value={name}
          onChange={setName}
          error={error}
          autoComplete="off"
        />
        {failure ? <ErrorNote error={failure} /> : null}
      </Confirm>
    </>
  );
}
