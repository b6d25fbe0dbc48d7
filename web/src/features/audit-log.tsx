/**
 * The business's audit log (Privacy center point 7, for owners and admins): a search over
 * `GET /api/v1/audit-events` by kind of event (one action or every action of a record type),
 * person, record id and dates, newest first with "load more" on the API's cursor; and the
 * NDJSON export for an auditor, whose last line is Kluis's verification of the hash chain — shown
 * here after the download, so the person sees at once whether the chain is intact.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { accessToken, refresh } from '../auth/oidc.ts';
import { addDays } from '../format.ts';
import { type Key, useLang, useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { AUDIT_GROUPS, actionName, actionsUnder, groupName } from './audit-actions.ts';

interface AuditEvent {
  seq: number;
  id: string;
  occurredAt: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  requestId: string | null;
  data: Record<string, string | number | boolean | null>;
}
interface Page {
  items: AuditEvent[];
  nextCursor: string | null;
}
interface Member {
  userId: string;
  email: string | null;
}
interface Client {
  id: string;
  name: string;
}
interface Verification {
  ok: boolean;
  events: number;
  headSeq: number;
  firstBroken?: { seq: number; reason: string };
}
interface Filter {
  action: string;
  actor: string;
  entityId: string;
  from: string;
  to: string;
}

const NO_FILTER: Filter = { action: '', actor: '', entityId: '', from: '', to: '' };
const EXPORT_PATH = '/api/v1/audit-events/export';

/** The query string of a filter; "to" is inclusive on screen, exclusive in the API. */
function query(f: Filter, cursor?: string): string {
  const q = new URLSearchParams({ limit: '50' });
  if (f.action) q.set('action', f.action);
  if (f.actor) q.set('actor', f.actor);
  if (f.entityId.trim()) q.set('entityId', f.entityId.trim());
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', addDays(f.to, 1));
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

/**
 * Fetches the export with the person's token (one refresh on a refused token, as api.ts does),
 * saves it under the server's file name and returns the verification from its last line.
 */
async function downloadExport(): Promise<Verification | undefined> {
  const get = (token: string | undefined) =>
    fetch(EXPORT_PATH, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let res = await get(await accessToken());
  if (res.status === 401) res = await get(await refresh());
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string } }
      | undefined;
    throw new ApiError(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? res.statusText);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name ?? 'kluis-audit-log.ndjson';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  // Only the tail is read: the verification is one short line, the log itself may be large.
  const tail = await blob.slice(Math.max(0, blob.size - 4096)).text();
  const last = tail.trimEnd().split('\n').at(-1) ?? '';
  try {
    return (JSON.parse(last) as { verification?: Verification }).verification;
  } catch {
    return undefined;
  }
}

/** Long ids and hashes shortened for the table; the full value stays in the title. */
function short(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function DataCell(props: { data: AuditEvent['data'] }) {
  const entries = Object.entries(props.data);
  if (entries.length === 0) return null;
  return (
    <ul>
      {entries.map(([k, v]) => (
        <li key={k}>
          {k}: <span title={String(v)}>{short(String(v), 24)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The kind-of-event picker: every action, or all of a group, or one action, grouped. */
function ActionSelect(props: { value: string; onChange: (v: string) => void }) {
  const t = useT();
  const [lang] = useLang();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('audit.action')}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{t('audit.allActions')}</option>
        {Object.keys(AUDIT_GROUPS).map((prefix) => (
          <optgroup key={prefix} label={groupName(prefix, lang)}>
            <option value={prefix}>{t('audit.everything', { name: groupName(prefix, lang) })}</option>
            {actionsUnder(prefix).map((a) => (
              <option key={a} value={a}>
                {actionName(a, lang)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function ExportSection() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [result, setResult] = useState<Verification | 'missing'>();
  const run = async () => {
    setBusy(true);
    setFailure(undefined);
    setResult(undefined);
    try {
      setResult((await downloadExport()) ?? 'missing');
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="audit-export-title" className="panel">
      <h2 id="audit-export-title">{t('audit.exportTitle')}</h2>
      <p>{t('audit.exportIntro')}</p>
      <button type="button" onClick={run} disabled={busy}>
        {t('audit.exportButton')}
      </button>
      <div aria-live="polite">
        {busy ? <p className="state">{t('audit.exporting')}</p> : null}
        {result === 'missing' ? <p className="field-error">{t('audit.verifyMissing')}</p> : null}
        {result && result !== 'missing' && result.ok ? (
          <p className="success" data-testid="audit-verification">
            {t('audit.verifiedOk', { events: result.events })}
          </p>
        ) : null}
        {result && result !== 'missing' && !result.ok ? (
          <p className="field-error" role="alert" data-testid="audit-verification">
            {t('audit.verifiedBroken', {
              seq: result.firstBroken?.seq ?? '?',
              reason: result.firstBroken?.reason ?? '?',
            })}
          </p>
        ) : null}
      </div>
      {failure ? <ErrorNote error={failure} /> : null}
    </section>
  );
}

/** The audit-log screen. */
export function AuditLogPage() {
  const t = useT();
  const [lang] = useLang();
  useTitle(t('audit.title'));
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [more, setMore] = useState<{ items: AuditEvent[]; nextCursor: string | null }>();
  const [moreFailure, setMoreFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const first = useLoad(() => api<Page>('GET', `/api/v1/audit-events?${query(filter)}`), [filter]);
  // Who can act: the business's people and its API integrations, by name instead of by id.
  const actors = useLoad(
    async () => [
      ...(await api<Member[]>('GET', '/api/v1/members').catch(() => [])).map((m) => ({
        id: m.userId,
        label: m.email ?? m.userId,
      })),
      ...(await api<Client[]>('GET', '/api/v1/clients').catch(() => [])).map((c) => ({
        id: c.id,
        label: `${t('audit.actor.client')}: ${c.name}`,
      })),
    ],
    [],
  );
  const names = new Map((actors.data ?? []).map((a) => [a.id, a.label]));

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const forbidden = first.error instanceof ApiError && first.error.status === 403;

  const search = (e: FormEvent) => {
    e.preventDefault();
    setMore(undefined);
    setFilter({ ...draft });
  };
  const clear = () => {
    setDraft(NO_FILTER);
    setMore(undefined);
    setFilter(NO_FILTER);
  };
  const byRecord = (id: string) => {
    const next = { ...NO_FILTER, entityId: id };
    setDraft(next);
    setMore(undefined);
    setFilter(next);
  };
  const loadMore = async () => {
    if (!cursor) return;
    setBusy(true);
    setMoreFailure(undefined);
    try {
      const page = await api<Page>('GET', `/api/v1/audit-events?${query(filter, cursor)}`);
      setMore((m) => ({ items: [...(m?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
    } catch (e) {
      setMoreFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof Filter) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const who = (e: AuditEvent) => {
    const kind = t(`audit.actor.${e.actor.type}` as Key);
    if (!e.actor.id) return kind;
    if (e.actor.type === 'client') return names.get(e.actor.id) ?? `${kind}: ${e.actor.id}`;
    return `${kind}: ${names.get(e.actor.id) ?? e.actor.id}`;
  };
  const when = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'medium',
  });

  return (
    <>
      <p>
        <Link to="/privacy-center">{t('admin.back')}</Link>
      </p>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      {forbidden ? (
        <p className="error-note">{t('audit.forbidden')}</p>
      ) : (
        <>
          <form className="form" onSubmit={search} aria-labelledby="audit-filters-title">
            <h2 id="audit-filters-title">{t('audit.filters')}</h2>
            <ActionSelect value={draft.action} onChange={set('action')} />
            <Select
              label={t('audit.actor')}
              value={draft.actor}
              onChange={set('actor')}
              options={[
                { value: '', label: t('audit.anyone') },
                ...(actors.data ?? []).map((a) => ({ value: a.id, label: a.label })),
              ]}
            />
            <Field
              label={t('audit.entity')}
              hint={t('audit.entityHint')}
              value={draft.entityId}
              onChange={set('entityId')}
            />
            <div className="row">
              <Field label={t('audit.from')} type="date" value={draft.from} onChange={set('from')} />
              <Field label={t('audit.to')} type="date" value={draft.to} onChange={set('to')} />
            </div>
            <div className="actions">
              <button type="submit">{t('audit.search')}</button>
              <button type="button" className="secondary" onClick={clear}>
                {t('audit.reset')}
              </button>
            </div>
          </form>
          <section aria-labelledby="audit-results-title" className="panel">
            <h2 id="audit-results-title" className="sr-only">
              {t('audit.title')}
            </h2>
            {first.loading ? <Loading /> : null}
            {first.error ? <ErrorNote error={first.error} onRetry={first.reload} /> : null}
            {!first.loading && first.data && items.length === 0 ? (
              <Empty>
                <p>{t('audit.empty')}</p>
              </Empty>
            ) : null}
            {!first.loading && items.length > 0 ? (
              <>
                <p className="hint" aria-live="polite">
                  {t('audit.shown', { n: items.length })}
                </p>
                {/* Focusable, so a keyboard can scroll the table sideways on a phone. */}
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
                <section className="table-wrap" tabIndex={0} aria-labelledby="audit-results-title">
                  <table data-testid="audit-events">
                    <caption className="sr-only">{t('audit.title')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('audit.colTime')}</th>
                        <th scope="col">{t('audit.colAction')}</th>
                        <th scope="col">{t('audit.colActor')}</th>
                        <th scope="col">{t('audit.colTarget')}</th>
                        <th scope="col">{t('audit.colData')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((e) => (
                        <tr key={e.seq}>
                          <td>
                            <time dateTime={e.occurredAt}>{when.format(new Date(e.occurredAt))}</time>
                          </td>
                          <td>
                            <span title={e.action}>{actionName(e.action, lang)}</span>
                          </td>
                          <td>{who(e)}</td>
                          <td>
                            {e.target ? e.target.type : ''}{' '}
                            {e.target?.id ? (
                              <button
                                type="button"
                                className="link-button"
                                title={e.target.id}
                                // The visible id first, then what the button does (no sr-only span:
                                // absolutely placed, it would escape the table's scroll box on a phone).
                                aria-label={`${short(e.target.id, 13)} ${t('audit.byRecord')}`}
                                onClick={() => byRecord(e.target?.id ?? '')}
                              >
                                {short(e.target.id, 13)}
                              </button>
                            ) : null}
                          </td>
                          <td>
                            <DataCell data={e.data} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                {cursor ? (
                  <div className="actions">
                    <button type="button" className="secondary" onClick={loadMore} disabled={busy}>
                      {t('audit.more')}
                    </button>
                  </div>
                ) : null}
                {moreFailure ? <ErrorNote error={moreFailure} /> : null}
              </>
            ) : null}
          </section>
          <ExportSection />
        </>
      )}
    </>
  );
}
