/**
 * The business's outbox (issue 7 point 9, owners and admins): without a mail server (SMTP), Kluis
 * keeps the mails it would have sent here, encrypted; the list shows them newest first and one
 * opens to its text and attachment names. With SMTP there is no outbox, and the screen says so.
 */
import { ApiError, api } from '../api.ts';
import { formatDate } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { Empty, ErrorNote, Loading, useLoad } from '../ui.tsx';

interface Entry {
  id: string;
  date: string | null;
  to: string[];
  subject: string;
}
interface Mail extends Entry {
  from: string | null;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

const disabled = (e: unknown) => e instanceof ApiError && e.code === 'outbox_disabled';

/** The list of kept mails. */
export function OutboxPage() {
  const t = useT();
  useTitle(t('outbox.title'));
  const { data, error, loading, reload } = useLoad(
    () => api<{ items: Entry[] }>('GET', '/api/v1/outbox'),
    [],
  );
  return (
    <>
      <h1>{t('outbox.title')}</h1>
      {disabled(error) ? null : <p className="lead">{t('outbox.intro')}</p>}
      {loading && !data ? <Loading /> : null}
      {error && disabled(error) ? <Empty>{t('outbox.disabled')}</Empty> : null}
      {error && !disabled(error) ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data && data.items.length === 0 ? <Empty>{t('outbox.empty')}</Empty> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('outbox.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outbox.date')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.subject')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr key={m.id}>
                  <td>{formatDate(m.date)}</td>
                  <td>{m.to.join(', ')}</td>
                  <td>
                    <Link to={`/outbox/${m.id}`}>{m.subject || t('outbox.noSubject')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** One kept mail. */
export function OutboxMailPage(props: { id: string }) {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    () => api<Mail>('GET', `/api/v1/outbox/${encodeURIComponent(props.id)}`),
    [props.id],
  );
  useTitle(data?.subject || t('outbox.title'));
  return (
    <>
      <p>
        <Link to="/outbox">{t('outbox.back')}</Link>
      </p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {data ? (
        <article className="panel">
          <h1>{data.subject || t('outbox.noSubject')}</h1>
          <dl>
            <dt>{t('outbox.date')}</dt>
            <dd>{formatDate(data.date)}</dd>
            <dt>{t('outbox.from')}</dt>
            <dd>{data.from ?? ''}</dd>
            <dt>{t('outbox.to')}</dt>
            <dd>{data.to.join(', ')}</dd>
            {data.attachments.length > 0 ? (
              <>
                <dt>{t('outbox.attachments')}</dt>
                <dd>{data.attachments.map((a) => a.filename).join(', ')}</dd>
              </>
            ) : null}
          </dl>
          <pre className="mail-text">{data.text}</pre>
        </article>
      ) : null}
    </>
  );
}
