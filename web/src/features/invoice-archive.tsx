/**
 * The archive of a period on the invoices list (issue 5 point 6, issue 7 point 10): from/to dates
 * (by default the last full quarter) and one button that fetches GET /api/v1/invoices/archive.zip.
 * The server streams the ZIP without a length, so the body is read piece by piece and the bytes
 * received are shown with an indeterminate progress bar (a determinate one when a length is sent).
 * Only a complete archive is saved: its end record must be there; an archive without entries is
 * not saved but explained ("no issued invoices in this period").
 */
import { useId, useRef, useState } from 'react';
import { ApiError, fetchWithProgress, save } from '../api.ts';
import { today } from '../format.ts';
import { type Key, type Lang, useLang, useT } from '../i18n.tsx';
import { ErrorNote, Field } from '../ui.tsx';

/** The last full calendar quarter before the one `iso` is in, as ISO dates (both inclusive). */
export function lastFullQuarter(iso: string): { from: string; to: string } {
  const year = Number(iso.slice(0, 4));
  const quarter = Math.floor((Number(iso.slice(5, 7)) - 1) / 3); // 0..3, the current one
  const y = quarter === 0 ? year - 1 : year;
  const q = quarter === 0 ? 3 : quarter - 1;
  const startMonth = q * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(y, endMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${y}-${pad(startMonth)}-01`, to: `${y}-${pad(endMonth)}-${pad(lastDay)}` };
}

/**
 * The number of entries a ZIP says it holds, read from its end-of-central-directory record;
 * undefined when the record is missing (the download was cut off). yazl writes no comment, so the
 * record is the last 22 bytes; a comment is allowed for by scanning back.
 */
export function zipEntryCount(bytes: Uint8Array): number | undefined {
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 0x05 && bytes[at + 3] === 0x06) {
      const count = (bytes[at + 10] ?? 0) | ((bytes[at + 11] ?? 0) << 8);
      return count;
    }
  }
  return undefined;
}

function formatBytes(lang: Lang, bytes: number): string {
  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  if (bytes < 1024) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte' }).format(bytes);
  if (bytes < 1024 * 1024) {
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'kilobyte',
      maximumFractionDigits: 0,
    }).format(bytes / 1024);
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(
    bytes / (1024 * 1024),
  );
}

type State =
  | { kind: 'idle' }
  | { kind: 'running'; received: number; total: number | undefined }
  | { kind: 'done'; name: string; size: number; files: number }
  | { kind: 'empty' }
  | { kind: 'cancelled' }
  | { kind: 'truncated' }
  | { kind: 'failed'; error: unknown };

/** The period-archive panel. */
export function InvoiceArchive() {
  const t = useT();
  const [lang] = useLang();
  const headingId = useId();
  const progressId = useId();
  const initial = lastFullQuarter(today());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [fieldErrors, setFieldErrors] = useState<{ from?: string; to?: string }>({});
  const abort = useRef<AbortController | null>(null);

  const start = async () => {
    const missing = {
      ...(from ? {} : { from: t('archive.dateRequired') }),
      ...(to ? {} : { to: t('archive.dateRequired') }),
    };
    if (from && to && from > to) missing.to = t('error.date_before_from');
    setFieldErrors(missing);
    if (missing.from || missing.to) return;
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'running', received: 0, total: undefined });
    try {
      const query = new URLSearchParams({ from, to });
      const { name, blob } = await fetchWithProgress(
        `/api/v1/invoices/archive.zip?${query}`,
        `facturen-${from}-${to}.zip`,
        (received, total) => setState({ kind: 'running', received, total }),
        controller.signal,
      );
      const files = zipEntryCount(new Uint8Array(await blob.arrayBuffer()));
      if (files === undefined) setState({ kind: 'truncated' });
      else if (files === 0) setState({ kind: 'empty' });
      else {
        save(blob, name);
        setState({ kind: 'done', name, size: blob.size, files });
      }
    } catch (error) {
      if (controller.signal.aborted) setState({ kind: 'cancelled' });
      else if (error instanceof ApiError && error.issues.length > 0) {
        const byField: { from?: string; to?: string } = {};
        for (const issue of error.issues) {
          const path = issue.path.replace(/^\//, '');
          if (path === 'from' || path === 'to') {
            const text = t(`error.${issue.code}` as Key);
            byField[path] = text.startsWith('error.') ? t('error.generic') : text;
          }
        }
        setFieldErrors(byField);
        setState({ kind: 'failed', error });
      } else if (error instanceof TypeError) {
        // The stream broke off half-way (the server aborts it on a failure): never a partial file.
        setState({ kind: 'truncated' });
      } else setState({ kind: 'failed', error });
    } finally {
      abort.current = null;
    }
  };

  const running = state.kind === 'running';
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('archive.title')}</h2>
      <p className="hint">{t('archive.intro')}</p>
      <div className="filters">
        <Field
          label={t('archive.from')}
          type="date"
          name="archive-from"
          value={from}
          onChange={setFrom}
          error={fieldErrors.from}
          required
        />
        <Field
          label={t('archive.to')}
          type="date"
          name="archive-to"
          value={to}
          onChange={setTo}
          error={fieldErrors.to}
          required
        />
      </div>
      <div className="actions">
        <button type="button" onClick={() => void start()} disabled={running}>
          {t('archive.download')}
        </button>
        {running ? (
          <button type="button" className="secondary" onClick={() => abort.current?.abort()}>
            {t('archive.cancel')}
          </button>
        ) : null}
      </div>
      {running ? (
        <div role="status">
          <p id={progressId}>
            {state.received === 0
              ? t('archive.starting')
              : state.total
                ? t('archive.progressOf', {
                    received: formatBytes(lang, state.received),
                    total: formatBytes(lang, state.total),
                  })
                : t('archive.progress', { received: formatBytes(lang, state.received) })}
          </p>
          {state.total ? (
            <progress aria-labelledby={progressId} max={state.total} value={state.received} />
          ) : (
            <progress aria-labelledby={progressId} />
          )}
        </div>
      ) : null}
      {state.kind === 'done' ? (
        <p role="status">
          {t('archive.done', { name: state.name, size: formatBytes(lang, state.size), files: state.files })}
        </p>
      ) : null}
      {state.kind === 'empty' ? <p role="status">{t('archive.empty')}</p> : null}
      {state.kind === 'cancelled' ? <p role="status">{t('archive.cancelled')}</p> : null}
      {state.kind === 'truncated' ? (
        <div className="error-note" role="alert">
          <p>{t('archive.truncated')}</p>
        </div>
      ) : null}
      {state.kind === 'failed' ? <ErrorNote error={state.error} /> : null}
    </section>
  );
}
