/**
 * In-app notices (ADR 0060). What the privacy center promises to tell a business — a new
 * subprocessor, a new agreement version, a breach notice, a missing or stale data-protection
 * contact — is also shown in the app, not only mailed. Stored notices are references created in
 * the transaction of the event that causes them; the contact banner and the agreement gate are
 * computed on read, so they can never disagree with the records they describe.
 */
import { AppError } from '../../../domain/errors.ts';
import type { Ctx } from '../../context.ts';
import { isUuid } from '../../ids.ts';
import { canManageBusiness } from '../identity/policy.ts';
import { findLatestAcceptance } from '../legal/agreement.repo.ts';
import { findPrivacySettings } from '../legal/contact.repo.ts';
import { RECONFIRM_AFTER_MS } from '../legal/contact.service.ts';
import type { DocumentVersion } from '../legal/documents.ts';
import { inLegalTx, requireMember } from '../legal/legal.tx.ts';
import { findSubprocessor } from '../subprocessors/subprocessors.repo.ts';
import {
  findBusinessNotice,
  listBusinessNotices,
  markBusinessNoticeRead,
  type NoticeKind,
  type NoticeRow,
} from './notices.repo.ts';

export { insertBusinessNotice, insertNoticeForEach, type NoticeKind } from './notices.repo.ts';

/** The most notices one answer lists (unread first, so none unread is hidden behind read ones). */
export const NOTICE_LIST_LIMIT = 100;

/** One notice with what the app needs to word it; never personal data. */
export interface NoticeView {
  id: string;
  kind: NoticeKind;
  subjectId: string;
  createdAt: Date;
  readAt: Date | null;
  /** For subprocessor_announced: the registry's entry (a company, not a person). */
  subprocessor: { name: string; purpose: string; effectiveFrom: Date } | null;
}

/** Where the data-protection contact stands: the banner shows for missing and reconfirm_due. */
export type ContactState = 'ok' | 'missing' | 'reconfirm_due';

/** The notices area of the app: the banner, the agreement gate and the notices. */
export interface NoticesView {
  contact: ContactState;
  agreement: { version: string; date: string; mustAccept: boolean; canAccept: boolean };
  unread: number;
  items: NoticeView[];
}

function notFound(): AppError {
  return new AppError('not_found', 'notice_not_found', 'No such notice');
}

/** The business's notices (unread first), the contact state and the agreement gate. Any member. */
export async function listNotices(ctx: Ctx, current: DocumentVersion): Promise<NoticesView> {
  requireMember(ctx);
  return inLegalTx(ctx, async ({ tx, keys, at }) => {
    const settings = await findPrivacySettings(tx, keys);
    const contact: ContactState = !settings
      ? 'missing'
      : at.getTime() - settings.confirmedAt.getTime() > RECONFIRM_AFTER_MS
        ? 'reconfirm_due'
        : 'ok';
    const accepted = await findLatestAcceptance(tx, keys, current.version);
    const rows = await listBusinessNotices(tx, ctx.tenantId, NOTICE_LIST_LIMIT);
    const items: NoticeView[] = [];
    for (const row of rows) items.push(await present(tx, row));
    return {
      contact,
      agreement: {
        version: current.version,
        date: current.date,
        mustAccept: accepted === undefined,
        canAccept: canManageBusiness(ctx),
      },
      unread: items.filter((n) => n.readAt === null).length,
      items,
    };
  });
}

async function present(tx: Parameters<typeof findSubprocessor>[0], row: NoticeRow): Promise<NoticeView> {
  const s =
    row.kind === 'subprocessor_announced' && isUuid(row.subjectId)
      ? await findSubprocessor(tx, row.subjectId)
      : undefined;
  return {
    id: row.id,
    kind: row.kind as NoticeKind,
    subjectId: row.subjectId,
    createdAt: row.createdAt,
    readAt: row.readAt,
    subprocessor: s ? { name: s.name, purpose: s.purpose, effectiveFrom: s.effectiveFrom } : null,
  };
}

/**
 * Marks a notice read for the whole business (notices are the business's, not a person's);
 * records `notice.read`. Another business's notice answers like a missing one.
 */
export async function markNoticeRead(ctx: Ctx, id: string): Promise<NoticeView> {
  requireMember(ctx);
  if (!isUuid(id)) throw notFound();
  return inLegalTx(ctx, async ({ tx, at, record }) => {
    const row = await findBusinessNotice(tx, ctx.tenantId, id);
    if (!row) throw notFound();
    if (row.readAt === null) {
      await markBusinessNoticeRead(tx, ctx.tenantId, id, at, ctx.actor.id);
      await record('notice.read', { type: 'notice', id }, { kind: row.kind });
    }
    const updated = await findBusinessNotice(tx, ctx.tenantId, id);
    return present(tx, updated ?? row);
  });
}
