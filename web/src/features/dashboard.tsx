/**
 * The dashboard: what is outstanding and what is overdue, summed exactly from the invoice list with
 * domain/decimal, and the most recent invoices. A business without seller details is pointed to
 * the settings first (the first run).
 */
import { add, type Decimal, decimal, formatDecimal, sub } from '../../../domain/decimal.ts';
import { api } from '../api.ts';
import { findSettings, listCustomers, listInvoices } from '../data.ts';
import { formatDate, formatMoney, today } from '../format.ts';
import { useT } from '../i18n.tsx';
import { Link, useTitle } from '../router.tsx';
import type { Invoice } from '../types.ts';
import { Empty, ErrorNote, Loading, StatusBadge, useLoad } from '../ui.tsx';
import { RevenueChart, vatThisQuarter } from './revenue.tsx';

const OPEN = new Set(['issued', 'sent', 'partially_paid']);

/** What is still to be paid of an invoice. */
export function openAmount(i: Invoice): Decimal {
  return sub(decimal(i.totals.payable), decimal(i.paidAmount));
}

/** True when an invoice is open and past its due date. */
export function isOverdue(i: Pick<Invoice, 'status' | 'kind' | 'dueDate'>, on = today()): boolean {
  return OPEN.has(i.status) && i.kind === 'invoice' && i.dueDate !== null && i.dueDate < on;
}

/** Outstanding and overdue totals (EUR invoices; others are counted apart). */
export function summarise(invoices: readonly Invoice[], on = today()) {
  let outstanding = decimal('0');
  let overdue = decimal('0');
  let overdueCount = 0;
  let openCount = 0;
  for (const i of invoices) {
    if (!OPEN.has(i.status) || i.kind !== 'invoice' || i.currency !== 'EUR') continue;
    const amount = openAmount(i);
    outstanding = add(outstanding, amount);
    openCount++;
    if (isOverdue(i, on)) {
      overdue = add(overdue, amount);
      overdueCount++;
    }
  }
  return {
    outstanding: formatDecimal(outstanding, Math.max(2, outstanding.scale)),
    overdue: formatDecimal(overdue, Math.max(2, overdue.scale)),
    openCount,
    overdueCount,
  };
}

/**
 * True when the data-protection contact is set and no agreement version awaits acceptance. Only
 * owners and admins may read these; for anyone else the owner's first run is not their task.
 */
async function isPrivacySetUp(): Promise<boolean> {
  try {
    const [contact, agreement] = await Promise.all([
      api<{ contact: unknown }>('GET', '/api/v1/privacy/contact'),
      api<{ mustAccept: boolean }>('GET', '/api/v1/agreement'),
    ]);
    return contact.contact !== null && !agreement.mustAccept;
  } catch {
    return true;
  }
}

/** The dashboard screen. */
export function Dashboard() {
  const t = useT();
  useTitle(t('nav.dashboard'));
  const { data, error, loading, reload } = useLoad(
    async () => ({
      settings: await findSettings(),
      invoices: await listInvoices(),
      customers: await listCustomers(),
      setUp: await isPrivacySetUp(),
    }),
    [],
  );
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error} onRetry={reload} />;
  const { settings, invoices, customers, setUp } = data;
  const names = new Map(customers.map((c) => [c.id, c.name]));
  const sum = summarise(invoices);
  const recent = invoices.slice(0, 8);
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      {!settings || !setUp ? (
        <section className="callout" aria-labelledby="first-run">
          <h2 id="first-run">{t('firstRun.title')}</h2>
          <p>{t('firstRun.text')}</p>
          <Link to="/settings" className="button">
            {t('firstRun.action')}
          </Link>
        </section>
      ) : null}
      <div className="cards">
        <section className="card" aria-labelledby="card-outstanding">
          <h2 id="card-outstanding">{t('dashboard.outstanding')}</h2>
          <p className="amount" data-testid="outstanding">
            {formatMoney(sum.outstanding)}
          </p>
          <p className="hint">{t('dashboard.openCount', { n: sum.openCount })}</p>
        </section>
        <section className="card" aria-labelledby="card-overdue">
          <h2 id="card-overdue">{t('dashboard.overdue')}</h2>
          <p className="amount" data-testid="overdue">
            {formatMoney(sum.overdue)}
          </p>
          <p className="hint">{t('dashboard.overdueCount', { n: sum.overdueCount })}</p>
        </section>
        <section className="card" aria-labelledby="card-vat">
          <h2 id="card-vat">{t('dashboard.vatQuarter')}</h2>
          <p className="amount" data-testid="vat-quarter">
            {formatMoney(vatThisQuarter(invoices))}
          </p>
          <p className="hint">{t('dashboard.vatQuarterHint')}</p>
        </section>
      </div>
      <section aria-labelledby="revenue">
        <h2 id="revenue">{t('dashboard.revenue')}</h2>
        <RevenueChart invoices={invoices} />
      </section>
      <section aria-labelledby="recent">
        <div className="section-head">
          <h2 id="recent">{t('dashboard.recent')}</h2>
          <Link to="/invoices/new" className="button">
            {t('invoices.new')}
          </Link>
        </div>
        {recent.length === 0 ? (
          <Empty>
            <p>{t('invoices.empty')}</p>
          </Empty>
        ) : (
          <ul className="recent">
            {recent.map((i) => (
              <li key={i.id}>
                <Link to={`/invoices/${i.id}`}>
                  {i.number ?? t('invoices.draft')} · {names.get(i.customerId) ?? i.buyer?.name ?? ''}
                </Link>
                <span>{formatDate(i.issueDate)}</span>
                <span className="num">{formatMoney(i.totals.payable, i.currency)}</span>
                <StatusBadge status={i.status} overdue={isOverdue(i)} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
