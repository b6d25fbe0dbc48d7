/**
 * SQL for recurring schedules and their occurrences. Every function takes the tenant's keys: the
 * template is sealed and opened here as one envelope bound to its row; services see plain values.
 */
import { and, asc, eq, gt, type SQL } from 'drizzle-orm';
import { decryptOptional, encryptOptional } from '../../crypto/envelope.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import type {
  Frequency,
  Mode,
  Occurrence,
  OccurrenceState,
  Schedule,
  ScheduleStatus,
  Template,
} from './recurring.model.ts';
import { recurringInvoices, recurringOccurrences } from './recurring.tables.ts';

type Row = typeof recurringInvoices.$inferSelect;

const where = (keys: TenantKeys, id: string) =>
  and(eq(recurringInvoices.tenantId, keys.tenantId), eq(recurringInvoices.id, id));

function sealTemplate(keys: TenantKeys, id: string, template: Template): Buffer {
  const aad = { tenantId: keys.tenantId, table: 'recurring_invoices', column: 'template_enc', rowId: id };
  return encryptOptional(keys.data, aad, JSON.stringify(template)) as Buffer;
}

function toSchedule(keys: TenantKeys, r: Row): Schedule {
  const aad = { tenantId: keys.tenantId, table: 'recurring_invoices', column: 'template_enc', rowId: r.id };
  return {
    id: r.id,
    customerId: r.customerId,
    template: JSON.parse(decryptOptional(keys.data, aad, r.templateEnc) ?? '{}') as Template,
    frequency: r.frequency as Frequency,
    interval: { unit: r.intervalUnit as Schedule['interval']['unit'], count: r.intervalCount },
    startDate: r.startDate,
    endDate: r.endDate,
    mode: r.mode as Mode,
    status: r.status as ScheduleStatus,
    nextIndex: r.nextIndex,
    nextDate: r.nextDate,
    lastDate: r.lastDate,
    lastError: r.lastError,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function columns(keys: TenantKeys, s: Schedule) {
  return {
    customerId: s.customerId,
    templateEnc: sealTemplate(keys, s.id, s.template),
    currency: s.template.currency ?? 'EUR',
    frequency: s.frequency,
    intervalUnit: s.interval.unit,
    intervalCount: s.interval.count,
    startDate: s.startDate,
    endDate: s.endDate,
    mode: s.mode,
    status: s.status,
    nextIndex: s.nextIndex,
    nextDate: s.nextDate,
    lastDate: s.lastDate,
    lastError: s.lastError,
    version: s.version,
    updatedAt: s.updatedAt,
  };
}

/** Inserts a schedule. */
export async function insertSchedule(tx: Tx, keys: TenantKeys, s: Schedule): Promise<void> {
  await tx
    .insert(recurringInvoices)
    .values({ ...columns(keys, s), tenantId: keys.tenantId, id: s.id, createdAt: s.createdAt });
}

/** Writes every field of a schedule back (after a change decided by a use case). */
export async function saveSchedule(tx: Tx, keys: TenantKeys, s: Schedule): Promise<void> {
  await tx.update(recurringInvoices).set(columns(keys, s)).where(where(keys, s.id));
}

/** Finds a schedule of this tenant; `lock` holds its row, which orders everything done to it. */
export async function findSchedule(
  tx: Tx,
  keys: TenantKeys,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Schedule | undefined> {
  const query = tx.select().from(recurringInvoices).where(where(keys, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ? toSchedule(keys, row) : undefined;
}

/** A page of schedules in creation order (ids are UUIDv7), after the cursor id. */
export async function listScheduleRows(
  tx: Tx,
  keys: TenantKeys,
  filter: { customerId?: string; status?: ScheduleStatus },
  after: string | null,
  limit: number,
): Promise<Schedule[]> {
  const conditions: SQL[] = [eq(recurringInvoices.tenantId, keys.tenantId)];
  if (filter.customerId) conditions.push(eq(recurringInvoices.customerId, filter.customerId));
  if (filter.status) conditions.push(eq(recurringInvoices.status, filter.status));
  if (after) conditions.push(gt(recurringInvoices.id, after));
  const rows = await tx
    .select()
    .from(recurringInvoices)
    .where(and(...conditions))
    .orderBy(asc(recurringInvoices.id))
    .limit(limit);
  return rows.map((r) => toSchedule(keys, r));
}

/** Deletes a schedule; its occurrences go with it (the invoices it made stay). */
export async function deleteSchedule(tx: Tx, keys: TenantKeys, id: string): Promise<void> {
  await tx.delete(recurringInvoices).where(where(keys, id));
}

/**
 * Claims an occurrence date for a schedule. The primary key (tenant, schedule, date) makes this the
 * one place a date can be taken: false when it already was, and then no invoice may be made for it.
 */
export async function claimOccurrence(tx: Tx, keys: TenantKeys, o: Occurrence, at: Date): Promise<boolean> {
  const rows = await tx
    .insert(recurringOccurrences)
    .values({
      tenantId: keys.tenantId,
      scheduleId: o.scheduleId,
      occurrenceDate: o.date,
      invoiceId: o.invoiceId,
      state: o.state,
      errorCode: o.errorCode,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ date: recurringOccurrences.occurrenceDate });
  return rows.length === 1;
}

/** Moves an occurrence to its next state. */
export async function setOccurrenceState(
  tx: Tx,
  keys: TenantKeys,
  o: { scheduleId: string; date: string },
  state: OccurrenceState,
  errorCode: string | null,
  at: Date,
): Promise<void> {
  await tx
    .update(recurringOccurrences)
    .set({ state, errorCode, updatedAt: at })
    .where(
      and(
        eq(recurringOccurrences.tenantId, keys.tenantId),
        eq(recurringOccurrences.scheduleId, o.scheduleId),
        eq(recurringOccurrences.occurrenceDate, o.date),
      ),
    );
}

/** The occurrences of a schedule in date order; `state` narrows them. */
export async function listOccurrences(
  tx: Tx,
  keys: TenantKeys,
  scheduleId: string,
  state?: OccurrenceState,
): Promise<Occurrence[]> {
  const conditions: SQL[] = [
    eq(recurringOccurrences.tenantId, keys.tenantId),
    eq(recurringOccurrences.scheduleId, scheduleId),
  ];
  if (state) conditions.push(eq(recurringOccurrences.state, state));
  const rows = await tx
    .select()
    .from(recurringOccurrences)
    .where(and(...conditions))
    .orderBy(asc(recurringOccurrences.occurrenceDate));
  return rows.map((r) => ({
    scheduleId: r.scheduleId,
    date: r.occurrenceDate,
    invoiceId: r.invoiceId,
    state: r.state as OccurrenceState,
    errorCode: r.errorCode,
  }));
}
