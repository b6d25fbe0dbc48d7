/**
 * The signed-in person's passkeys, on the security screen: add one (WebAuthn
 * `navigator.credentials.create` with the options the server gives), named so it can be recognised
 * later; list them with when they were added and last used; remove one after a confirmation. The
 * browser's refusals (cancelled, timed out, already registered, not supported) are explained in
 * the person's language rather than shown as raw DOMException text.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { formatDate } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Confirm, Empty, ErrorNote, Field, Loading, useLoad } from '../ui.tsx';
import { PasskeyRename } from './passkey-rename.tsx';

interface Passkey {
  id: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** base64url (as the server sends binary fields) → bytes. */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** bytes → base64url, as the server reads binary fields. */
function toBase64Url(buf: ArrayBuffer): string {
  let bin = '';
  for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface CreationOptionsJSON {
  challenge: string;
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: { id: string; type: 'public-key'; transports?: string[] }[];
  [other: string]: unknown;
}

/** Asks the browser's authenticator for a new credential and returns it as the server reads it. */
async function createCredential(options: CreationOptionsJSON) {
  const publicKey = {
    ...options,
    challenge: fromBase64Url(options.challenge),
    user: { ...options.user, id: fromBase64Url(options.user.id) },
    excludeCredentials: (options.excludeCredentials ?? []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  } as unknown as PublicKeyCredentialCreationOptions;
  const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
  if (!credential) throw new DOMException('No credential', 'NotAllowedError');
  const r = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    response: {
      clientDataJSON: toBase64Url(r.clientDataJSON),
      attestationObject: toBase64Url(r.attestationObject),
      transports: r.getTransports?.() ?? [],
    },
  };
}

/** The text for a browser refusal, or undefined when it is not one (then the API error shows). */
function browserProblem(e: unknown): Key | undefined {
  if (!(e instanceof DOMException)) return undefined;
  if (e.name === 'NotAllowedError' || e.name === 'AbortError') return 'passkeys.cancelled';
  if (e.name === 'InvalidStateError') return 'passkeys.duplicate';
  if (e.name === 'SecurityError') return 'passkeys.notAllowedHere';
  if (e.name === 'NotSupportedError') return 'passkeys.unsupported';
  return 'passkeys.failed';
}

/** The server's limit for a passkey's name. */
const MAX_NAME = 60;

const isSupported = () => typeof window !== 'undefined' && 'PublicKeyCredential' in window;

/** The passkeys section of the security screen. */
export function PasskeysSection() {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    () => api<{ items: Passkey[] }>('GET', '/api/v1/me/two-factor/passkeys'),
    [],
  );
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [problem, setProblem] = useState<Key>();
  const [notice, setNotice] = useState<string>();
  const [removing, setRemoving] = useState<Passkey>();
  const supported = isSupported();
  const label = (p: Passkey) => p.name ?? t('passkeys.unnamed');
  const tooLong = name.trim().length > MAX_NAME;

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const options = await api<CreationOptionsJSON>('POST', '/api/v1/me/two-factor/passkeys/options');
      const response = await createCredential(options);
      const trimmed = name.trim();
      await api('POST', '/api/v1/me/two-factor/passkeys', {
        response,
        ...(trimmed ? { name: trimmed } : {}),
      });
      setNotice(trimmed ? t('passkeys.added', { name: trimmed }) : t('passkeys.addedUnnamed'));
      setName('');
      reload();
    } catch (err) {
      const known = browserProblem(err);
      if (known) setProblem(known);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    setFailure(undefined);
    setNotice(undefined);
    try {
      await api('DELETE', `/api/v1/me/two-factor/passkeys/${encodeURIComponent(removing.id)}`);
      setNotice(t('passkeys.removed'));
      reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setRemoving(undefined);
      setBusy(false);
    }
  };

  const items = data?.items ?? [];
  return (
    <section aria-labelledby="passkeys-title" className="panel">
      <h2 id="passkeys-title">{t('passkeys.title')}</h2>
      <p>{t('passkeys.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && items.length === 0 ? (
        <Empty>
          <p>{t('passkeys.empty')}</p>
        </Empty>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="passkeys">
            <caption className="sr-only">{t('passkeys.listCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('passkeys.colName')}</th>
                <th scope="col">{t('passkeys.colCreated')}</th>
                <th scope="col">{t('passkeys.colLastUsed')}</th>
                <th scope="col">
                  <span className="sr-only">{t('passkeys.colActions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td>{label(p)}</td>
                  <td>{formatDate(p.createdAt)}</td>
                  <td>{p.lastUsedAt ? formatDate(p.lastUsedAt) : t('passkeys.never')}</td>
                  <td>
                    <PasskeyRename
                      id={p.id}
                      label={label(p)}
                      onRenamed={(n) => {
                        setNotice(t('passkeyRename.done', { name: n }));
                        reload();
                      }}
                    />{' '}
                    <button
                      type="button"
                      className="secondary danger"
                      onClick={() => setRemoving(p)}
                      aria-label={t('passkeys.removeNamed', { name: label(p) })}
                    >
                      {t('action.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {supported ? (
        <form onSubmit={add} className="form" noValidate>
          <Field
            label={t('passkeys.name')}
            value={name}
            onChange={setName}
            hint={t('passkeys.nameHint')}
            error={tooLong ? t('passkeys.nameTooLong') : undefined}
            autoComplete="off"
          />
          <div className="actions">
            <button type="submit" disabled={busy || tooLong}>
              {t('passkeys.add')}
            </button>
          </div>
          {busy && !removing ? (
            <p className="state" role="status">
              {t('passkeys.adding')}
            </p>
          ) : null}
        </form>
      ) : (
        <p className="error-note" role="note">
          {t('passkeys.unsupported')}
        </p>
      )}
      {problem ? (
        <div className="error-note" role="alert">
          <p>{t(problem)}</p>
        </div>
      ) : null}
      {failure ? <ErrorNote error={failure} /> : null}
      {notice ? (
        <p className="success" role="status">
          {notice}
        </p>
      ) : null}
      <Confirm
        open={removing !== undefined}
        title={t('passkeys.removeTitle')}
        confirmLabel={t('passkeys.removeConfirm')}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(undefined)}
        busy={busy}
      >
        <p>{t('passkeys.removeText', { name: removing ? label(removing) : '' })}</p>
      </Confirm>
    </section>
  );
}
