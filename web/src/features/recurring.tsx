/**
 * Recurring invoices: the schedules (customer, how often, the next date, draft or issued at once)
 * with pause, resume and removal, and a form for a new schedule whose lines are typed or picked
 * from the products, as on a quote. The same form changes a schedule (GET, then PATCH
 * /api/v1/recurring-invoices/{id} with what it accepts: customer, lines, frequency or a custom
 * interval, start and end date, mode); the template's other fields (notes, references) are kept.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { listCustomers } from '../data.ts';
import { formatDate, today } from '../format.ts';
import { type Key, useT } from '../i18n.tsx';
import { Link, navigate, useTitle } from '../router.tsx';
import type { Customer, Page } from '../types.ts';
import { Empty, ErrorNote, Field, Loading, Select, useLoad } from '../ui.tsx';
import { type LineForm, LinesEditor, lineFromApi, linesBody, newLine } from './lines.tsx';
import { listProducts, type Product } from './products.tsx';
import { ScheduleManage } from './recurring-manage.tsx';

interface TemplateLine {
  description: string;
  quantity: string;
  unitPrice: string;
  vatCategory: string;
  vatRate: string;
}

interface Schedule {
  id: string;
  customerId: string;
  template: { lines: TemplateLine[] } & Record<string, unknown>;
  frequency: string;
  interval: { unit: string; count: number };
  startDate: string;
  endDate: string | null;
  mode: 'draft' | 'issue';
  status: 'active' | 'paused';
  nextOccurrence: string | null;
  lastOccurrence: string | null;
  lastError: string | null;
}

const FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;
const UNITS = ['day', 'week', 'month'] as const;

/** The schedules. */
export function RecurringList() {
  const t = useT();
  useTitle(t('recurring.title'));
  const { data, error, loading, reload } = useLoad(
    async () => ({
      schedules: (await api<Page<Schedule>>('GET', '/api/v1/recurring-invoices?limit=200')).items,
      customers: await listCustomers(),
    }),
    [],
  );
  const [failure, setFailure] = useState<unknown>();
  const act = async (method: string, path: string) => {
    setFailure(undefined);
    try {
      await api(method, path);
      reload();
    } catch (e) {
      setFailure(e);
    }
  };
  const name = (id: string) => data?.customers.find((c) => c.id === id)?.name ?? '';
  return (
    <>
      <div className="section-head">
        <h1>{t('recurring.title')}</h1>
        <Link to="/recurring/new" className="button">
          {t('recurring.new')}
        </Link>
      </div>
      <p>{t('recurring.intro')}</p>
      {loading && !data ? <Loading /> : null}
      {error ? <ErrorNote error={error} onRetry={reload} /> : null}
      {failure ? <ErrorNote error={failure} /> : null}
      {data && data.schedules.length === 0 ? (
        <Empty>
          <p>{t('recurring.empty')}</p>
        </Empty>
      ) : null}
      {data && data.schedules.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t('recurring.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('quote.customer')}</th>
                <th scope="col">{t('recurring.frequency')}</th>
                <th scope="col">{t('recurring.next')}</th>
                <th scope="col">{t('recurring.mode')}</th>
                <th scope="col">{t('invoice.status')}</th>
                <th scope="col">
                  <span className="sr-only">{t('recurring.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.schedules.map((s) => {
                const base = `/api/v1/recurring-invoices/${encodeURIComponent(s.id)}`;
                return (
                  <tr key={s.id}>
                    <td>{name(s.customerId)}</td>
                    <td>{t(`recurring.frequency.${s.frequency}` as Key)}</td>
                    <td>{s.status === 'active' ? formatDate(s.nextOccurrence) : '—'}</td>
                    <td>{t(`recurring.mode.${s.mode}` as Key)}</td>
                    <td>
                      {t(`recurring.status.${s.status}` as Key)}
                      {s.lastError ? <p className="field-error">{s.lastError}</p> : null}
                    </td>
                    <td>
                      <div className="actions">
                        <ScheduleManage schedule={s} customerName={name(s.customerId)} onSaved={reload} />
                        <Link
                          to={`/recurring/${encodeURIComponent(s.id)}/edit`}
                          className="button secondary small"
                          aria-label={t('editing.scheduleNamed', { name: name(s.customerId) })}
                        >
                          {t('editing.scheduleButton')}
                        </Link>
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={t(
                            s.status === 'active' ? 'recurring.pauseNamed' : 'recurring.resumeNamed',
                            {
                              name: name(s.customerId),
                            },
                          )}
                          onClick={() =>
                            void act('POST', `${base}/${s.status === 'active' ? 'pause' : 'resume'}`)
                          }
                        >
                          {t(s.status === 'active' ? 'recurring.pause' : 'recurring.resume')}
                        </button>
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={t('recurring.removeNamed', { name: name(s.customerId) })}
                          onClick={() => void act('DELETE', base)}
                        >
                          {t('action.remove')}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** The new-schedule form, or with `id` the form of that schedule, filled with it. */
export function RecurringEditor(props: { id?: string }) {
  const { data, error, loading, reload } = useLoad(
    async () => ({
      customers: await listCustomers(),
      products: await listProducts(),
      schedule: props.id
        ? await api<Schedule>('GET', `/api/v1/recurring-invoices/${encodeURIComponent(props.id)}`)
        : undefined,
    }),
    [props.id],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  return (
    <RecurringForm
      key={data.schedule?.id}
      customers={data.customers}
      products={data.products}
      schedule={data.schedule}
    />
  );
}

function RecurringForm(props: {
  customers: Customer[];
  products: Product[];
  schedule?: Schedule | undefined;
}) {
  const t = useT();
  const s = props.schedule;
  const heading = s ? t('editing.scheduleTitle') : t('recurring.new');
  useTitle(heading);
  const [customerId, setCustomerId] = useState(s?.customerId ?? '');
  const [frequency, setFrequency] = useState<string>(s?.frequency ?? 'monthly');
  const [unit, setUnit] = useState<string>(s?.interval.unit ?? 'month');
  const [count, setCount] = useState(String(s?.interval.count ?? 1));
  const [startDate, setStartDate] = useState(s?.startDate ?? today());
  const [endDate, setEndDate] = useState(s?.endDate ?? '');
  const [mode, setMode] = useState<string>(s?.mode ?? 'draft');
  const [lines, setLines] = useState<LineForm[]>(() =>
    s && s.template.lines.length > 0 ? s.template.lines.map(lineFromApi) : [newLine()],
  );
  const [missing, setMissing] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!customerId) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      const custom = frequency === 'custom';
      const interval = custom ? { unit, count: Number.parseInt(count, 10) || 0 } : null;
      if (s) {
        await api('PATCH', `/api/v1/recurring-invoices/${encodeURIComponent(s.id)}`, {
          customerId,
          frequency,
          ...(custom ? { interval } : {}),
          ...(startDate !== s.startDate ? { startDate } : {}),
          endDate: endDate || null,
          mode,
          template: { ...s.template, lines: linesBody(lines) },
        });
      } else {
        await api('POST', '/api/v1/recurring-invoices', {
          customerId,
          frequency,
          ...(custom ? { interval } : {}),
          startDate,
          endDate: endDate || null,
          mode,
          template: { lines: linesBody(lines) },
        });
      }
      navigate('/recurring');
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };

  if (props.customers.length === 0) {
    return (
      <>
        <h1>{heading}</h1>
        <Empty>
          <p>{t('quote.noCustomers')}</p>
        </Empty>
      </>
    );
  }
  return (
    <>
      <h1>{heading}</h1>
      <form className="form editor" onSubmit={submit} noValidate>
        <div className="row">
          <Select
            label={t('quote.customer')}
            value={customerId}
            onChange={(v) => {
              setCustomerId(v);
              setMissing(false);
            }}
            options={[
              { value: '', label: t('invoice.chooseCustomer') },
              ...props.customers.map((c) => ({ value: c.id, label: c.name })),
            ]}
            error={missing ? t('invalid.customer') : undefined}
            required
          />
          <Select
            label={t('recurring.frequency')}
            value={frequency}
            onChange={setFrequency}
            options={[...FREQUENCIES, 'custom' as const].map((f) => ({
              value: f,
              label: t(`recurring.frequency.${f}`),
            }))}
          />
          <Select
            label={t('recurring.mode')}
            value={mode}
            onChange={setMode}
            options={[
              { value: 'draft', label: t('recurring.mode.draft') },
              { value: 'issue', label: t('recurring.mode.issue') },
            ]}
          />
        </div>
        {frequency === 'custom' ? (
          <div className="row">
            <Field label={t('editing.intervalCount')} value={count} inputMode="numeric" onChange={setCount} />
            <Select
              label={t('editing.intervalUnit')}
              value={unit}
              onChange={setUnit}
              options={UNITS.map((u) => ({ value: u, label: t(`editing.unit.${u}`) }))}
            />
          </div>
        ) : null}
        <div className="row">
          <Field
            label={t('recurring.start')}
            type="date"
            value={startDate}
            onChange={setStartDate}
            required
            {...(s ? { hint: t('editing.startHint') } : {})}
          />
          <Field
            label={t('recurring.end')}
            type="date"
            value={endDate}
            onChange={setEndDate}
            hint={t('recurring.endHint')}
          />
        </div>
        <LinesEditor lines={lines} setLines={setLines} products={props.products} date={startDate} />
        {failure ? <ErrorNote error={failure} /> : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('action.save')}
          </button>
          {s ? (
            <Link to="/recurring" className="button secondary">
              {t('editing.cancel')}
            </Link>
          ) : null}
        </div>
      </form>
    </>
  );
}
