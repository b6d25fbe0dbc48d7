/**
 * SQL for incidents. The platform tables (incidents, scope, updates) hold no personal data and no
 * tenant id, so any transaction reads them; `breach_notices` is a tenant table, so its functions
 * run inside the business's own transaction (forced RLS) and take the tenant.
 */
import { and, asc, count, desc, eq, isNull, max } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { newId } from '../../ids.ts';
import { customers } from '../customers/customers.tables.ts';
import { invoices } from '../invoices/invoices.tables.ts';
import { breachNotices, incidentScope, incidents, incidentUpdates } from './incidents.tables.ts';

export type IncidentRow = typeof incidents.$inferSelect;
export type ScopeRow = typeof incidentScope.$inferSelect;
export type UpdateRow = typeof incidentUpdates.$inferSelect;
export type NoticeRow = typeof breachNotices.$inferSelect;

/** Stores a new incident. */
export async function insertIncident(tx: Tx, row: typeof incidents.$inferInsert): Promise<void> {
  await tx.insert(incidents).values(row);
}

/** One incident, or undefined. */
export async function findIncident(tx: Tx, id: string): Promise<IncidentRow | undefined> {
  const [row] = await tx.select().from(incidents).where(eq(incidents.id, id));
  return row;
}

/** One incident locked for a change of status or scope (serialises closing against notifying). */
export async function lockIncident(tx: Tx, id: string): Promise<IncidentRow | undefined> {
  const [row] = await tx.select().from(incidents).where(eq(incidents.id, id)).for('update');
  return row;
}

/** Every incident, newest discovery first; open ones only when asked. */
export async function listIncidentRows(tx: Tx, openOnly: boolean): Promise<IncidentRow[]> {
  const q = tx.select().from(incidents);
  return (openOnly ? q.where(eq(incidents.status, 'open')) : q).orderBy(desc(incidents.discoveredAt));
}

/** Marks an incident closed. */
export async function markIncidentClosed(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(incidents).set({ status: 'closed', closedAt: at }).where(eq(incidents.id, id));
}

/** The scope of an incident, by business. */
export async function listScope(tx: Tx, incidentId: string): Promise<ScopeRow[]> {
  return tx
    .select()
    .from(incidentScope)
    .where(eq(incidentScope.incidentId, incidentId))
    .orderBy(asc(incidentScope.businessId));
}

/**
 * Adds a business to the scope, or refreshes its counts while it has not been notified (a notified
 * business keeps the numbers it was sent; corrections go out as updates).
 */
export async function upsertScope(
  tx: Tx,
  row: { incidentId: string; businessId: string; people: number; records: number; at: Date },
): Promise<void> {
  await tx
    .insert(incidentScope)
    .values({
      incidentId: row.incidentId,
      businessId: row.businessId,
      people: row.people,
      records: row.records,
      scopedAt: row.at,
    })
    .onConflictDoUpdate({
      target: [incidentScope.incidentId, incidentScope.businessId],
      set: { people: row.people, records: row.records, scopedAt: row.at },
      setWhere: isNull(incidentScope.notifiedAt),
    });
}

/** One business's scope row, locked, so two operators notifying at once send one notice. */
export async function lockScope(
  tx: Tx,
  incidentId: string,
  businessId: string,
): Promise<ScopeRow | undefined> {
  const [row] = await tx
    .select()
    .from(incidentScope)
    .where(and(eq(incidentScope.incidentId, incidentId), eq(incidentScope.businessId, businessId)))
    .for('update');
  return row;
}

/** Records that a business was sent the notice (with every update so far). */
export async function markScopeNotified(
  tx: Tx,
  incidentId: string,
  businessId: string,
  at: Date,
  updatesSent: number,
): Promise<void> {
  await tx
    .update(incidentScope)
    .set({ notifiedAt: at, updatesSent })
    .where(and(eq(incidentScope.incidentId, incidentId), eq(incidentScope.businessId, businessId)));
}

/** Records that a business was sent the updates up to `seq`. */
export async function markUpdatesSent(
  tx: Tx,
  incidentId: string,
  businessId: string,
  seq: number,
): Promise<void> {
  await tx
    .update(incidentScope)
    .set({ updatesSent: seq })
    .where(and(eq(incidentScope.incidentId, incidentId), eq(incidentScope.businessId, businessId)));
}

/** The updates of an incident in order. */
export async function listUpdates(tx: Tx, incidentId: string): Promise<UpdateRow[]> {
  return tx
    .select()
    .from(incidentUpdates)
    .where(eq(incidentUpdates.incidentId, incidentId))
    .orderBy(asc(incidentUpdates.seq));
}

/** Appends an update with the next sequence number (call with the incident locked). */
export async function appendUpdate(tx: Tx, incidentId: string, text: string, at: Date): Promise<UpdateRow> {
  const [last] = await tx
    .select({ seq: max(incidentUpdates.seq) })
    .from(incidentUpdates)
    .where(eq(incidentUpdates.incidentId, incidentId));
  const row = { incidentId, seq: (last?.seq ?? 0) + 1, at, text };
  await tx.insert(incidentUpdates).values(row);
  return row;
}

/**
 * Plain counts in one business (inside its transaction): its customers are the people, its
 * customers and invoices the records. No personal field is read.
 */
export async function countBusinessData(
  tx: Tx,
  tenantId: string,
): Promise<{ people: number; records: number }> {
  const [c] = await tx.select({ n: count() }).from(customers).where(eq(customers.tenantId, tenantId));
  const [i] = await tx.select({ n: count() }).from(invoices).where(eq(invoices.tenantId, tenantId));
  const people = Number(c?.n ?? 0);
  return { people, records: people + Number(i?.n ?? 0) };
}

/** Stores the business's copy of a notice or update it was sent. */
export async function insertNotice(
  tx: Tx,
  tenantId: string,
  row: { incidentId: string; kind: 'notice' | 'update'; seq: number; sentAt: Date; content: object },
): Promise<void> {
  await tx.insert(breachNotices).values({
    tenantId,
    id: newId(row.sentAt),
    incidentId: row.incidentId,
    kind: row.kind,
    seq: row.seq,
    sentAt: row.sentAt,
    content: row.content as Record<string, unknown>,
  });
}

/** The business's notices and updates, by incident then sequence. */
export async function listNotices(tx: Tx, tenantId: string, incidentId?: string): Promise<NoticeRow[]> {
  const where = incidentId
    ? and(eq(breachNotices.tenantId, tenantId), eq(breachNotices.incidentId, incidentId))
    : eq(breachNotices.tenantId, tenantId);
  return tx
    .select()
    .from(breachNotices)
    .where(where)
    .orderBy(desc(breachNotices.incidentId), asc(breachNotices.seq));
}
