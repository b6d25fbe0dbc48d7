/**
 * The current business in the header, and — for a person in more than one — a switch to another
 * (Identity point 2, ADR 0017). Tokens are bound to one business at sign-in, so switching is a new
 * authorization with `kluis_business=<id>`: with a live session at the provider no form shows and
 * the person lands back on the same screen with the other business's tokens; with an expired one
 * they sign in again. A person with one business sees just its name.
 */
import { api } from '../api.ts';
import { signIn } from '../auth/oidc.ts';
import { type Key, useT } from '../i18n.tsx';
import { useLoad } from '../ui.tsx';

interface Me {
  business: { id: string };
  memberships: { business: { id: string; name: string | null }; role: string }[];
}

/** The business name and, with several businesses, the switch. */
export function BusinessSwitcher() {
  const t = useT();
  const { data } = useLoad(() => api<Me>('GET', '/api/v1/me'), []);
  if (!data) return null;
  const current = data.memberships.find((m) => m.business.id === data.business.id);
  const others = data.memberships.filter((m) => m.business.id !== data.business.id);
  const name = (n: string | null) => n ?? t('switcher.unnamed');
  const here = window.location.pathname + window.location.search;
  return (
    <div className="business-switcher">
      {current ? (
        <span data-testid="current-business">
          <span className="sr-only">{t('switcher.current')}: </span>
          {name(current.business.name)}
        </span>
      ) : null}
      {others.length > 0 ? (
        <details>
          <summary>{t('switcher.open')}</summary>
          <ul aria-label={t('switcher.label')}>
            {others.map((m) => (
              <li key={m.business.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => void signIn(here, m.business.id)}
                >
                  {t('switcher.to', { name: name(m.business.name), role: t(`role.${m.role}` as Key) })}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
