/**
 * A tiny client-side router on the History API: the app has a handful of screens, so a library
 * would add more than it saves. `Link` is a real <a href> (keyboard, middle-click and screen
 * readers work as usual); a plain click is handled without a page load.
 */
import { type MouseEvent, type ReactNode, useEffect, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

/** Goes to a path inside the app; `replace` does not add a history entry. */
export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { path: string; search: string } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const [path = '/', search = ''] = href.split(/(?=\?)/);
  return { path, search };
}

/** Matches `/invoices/:id` against a path; returns the parameters or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = path.replace(/\/+$/, '').split('/');
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? '';
    const val = a[i] ?? '';
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return undefined;
  }
  return params;
}

/** An in-app link. */
export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
  'aria-label'?: string;
}) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a
      href={props.to}
      onClick={onClick}
      className={props.className}
      aria-current={props.current ? 'page' : undefined}
      aria-label={props['aria-label']}
    >
      {props.children}
    </a>
  );
}

/** Sets the document title; screen readers announce it on navigation. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Kluis`;
  }, [title]);
}
