/**
 * The end of a subscription (Privacy center point 10; ADR 0056). The owner ends it, choosing
 * return (an export is started) and/or deletion, with a retention period (30 days by default, at
 * most 183). Until the deadline nothing is deleted and the owner may resume; the owner may also
 * confirm deletion now. Every answer carries the warning about the business's own seven-year
 * fiscal retention duty, with the link to make a final export.
 *
 * At the deadline a durable job (ending-job.ts) captures the contact's address sealed under the
 * master key, shreds the keys, purges the rows in resumable batches and issues a signed
 * certificate.
 */

import { eq } from 'drizzle-orm';
import { AppError, invalidInput } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import { requestExport } from '../privacy/exports.service.ts';
import { subscriptionEndings } from './ending.tables.ts';

export const DEFAULT_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 183;
export const DELETE_JOB = 'ending.delete';
/** What the owner types to delete now. */
export const DELETE_NOW_PHRASE = 'DELETE MY BUSINESS DATA';
const DAY = 86_400_000;

export type EndingStatus = 'ending' | 'cancelled' | 'shredded' | 'purged' | 'certified' | 'deleted';
export type EndingRow = typeof subscriptionEndings.$inferSelect;

/** The warning shown with every ending: the business keeps its own records for seven years. */
export const FISCAL_WARNING = {
  nl:
    'Let op: u bent zelf wettelijk verplicht uw administratie (facturen en boekhouding) zeven jaar te ' +
    'bewaren (art. 52 AWR). Na de verwijderdatum kan Kluis niets meer herstellen. Maak vóór die ' +
    'datum een laatste export en bewaar die zelf.',
  en:
    'Note: you are legally required to keep your own records (invoices and accounts) for seven years ' +
    '(Dutch tax law, art. 52 AWR). After the deletion date Kluis cannot restore anything. Make a ' +
    'final export before that date and keep it yourself.',
} as const;

/** Where the final export is started (POST with the owner's token). */
export const FINAL_EXPORT = { method: 'POST', href: '/api/v1/exports' } as const;

export interface SubscriptionView {
  status: 'active' | EndingStatus;
  ending: {
    returnRequested: boolean;
    deleteRequested: boolean;
    exportId: string | null;
    retentionDays: number;
    endedAt: Date;
    deletionDeadline: Date;
    resumedAt: Date | null;
  } | null;
  warning: typeof FISCAL_WARNING;
  finalExport: typeof FINAL_EXPORT;
}

function requireOwner(ctx: Ctx, what: string): void {
  if (ctx.access?.role !== 'owner') {
    throw new AppError('forbidden', 'insufficient_permission', `Only an owner may ${what}`);
  }
}

export async function findEnding(tx: Tx, businessId: string): Promise<EndingRow | undefined> {
  const [r] = await tx
    .select()
    .from(subscriptionEndings)
    .where(eq(subscriptionEndings.businessId, businessId));
  return r;
}

function view(row: EndingRow | undefined): SubscriptionView {
  return {
    status: !row || row.status === 'cancelled' ? 'active' : (row.status as EndingStatus),
    ending: row
      ? {
          returnRequested: row.returnRequested,
          deleteRequested: row.deleteRequested,
          exportId: row.exportId,
          retentionDays: row.retentionDays,
          endedAt: row.endedAt,
          deletionDeadline: row.deadlineAt,
          resumedAt: row.resumedAt,
        }
      : null,
    warning: FISCAL_WARNING,
    finalExport: FINAL_EXPORT,
  };
}

async function scheduleDeletion(tx: Tx, businessId: string, runAt: Date, now: Date): Promise<void> {
  await enqueueJob(tx, {
    kind: DELETE_JOB,
    key: `${DELETE_JOB}:${businessId}:${runAt.getTime()}`,
    payload: { businessId },
    runAt,
    maxAttempts: 10,
    now,
  });
}

/** Ends the subscription: records the end and the deadline, starts the export when asked. */
export async function endSubscription(
  ctx: Ctx,
  input: { return?: boolean; delete?: boolean; retentionDays?: number },
  defaults: { retentionDays: number } = { retentionDays: DEFAULT_RETENTION_DAYS },
): Promise<SubscriptionView> {
  requireOwner(ctx, 'end the subscription');
  const wantsReturn = input.return ?? false;
  const wantsDelete = input.delete ?? true;
  if (!wantsReturn && !wantsDelete) {
    throw invalidInput([
      { path: 'return', code: 'choice_required', message: 'Choose return, deletion or both' },
    ]);
  }
  const days = input.retentionDays ?? defaults.retentionDays;
  if (!Number.isInteger(days) || days < 0 || days > MAX_RETENTION_DAYS) {
    throw invalidInput([
      { path: 'retentionDays', code: 'retention_days_range', message: `0 to ${MAX_RETENTION_DAYS} days` },
    ]);
  }
  const { db, clock } = ctx.services;
  const existing = await inTenant(db, ctx.tenantId, (tx) => findEnding(tx, ctx.tenantId));
  if (existing && existing.status !== 'cancelled') {
    throw new AppError('conflict', 'subscription_already_ended', 'The subscription has already ended');
  }
  // The export has its own transaction and job; it is started first so its id is recorded.
  const exportId = wantsReturn ? (await requestExport(ctx)).id : null;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await ctx.services.keyring.forTenant(tx, ctx.tenantId);
    const at = clock.now();
    const deadline = new Date(at.getTime() + days * DAY);
    const values = {
      businessId: ctx.tenantId,
      status: 'ending',
      returnRequested: wantsReturn,
      deleteRequested: wantsDelete,
      exportId,
      retentionDays: days,
      endedAt: at,
      deadlineAt: deadline,
      resumedAt: null,
      purged: {},
    };
    const [row] = await tx
      .insert(subscriptionEndings)
      .values(values)
      .onConflictDoUpdate({ target: subscriptionEndings.businessId, set: values })
      .returning();
    await scheduleDeletion(tx, ctx.tenantId, deadline, at);
    await appendAudit(tx, keys, {
      action: 'subscription.ended',
      actor: ctx.actor,
      target: { type: 'tenant', id: ctx.tenantId },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: {
        return: wantsReturn,
        delete: wantsDelete,
        retentionDays: days,
        deadline: deadline.toISOString(),
      },
      at,
    });
    return view(row);
  });
}

/** The subscription's state, with the warning and the final-export link. Owners and admins. */
export async function getSubscription(ctx: Ctx): Promise<SubscriptionView> {
  if (ctx.access?.role !== 'owner' && ctx.access?.role !== 'admin') {
    throw new AppError('forbidden', 'insufficient_permission', 'Only owners and admins see the subscription');
  }
  return view(await inTenant(ctx.services.db, ctx.tenantId, (tx) => findEnding(tx, ctx.tenantId)));
}

async function changePending(
  ctx: Ctx,
  change: (
    tx: Tx,
    row: EndingRow,
    at: Date,
  ) => Promise<{ set: Partial<EndingRow>; data: Record<string, string> }>,
  action: 'subscription.resumed' | 'subscription.deletion_advanced',
): Promise<SubscriptionView> {
  const { db, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const row = await findEnding(tx, ctx.tenantId);
    if (row?.status !== 'ending') {
      throw new AppError('conflict', 'subscription_not_ending', 'The subscription is not ending');
    }
    const at = clock.now();
    if (row.deadlineAt <= at) {
      throw new AppError('conflict', 'deletion_started', 'The deletion deadline has passed');
    }
    const keys = await ctx.services.keyring.forTenant(tx, ctx.tenantId);
    const { set, data } = await change(tx, row, at);
    const [updated] = await tx
      .update(subscriptionEndings)
      .set(set)
      .where(eq(subscriptionEndings.businessId, ctx.tenantId))
      .returning();
    await appendAudit(tx, keys, {
      action,
      actor: ctx.actor,
      target: { type: 'tenant', id: ctx.tenantId },
      requestId: ctx.requestId,
      ip: ctx.ip,
      data,
      at,
    });
    return view(updated);
  });
}

/** Cancels the ending before the deadline: the pending job finds the row cancelled and stops. */
export async function resumeSubscription(ctx: Ctx): Promise<SubscriptionView> {
  requireOwner(ctx, 'resume the subscription');
  return changePending(
    ctx,
    async (_tx, _row, at) => ({ set: { status: 'cancelled', resumedAt: at }, data: {} }),
    'subscription.resumed',
  );
}

/** Brings the deadline forward to now, after the owner typed the confirmation phrase. */
export async function deleteNow(ctx: Ctx, input: { confirmation: string }): Promise<SubscriptionView> {
  requireOwner(ctx, 'delete the business now');
  if (input.confirmation !== DELETE_NOW_PHRASE) {
    throw invalidInput([
      { path: 'confirmation', code: 'confirmation_mismatch', message: `Type exactly: ${DELETE_NOW_PHRASE}` },
    ]);
  }
  return changePending(
    ctx,
    async (tx, row, at) => {
      await scheduleDeletion(tx, ctx.tenantId, at, at);
      return { set: { deadlineAt: at }, data: { previousDeadline: row.deadlineAt.toISOString() } };
    },
    'subscription.deletion_advanced',
  );
}
