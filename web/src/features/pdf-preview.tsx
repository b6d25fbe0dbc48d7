/**
 * The PDF of an issued invoice or credit note, shown in the page. The PDF route needs the person's
 * bearer token, so the file is fetched with it and framed from a blob: URL (the CSP allows frames
 * from blob: only); the same blob is offered as a download for browsers that show no PDFs inline
 * (phones, some kiosks). A draft has no PDF of its own — Kluis renders that once, at issue, with its
 * number — but with `url` it shows its preview (CONCEPT/DRAFT, /preview.pdf) instead.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { fetchFile } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { Invoice } from '../types.ts';
import { ErrorNote, Loading } from '../ui.tsx';

/** Where a draft's preview PDF is. */
export function draftPreviewUrl(id: string): string {
  return `/api/v1/invoices/${encodeURIComponent(id)}/preview.pdf`;
}

/**
 * A "view PDF" toggle and, when open, the PDF inline with a download fallback. `url` shows another
 * PDF than the issued one (a draft's preview); as a function it runs on every opening (the editor
 * saves the draft there) and gives the address, or undefined to stay closed.
 */
export function PdfPreview(props: {
  invoice?: Invoice;
  url?: string | (() => Promise<string | undefined>);
  /** Opens at once, e.g. when the editor asked for the preview of a draft it has just created. */
  initiallyOpen?: boolean;
}) {
  const t = useT();
  const { id = '', number, status } = props.invoice ?? {};
  const preview = props.url !== undefined;
  const target = useRef(props.url);
  target.current = props.url;
  const panelId = useId();
  const [open, setOpen] = useState(props.initiallyOpen ?? false);
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-fetches after a failure
  useEffect(() => {
    if (!open) return;
    let live = true;
    let made: string | undefined;
    setError(undefined);
    const where = target.current ?? `/api/v1/invoices/${encodeURIComponent(id)}/pdf`;
    const address = typeof where === 'function' ? where() : Promise.resolve(where);
    address
      .then((url) => {
        if (url === undefined) {
          if (live) setOpen(false);
          return undefined;
        }
        return fetchFile(url);
      })
      .then(
        (blob) => {
          if (!blob) return;
          made = URL.createObjectURL(
            blob.type === 'application/pdf' ? blob : new Blob([blob], { type: 'application/pdf' }),
          );
          if (live) setUrl(made);
          else URL.revokeObjectURL(made);
        },
        (e: unknown) => live && setError(e),
      );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
      setUrl(undefined);
    };
  }, [open, id, attempt]);

  if (!preview && (status === 'draft' || !number)) return <p className="hint">{t('pdfPreview.draftNote')}</p>;
  const title = preview ? t('draftPreview.title') : t('pdfPreview.title', { number: number ?? '' });
  return (
    <section className="panel pdf-preview" aria-label={title}>
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        {open
          ? t(preview ? 'draftPreview.hide' : 'pdfPreview.hide')
          : t(preview ? 'draftPreview.show' : 'pdfPreview.show')}
      </button>
      <div id={panelId} hidden={!open}>
        {open && !url && !error ? <Loading /> : null}
        {error ? <ErrorNote error={error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
        {open && url ? (
          <>
            <iframe
              src={url}
              title={title}
              className="pdf-frame"
              data-testid={preview ? 'draft-preview' : 'pdf-preview'}
            />
            <p className="hint">
              {t('pdfPreview.fallback')}{' '}
              <a href={url} download={preview ? t('draftPreview.fileName') : `${number}.pdf`}>
                {t('pdfPreview.download')}
              </a>
            </p>
          </>
        ) : null}
      </div>
    </section>
  );
}
