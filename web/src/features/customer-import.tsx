/**
 * Customers from a CSV file (Invoicing core point 4): choose a file, let the server check it (a dry
 * run that changes nothing) and see the first rows as Kluis read them beside every problem by row;
 * then import — everything, or only the good rows — with progress while it runs and the result
 * after. The export of all customers is a download on the same screen.
 */
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { apiUpload, download } from '../api.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import { ErrorNote } from '../ui.tsx';
import { issueKey } from '../validation.ts';

interface RowIssue {
  row: number;
  field: string;
  code: string;
  message: string;
}

interface PreviewRow {
  row: number;
  kind: string;
  name: string;
  email: string | null;
  city: string | null;
  country: string | null;
  valid: boolean;
}

interface ImportReport {
  dryRun: boolean;
  rows: number;
  valid: number;
  created: number;
  errorCount: number;
  errors: RowIssue[];
  skipped: number;
  preview: PreviewRow[];
}

/** The server's limit (MAX_CSV_BYTES): checked here first so a large file is not sent for nothing. */
const MAX_BYTES = 8 * 1024 * 1024;

type Stage =
  | { kind: 'choose' }
  | { kind: 'checking' }
  | { kind: 'checked'; report: ImportReport }
  | { kind: 'importing'; report: ImportReport; count: number }
  | { kind: 'done'; report: ImportReport };

const FIELD_LABELS: Record<string, Key> = {
  name: 'customer.name',
  kind: 'customer.kind',
  contactPerson: 'customer.contact',
  email: 'customer.email',
  'address.street': 'customer.street',
  'address.postalCode': 'customer.postalCode',
  'address.city': 'customer.city',
  'address.country': 'customer.country',
  iban: 'customer.iban',
  vatNumber: 'customer.vat',
  kvkNumber: 'customer.kvk',
  paymentTermDays: 'customer.paymentTerm',
};

/** A row problem in the person's language (the server's message is English). */
function problemKey(issue: RowIssue): Key {
  if (issue.code === 'unknown_column') return 'csvImport.unknownColumn';
  if (issue.code === 'duplicate_column') return 'csvImport.duplicateColumn';
  if (issue.code === 'column_missing') return 'csvImport.columnMissing';
  if (issue.code === 'schema_minLength' && issue.field === 'name') return 'invalid.required';
  if (issue.code === 'schema_type' || issue.code === 'schema_integer') return 'csvImport.notNumber';
  return issueKey(issue.code);
}

const importPath = (query: string) => `/api/v1/customers/import?${query}`;

/** The import screen at /customers/import. */
export function CustomerImport() {
  const t = useT();
  useTitle(t('csvImport.title'));
  const fileId = useId();
  const [file, setFile] = useState<File>();
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [failure, setFailure] = useState<unknown>();
  const [tooBig, setTooBig] = useState(false);
  const [text, setText] = useState('');

  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    setFile(e.target.files?.[0]);
    setStage({ kind: 'choose' });
    setFailure(undefined);
    setTooBig(false);
  };

  const check = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setFailure(undefined);
    if (file.size > MAX_BYTES) {
      setTooBig(true);
      return;
    }
    setStage({ kind: 'checking' });
    try {
      const csv = await file.text();
      setText(csv);
      const report = await apiUpload<ImportReport>(importPath('dryRun=true'), csv, 'text/csv');
      setStage({ kind: 'checked', report });
    } catch (err) {
      setFailure(err);
      setStage({ kind: 'choose' });
    }
  };

  const run = async (report: ImportReport) => {
    const skipping = report.errorCount > 0;
    setFailure(undefined);
    setStage({ kind: 'importing', report, count: report.valid });
    try {
      const done = await apiUpload<ImportReport>(
        importPath(skipping ? 'skipInvalid=true' : 'dryRun=false'),
        text,
        'text/csv',
      );
      setStage({ kind: 'done', report: done });
    } catch (err) {
      setFailure(err);
      setStage({ kind: 'checked', report });
    }
  };

  const report = stage.kind === 'choose' || stage.kind === 'checking' ? undefined : stage.report;
  const headerBroken = report?.errors.some((i) => i.row === 1) ?? false;
  const busy = stage.kind === 'checking' || stage.kind === 'importing';

  return (
    <>
      <div className="section-head">
        <h1>{t('csvImport.title')}</h1>
        <button
          type="button"
          className="secondary"
          onClick={() => void download('/api/v1/customers/export.csv', 'klanten.csv').catch(setFailure)}
        >
          {t('csvImport.export')}
        </button>
      </div>
      <p className="lead">{t('csvImport.intro')}</p>
      <form onSubmit={check} className="form" noValidate>
        <div className="field">
          <label htmlFor={fileId}>{t('csvImport.file')}</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            onChange={choose}
            aria-describedby={`${fileId}-hint`}
            disabled={busy}
          />
          <p id={`${fileId}-hint`} className="hint">
            {t('csvImport.fileHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" disabled={!file || busy}>
            {t('csvImport.check')}
          </button>
          <Link to="/customers" className="button secondary">
            {t('csvImport.back')}
          </Link>
        </div>
      </form>
      {tooBig ? (
        <div className="error-note" role="alert">
          <p>{t('csvImport.tooBig')}</p>
        </div>
      ) : null}
      {stage.kind === 'checking' ? <Progress label={t('csvImport.checking')} /> : null}
      {failure ? <ErrorNote error={failure} /> : null}
      {report && stage.kind !== 'done' ? (
        <CheckResult
          report={report}
          headerBroken={headerBroken}
          busy={busy}
          onImport={() => void run(report)}
        />
      ) : null}
      {stage.kind === 'importing' ? (
        <Progress label={t('csvImport.importing', { count: stage.count })} />
      ) : null}
      {stage.kind === 'done' ? (
        <section aria-labelledby="import-done" className="panel">
          <h2 id="import-done" className="success" role="status">
            {stage.report.skipped > 0
              ? t('csvImport.doneSkipped', { created: stage.report.created, skipped: stage.report.skipped })
              : t('csvImport.done', { created: stage.report.created })}
          </h2>
          <div className="actions">
            <Link to="/customers" className="button">
              {t('csvImport.toList')}
            </Link>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setStage({ kind: 'choose' });
                setFile(undefined);
              }}
            >
              {t('csvImport.again')}
            </button>
          </div>
        </section>
      ) : null}
    </>
  );
}

/** An indeterminate progress bar with its text announced (the import is one request). */
function Progress(props: { label: string }) {
  const id = useId();
  return (
    <div className="panel" role="status">
      <p id={id}>{props.label}</p>
      <progress aria-labelledby={id} />
    </div>
  );
}

/** What the dry run found: the summary, the preview, the problems by row, and the import choice. */
function CheckResult(props: {
  report: ImportReport;
  headerBroken: boolean;
  busy: boolean;
  onImport: () => void;
}) {
  const t = useT();
  const { report } = props;
  const invalidRows = report.rows - report.valid;
  const fieldLabel = (issue: RowIssue) => {
    if (issue.row === 1) return `${t('csvImport.header')}: ${issue.field}`;
    const key = FIELD_LABELS[issue.field];
    return key ? t(key) : issue.field;
  };
  return (
    <>
      <p role="status" data-testid="import-summary">
        {t('csvImport.summary', { rows: report.rows, valid: report.valid, invalid: invalidRows })}
      </p>
      {report.preview.length > 0 ? (
        <section aria-labelledby="import-preview" className="panel">
          <h2 id="import-preview">{t('csvImport.previewTitle')}</h2>
          <div className="table-wrap">
            <table data-testid="import-preview">
              <caption className="sr-only">{t('csvImport.previewCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('csvImport.colRow')}
                  </th>
                  <th scope="col">{t('csvImport.colName')}</th>
                  <th scope="col">{t('csvImport.colEmail')}</th>
                  <th scope="col">{t('csvImport.colCity')}</th>
                  <th scope="col">{t('csvImport.colCountry')}</th>
                  <th scope="col">{t('csvImport.colStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {report.preview.map((p) => (
                  <tr key={p.row}>
                    <td className="num">{p.row}</td>
                    <td>{p.name}</td>
                    <td>{p.email}</td>
                    <td>{p.city}</td>
                    <td>{p.country}</td>
                    <td>
                      <span className={p.valid ? 'badge badge-paid' : 'badge badge-overdue'}>
                        {p.valid ? t('csvImport.rowOk') : t('csvImport.rowError')}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {report.errors.length > 0 ? (
        <section aria-labelledby="import-errors" className="panel">
          <h2 id="import-errors">{t('csvImport.errorsTitle')}</h2>
          {props.headerBroken ? (
            <div className="error-note" role="alert">
              <p>{t('csvImport.headerProblem')}</p>
            </div>
          ) : null}
          <div className="table-wrap">
            <table data-testid="import-errors">
              <caption className="sr-only">{t('csvImport.errorsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('csvImport.colRow')}
                  </th>
                  <th scope="col">{t('csvImport.colField')}</th>
                  <th scope="col">{t('csvImport.colProblem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((issue) => (
                  <tr key={`${issue.row}-${issue.field}-${issue.code}`}>
                    <td className="num">{issue.row}</td>
                    <td>{fieldLabel(issue)}</td>
                    <td>{t(problemKey(issue))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.errorCount > report.errors.length ? (
            <p className="hint">
              {t('csvImport.moreErrors', { count: report.errorCount - report.errors.length })}
            </p>
          ) : null}
        </section>
      ) : null}
      {props.headerBroken ? null : report.valid === 0 ? (
        <p className="hint">{t('csvImport.noneValid')}</p>
      ) : (
        <div className="actions">
          <button type="button" onClick={props.onImport} disabled={props.busy}>
            {invalidRows > 0
              ? t('csvImport.importValid', { count: report.valid })
              : t('csvImport.importAll', { count: report.valid })}
          </button>
        </div>
      )}
    </>
  );
}
