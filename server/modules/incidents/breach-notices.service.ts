/**
 * The business's breach-notice inbox (Privacy center point 8): the incidents that concern it, as
 * it was sent them (its own copies, under forced RLS), each with every update, and an export laid
 * out in the order of the AP's breach form. Owners and admins only; another business's notice is
 * simply not there (404).
 */
import { AppError } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid } from '../../ids.ts';
import { requireManager } from '../legal/legal.tx.ts';
import { listNotices, type NoticeRow } from './incidents.repo.ts';
import { type FormAnswer, formAnswers, formText, type NoticeContent, type NoticeUpdate } from './notice.ts';

/** A breach notice with the updates the business received after it. */
export interface BreachNotice {
  id: string;
  receivedAt: Date;
  /** The notice as sent; `updates` holds those that came with it and those sent later. */
  content: NoticeContent;
}

function assemble(rows: NoticeRow[]): BreachNotice[] {
  const byIncident = new Map<string, BreachNotice>();
  for (const row of rows) {
    if (row.kind === 'notice') {
      const content = row.content as unknown as NoticeContent;
      byIncident.set(row.incidentId, {
        id: row.incidentId,
        receivedAt: row.sentAt,
        content: { ...content, updates: [...content.updates] },
      });
    }
  }
  for (const row of rows) {
    const notice = byIncident.get(row.incidentId);
    if (row.kind !== 'update' || !notice) continue;
    const u = row.content as unknown as NoticeUpdate;
    if (!notice.content.updates.some((x) => x.seq === u.seq)) notice.content.updates.push(u);
  }
  for (const n of byIncident.values()) n.content.updates.sort((a, b) => a.seq - b.seq);
  return [...byIncident.values()].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
}

function notFound(): AppError {
  return new AppError('not_found', 'breach_notice_not_found', 'No such breach notice');
}

/** The business's breach notices, newest first, each with every update. */
export async function listBreachNotices(ctx: Ctx): Promise<BreachNotice[]> {
  requireManager(ctx, 'read breach notices');
  return inTenant(ctx.services.db, ctx.tenantId, async (tx) => assemble(await listNotices(tx, ctx.tenantId)));
}

/** One breach notice (by incident id) with every update. */
export async function getBreachNotice(ctx: Ctx, id: string): Promise<BreachNotice> {
  requireManager(ctx, 'read breach notices');
  if (!isUuid(id)) throw notFound();
  const [notice] = await inTenant(ctx.services.db, ctx.tenantId, async (tx) =>
    assemble(await listNotices(tx, ctx.tenantId, id)),
  );
  if (!notice) throw notFound();
  return notice;
}

/** The notice laid out in the AP form's order, as answers and as text, to fill in the form. */
export async function exportBreachNotice(
  ctx: Ctx,
  id: string,
): Promise<{ id: string; form: FormAnswer[]; text: string }> {
  const notice = await getBreachNotice(ctx, id);
  return { id: notice.id, form: formAnswers(notice.content), text: formText(notice.content) };
}
