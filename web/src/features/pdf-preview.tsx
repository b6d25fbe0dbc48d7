/**
 * The PDF of an issued invoice or credit note, shown in the page. The PDF route needs the person's
 * bearer token, so the file is fetched with it and framed from a blob: URL (the CSP allows frames
 * from blob: only); the same blob is offered as a download for browsers that show no PDFs inline
 * (phones, some kiosks). A draft has no PDF: Kluis renders it once, at issue, with its number.
 */
import { useEffect, useId, useState } from 'react';
import { fetchFile } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { Invoice } from '../types.ts';
import { ErrorNote, Loading } from '../ui.tsx';

/** A "view PDF" toggle and, when open, the PDF inline with a download fallback. */
export function PdfPreview(props: { invoice: Invoice }) {
  const t = useT();
  const { id, number, status } = props.invoice;
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-fetches after a failure
  useEffect(() => {
    if (!open) return;
    let live = true;
    let made: string | undefined;
    setError(undefined);
    fetchFile(`/api/v1/invoices/${encodeURIComponent(id)}/pdf`).then(
      (blob) => {
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

  if (status === 'draft' || !number) return <p className="hint">{t('pdfPreview.draftNote')}</p>;
  const title = t('pdfPreview.title', { number });
  return (
    <section className="panel pdf-preview" aria-label={title}>
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        {open ? t('pdfPreview.hide') : t('pdfPreview.show')}
      </button>
      <div id={panelId} hidden={!open}>
        {open && !url && !error ? <Loading /> : null}
        {error ? <ErrorNote error={error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
        {url ? (
          <>
            <iframe src={url} title={title} className="pdf-frame" data-testid="pdf-preview" />
            <p className="hint">
              {t('pdfPreview.fallback')}{' '}
              <a href={url} download={`${number}.pdf`}>
                {t('pdfPreview.download')}
              </a>
            </p>
          </>
        ) : null}
      </div>
    </section>
  );
}
