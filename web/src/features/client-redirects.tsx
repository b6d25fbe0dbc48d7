/**
 * The redirect addresses of an interactive API client (a third-party app acting for a person,
 * code + PKCE after Kluis's consent page, ADR 0017): one per line; empty for a machine integration
 * (client credentials). The server decides what is allowed and answers `redirect_uri_invalid`.
 */
import { useId } from 'react';
import { ApiError } from '../api.ts';
import { useT } from '../i18n.tsx';

/** The lines of the text area as the API's `redirectUris` (trimmed, blank lines left out). */
export function redirectUrisOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The server's refusal of the addresses, if that is what `error` is. */
export function redirectError(error: unknown): boolean {
  return error instanceof ApiError && error.issues.some((i) => i.path === 'redirectUris');
}

/** The text area for the redirect addresses. */
export function RedirectUris(props: { value: string; onChange: (v: string) => void; invalid: boolean }) {
  const t = useT();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('clients.redirectUris')}</label>
      <textarea
        id={id}
        rows={2}
        value={props.value}
        spellCheck={false}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={`${id}-hint${props.invalid ? ` ${id}-error` : ''}`}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {t('clients.redirectUrisHint')}
      </p>
      {props.invalid ? (
        <p id={`${id}-error`} className="field-error">
          {t('error.redirect_uri_invalid')}
        </p>
      ) : null}
    </div>
  );
}
