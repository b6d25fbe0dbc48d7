/**
 * A business's own outbox (issue 7 point 9): on a deployment without SMTP_URL, the mails Kluis
 * would have sent for the business (invoices, reminders, invitations) are kept encrypted under its
 * data key; owners and admins read them in the app. Mails are full of personal data, so every read
 * is audited (`mail.listed`, `mail.viewed`). With SMTP there is no outbox: 404 `outbox_disabled`.
 */
import { AppError, notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { Ctx } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid } from '../../ids.ts';
import { OutboxMailer } from '../../mail/outbox-mailer.ts';
import { canManageBusiness } from '../identity/policy.ts';

/** One mail as the list shows it. */
export interface OutboxEntry {
  id: string;
  date: Date | null;
  to: string[];
  subject: string;
}

/** One mail in full: headers, text and HTML bodies, attachment names and sizes. */
export interface OutboxMessage extends OutboxEntry {
  from: string | null;
  text: string;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
}

function outboxOf(ctx: Ctx): OutboxMailer {
  if (!canManageBusiness(ctx)) {
    throw new AppError('forbidden', 'insufficient_permission', 'Only owners and admins read the outbox');
  }
  if (!(ctx.services.mailer instanceof OutboxMailer)) {
    throw new AppError('not_found', 'outbox_disabled', 'Mail is sent by SMTP: there is no outbox');
  }
  return ctx.services.mailer;
}

/** The business's outbox, newest first; the read is audited. */
export async function listBusinessOutbox(ctx: Ctx): Promise<OutboxEntry[]> {
  const mailer = outboxOf(ctx);
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const mails = await mailer.listOutbox(keys);
    await appendAudit(tx, keys, {
      action: 'mail.listed',
      actor: ctx.actor,
      target: { type: 'tenant', id: ctx.tenantId },
      data: { count: mails.length },
      requestId: ctx.requestId,
      ip: ctx.ip,
      at: clock.now(),
    });
    return mails.map((m) => ({ id: m.id, date: m.date ?? null, to: m.to, subject: m.subject }));
  });
}

/** One mail of the business; another business's id, or an unknown one, is mail_not_found. */
export async function getBusinessMail(ctx: Ctx, id: string): Promise<OutboxMessage> {
  const mailer = outboxOf(ctx);
  if (!isUuid(id)) throw notFound('mail');
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    // Sealed under this business's key and listed under its prefix: another business's mail is not found.
    const m = await mailer.readOutbox(keys, id);
    await appendAudit(tx, keys, {
      action: 'mail.viewed',
      actor: ctx.actor,
      target: { type: 'mail', id },
      requestId: ctx.requestId,
      ip: ctx.ip,
      at: clock.now(),
    });
    return {
      id: m.id,
      date: m.date ?? null,
      from: m.from ?? null,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html ?? null,
      attachments: m.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
      })),
    };
  });
}
