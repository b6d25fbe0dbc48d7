/**
 * Which rights a new API client gets (POST /api/v1/clients takes `scopes`): a checkbox per scope,
 * all four by default, at least one; and the rights of an existing client in words, so a business
 * can give its bookkeeping package read access only and see that it did.
 */
import { useId } from 'react';
import { type Key, useT } from '../i18n.tsx';

export const SCOPES = ['customers:read', 'customers:write', 'invoices:read', 'invoices:write'] as const;

const scopeKey = (s: string) => `clients.scope.${s.replace(':', '.')}` as Key;

/** The checkboxes for a new client's rights. */
export function ScopeChoice(props: { value: readonly string[]; onChange: (scopes: string[]) => void }) {
  const t = useT();
  const id = useId();
  const toggle = (scope: string, on: boolean) =>
    props.onChange(SCOPES.filter((s) => (s === scope ? on : props.value.includes(s))));
  return (
    <fieldset>
      <legend>{t('clients.scopes')}</legend>
      {SCOPES.map((s, i) => (
        <div key={s} className="field checkbox">
          <input
            id={`${id}-${i}`}
            type="checkbox"
            checked={props.value.includes(s)}
            onChange={(e) => toggle(s, e.target.checked)}
          />
          <label htmlFor={`${id}-${i}`}>{t(scopeKey(s))}</label>
        </div>
      ))}
      {props.value.length === 0 ? <p className="field-error">{t('clients.scopeRequired')}</p> : null}
    </fieldset>
  );
}

/** An existing client's rights in words. */
export function ScopeList(props: { scopes: readonly string[] }) {
  const t = useT();
  return (
    <span data-testid="client-scopes">
      {props.scopes
        .map((s) => (SCOPES.includes(s as (typeof SCOPES)[number]) ? t(scopeKey(s)) : s))
        .join(', ')}
    </span>
  );
}
