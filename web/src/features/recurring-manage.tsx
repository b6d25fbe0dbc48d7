/**
 * Changing a recurring schedule after it was made (PATCH /api/v1/recurring-invoices/{id}): its end
 * date and whether occurrences become drafts or are issued at once, in a dialog from the schedule's
 * row, which also lists the invoices it made so far (GET …/{id}/occurrences) with a link to each.
 */
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { formatDate } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { Confirm, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';

interface Occurrence {
  date: string;
  invoiceId: string;
  state: string;
  errorCode: string | null;
}

function Occurrences(props: { id: string }) {
  const t = useT();
  const { data, error, loading, reload } = useLoad(
    async () =>
      (
        await api<{ items: Occurrence[] }>(
          'GET',
          `/api/v1/recurring-invoices/${encodeURIComponent(props.id)}/occurrences`,
        )
      ).items,
    [props.id],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  if (data.length === 0) return <p className="hint">{t('recurringManage.noOccurrences')}</p>;
  return (
    <ul data-testid="occurrences">
      {data.map((o) => (
        <li key={`${o.date}-${o.invoiceId}`}>
          <Link to={`/invoices/${o.invoiceId}`}>{formatDate(o.date)}</Link>
          {o.errorCode ? ` — ${t('recurringManage.failed')}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** The "change" button of a schedule's row and its dialog. */
export function ScheduleManage(props: {
  schedule: { id: string; endDate: string | null; mode: 'draft' | 'issue' };
  customerName: string;
  onSaved: () => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [endDate, setEndDate] = useState('');
  const [mode, setMode] = useState<string>('draft');
  const [fieldError, setFieldError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // What this dialog saved last: reopened before the list has reloaded, it shows that, not the
  // list's older copy of the schedule.
  const [saved, setSaved] = useState<{ endDate: string | null; mode: 'draft' | 'issue' }>();
  const { endDate: listedEnd, mode: listedMode } = props.schedule;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a newer listed schedule replaces what was saved here
  useEffect(() => setSaved(undefined), [listedEnd, listedMode]);

  const save = async () => {
    setFieldError(undefined);
    setFailure(undefined);
    setBusy(true);
    try {
      const next = { endDate: endDate || null, mode: mode as 'draft' | 'issue' };
      await api('PATCH', `/api/v1/recurring-invoices/${encodeURIComponent(props.schedule.id)}`, next);
      setSaved(next);
      setOpen(false);
      props.onSaved();
    } catch (e) {
      const issue = e instanceof ApiError ? e.issues.find((i) => i.path.endsWith('endDate')) : undefined;
      if (issue) {
        setFieldError(
          issue.code === 'end_before_start'
            ? t('recurringManage.endBeforeStart')
            : t('recurringManage.endDateInvalid'),
        );
      } else setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="secondary small"
        aria-label={t('recurringManage.named', { name: props.customerName })}
        onClick={() => {
          const current = saved ?? props.schedule;
          setEndDate(current.endDate ?? '');
          setMode(current.mode);
          setFieldError(undefined);
          setFailure(undefined);
          setOpen(true);
        }}
      >
        {t('recurringManage.button')}
      </button>
      <Confirm
        open={open}
        title={t('recurringManage.title', { name: props.customerName })}
        confirmLabel={t('recurringManage.save')}
        busy={busy}
        onConfirm={() => void save()}
        onCancel={() => setOpen(false)}
      >
        <Field
          label={t('recurringManage.endDate')}
          type="date"
          value={endDate}
          onChange={setEndDate}
          hint={t('recurringManage.endDateHint')}
          error={fieldError}
        />
        <Select
          label={t('recurringManage.mode')}
          value={mode}
          onChange={setMode}
          options={[
            { value: 'draft', label: t('recurring.mode.draft') },
            { value: 'issue', label: t('recurring.mode.issue') },
          ]}
        />
        <h3>{t('recurringManage.occurrences')}</h3>
        {open ? <Occurrences id={props.schedule.id} /> : null}
        {failure ? <ErrorNote error={failure} /> : null}
      </Confirm>
    </>
  );
}
