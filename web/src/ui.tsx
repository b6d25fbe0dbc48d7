/**
 * Shared pieces of every screen: loading, error and empty states in the person's language, labelled
 * form fields that announce their errors, and a confirmation dialog on the native <dialog> (focus
 * is trapped and Escape cancels, without code of our own).
 */
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from './api.ts';
import { type Key, useT } from './i18n.tsx';

/** Loads data for a screen; `deps` name what it depends on; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const key = JSON.stringify(deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-runs when the caller's deps or the reload counter change
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

/** The message for an error, in the person's language. */
export function useErrorText(): (e: unknown) => string {
  const t = useT();
  return (e: unknown) => {
    if (e instanceof ApiError) {
      const known = `error.${e.code}` as Key;
      const text = t(known);
      if (text !== known) return text;
      if (e.status === 403) return t('error.forbidden');
      if (e.status === 404) return t('error.not_found');
      if (e.status >= 500) return t('error.server');
      return t('error.generic');
    }
    return t('error.network');
  };
}

/** Shown while a screen loads. */
export function Loading() {
  const t = useT();
  return (
    <p className="state" role="status">
      {t('state.loading')}
    </p>
  );
}

/** Shown when a screen could not load or an action failed. */
export function ErrorNote(props: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const text = useErrorText();
  return (
    <div className="error-note" role="alert">
      <p>{text(props.error)}</p>
      {props.onRetry ? (
        <button type="button" className="secondary" onClick={props.onRetry}>
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** Shown when a list has nothing in it. */
export function Empty(props: { children: ReactNode }) {
  return <div className="state empty">{props.children}</div>;
}

/** A labelled text input with an optional hint and an error announced to screen readers. */
export function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string | undefined;
  hint?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'decimal' | 'numeric' | 'email';
  name?: string;
}) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
      {props.hint ? (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled select. */
export function Select(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <select
        id={id}
        value={props.value}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? (
        <p id={`${id}-error`} className="field-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A modal confirmation; `onConfirm` runs when the person confirms. */
export function Confirm(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={props.onCancel} className="confirm">
      <h2 id={titleId}>{props.title}</h2>
      <div>{props.children}</div>
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onCancel}>
          {t('action.cancel')}
        </button>
        <button type="button" onClick={props.onConfirm} disabled={props.busy}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** An invoice status as a badge with its name in words (never colour alone). */
export function StatusBadge(props: { status: string; overdue?: boolean }) {
  const t = useT();
  const status = props.overdue ? 'overdue' : props.status;
  return <span className={`badge badge-${status}`}>{t(`status.${status}` as Key)}</span>;
}
