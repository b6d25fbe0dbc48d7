/**
 * Data-subject requests (Privacy center point 7). A customer of a business sends a request through
 * the public form; it is stored encrypted in the business's inbox, the person gets an
 * acknowledgement and the business's data-protection contact a notice. Kluis never decides a
 * request: owners and admins record the decision (completed, refused with a reason, or extended
 * by up to two months with a reason). The deadline is one calendar month from receipt, on the
 * injected clock; a reminder is due seven days before it.
 */
import { AppError, type FieldIssue, invalidInput, notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { type Ctx, type Services, SYSTEM } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { findNoticeRecipient } from '../legal/contact.service.ts';
import { inLegalTx, requireManager } from '../legal/legal.tx.ts';
import { insertBusinessNotice } from '../notices/notices.repo.ts';
import { decryptTenantName, findTenantRow } from '../tenants/tenants.repo.ts';
import { enqueueDeadlineReminders, REMINDER_BEFORE_MS } from './subject-requests.jobs.ts';
import {
  findSubjectRequest,
  insertOutcome,
  insertSubjectRequest,
  listOutcomes,
  listSubjectRequestRows,
  type OutcomeKind,
  type OutcomeRecord,
  REQUEST_KINDS,
  type RequestKind,
  type RequestStatus,
  type SubjectRequestRecord,
  updateSubjectRequestStatus,
} from './subject-requests.repo.ts';

export { REMINDER_BEFORE_MS } from './subject-requests.jobs.ts';
export { REQUEST_KINDS, type RequestKind } from './subject-requests.repo.ts';
/** The longest extension, in months on top of the first month (GDPR Art. 12(3)). */
export const MAX_EXTENSION_MONTHS = 2;

/** The path of the public form of a business. */
export function subjectRequestFormPath(businessId: string): string {
  return `/privacyverzoek/${encodeURIComponent(businessId)}`;
}

/** The full URL of the public form, for invoice mails and invoice pages. */
export function subjectRequestFormUrl(publicUrl: string, businessId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${subjectRequestFormPath(businessId)}`;
}

/** `at` plus whole calendar months (UTC), clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = new Date(at);
  d.setUTCDate(1);
  d.setUTCMonth(m);
  d.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return d;
}

/** What the form sends. */
export interface SubjectRequestInput {
  kind: string;
  name: string;
  email: string;
  description: string;
  lang: 'nl' | 'en';
}

/** Checks the form; throws 400 with every problem. */
export function validateSubjectRequest(input: SubjectRequestInput): Omit<SubjectRequestInput, 'kind'> & {
  kind: RequestKind;
} {
  const issues: FieldIssue[] = [];
  const name = input.name.trim();
  const email = input.email.trim();
  const description = input.description.trim();
  if (!(REQUEST_KINDS as readonly string[]).includes(input.kind)) {
    issues.push({ path: 'kind', code: 'kind_unknown', message: 'Choose the kind of request' });
  }
  if (name.length < 1 || name.length > 200) {
    issues.push({ path: 'name', code: 'name_length', message: 'A name has 1 to 200 characters' });
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    issues.push({ path: 'email', code: 'email_format', message: 'An e-mail address' });
  }
  if (description.length < 1 || description.length > 5000) {
    issues.push({
      path: 'description',
      code: 'description_length',
      message: 'A description has 1 to 5000 characters',
    });
  }
  if (issues.length > 0) throw invalidInput(issues);
  return { kind: input.kind as RequestKind, name, email, description, lang: input.lang };
}

const KIND_TEXT: Record<RequestKind, { nl: string; en: string }> = {
  access: { nl: 'inzage', en: 'access' },
  rectification: { nl: 'rectificatie (correctie)', en: 'rectification' },
  completion: { nl: 'aanvulling', en: 'completion' },
  erasure: { nl: 'verwijdering', en: 'erasure' },
  restriction: { nl: 'beperking van de verwerking', en: 'restriction of processing' },
  objection: { nl: 'bezwaar', en: 'objection' },
};

/** The kind of request in a language, for pages and mails. */
export function kindText(kind: RequestKind, lang: 'nl' | 'en'): string {
  return KIND_TEXT[kind][lang];
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Receives a request from the public form. An unknown or ended business receives nothing and the
 * caller shows the same neutral answer. The request is stored (and audited) first; the two mails
 * follow after commit, and a failed mail never loses the request.
 */
export async function receiveSubjectRequest(
  services: Services,
  businessId: string,
  raw: SubjectRequestInput,
  meta: { ip: string | null; requestId: string },
): Promise<{ received: boolean }> {
  const input = validateSubjectRequest(raw);
  if (!isUuid(businessId)) return { received: false };
  const at = services.clock.now();
  const stored = await inTenant(services.db, businessId, async (tx) => {
    const tenant = await findTenantRow(tx, businessId);
    if (tenant?.status !== 'active') return undefined; // unknown or shredded: nothing is stored
    const keys = await services.keyring.forTenant(tx, businessId);
    const request: SubjectRequestRecord = {
      id: newId(at),
      ...input,
      receivedAt: at,
      deadlineAt: addMonths(at, 1),
      status: 'open',
    };
    await insertSubjectRequest(tx, keys, request, at);
    await enqueueDeadlineReminders(tx, businessId, request.id, request.deadlineAt, at);
    await insertBusinessNotice(tx, businessId, { kind: 'subject_request', subjectId: request.id, at });
    await appendAudit(tx, keys, {
      action: 'subject_request.received',
      actor: SYSTEM,
      target: { type: 'subject_request', id: request.id },
      requestId: meta.requestId,
      ip: meta.ip,
      data: { kind: request.kind },
      at,
    });
    return { request, keys, businessName: decryptTenantName(keys, tenant.nameEnc) };
  });
  if (!stored) return { received: false };
  const { request, keys, businessName } = stored;
  const contact = await findNoticeRecipient(services, businessId);
  const mails = [
    {
      to: [request.email],
      ...(contact ? { replyTo: contact.email } : {}),
      ...acknowledgement(request, businessName),
    },
    ...(contact
      ? [
          {
            to: [contact.email],
            subject: `Nieuw privacyverzoek (${kindText(request.kind, 'nl')}), uiterlijk ${isoDate(request.deadlineAt)} afhandelen`,
            text: [
              `Beste ${contact.name},`,
              '',
              `${businessName} heeft via het privacyformulier een verzoek ontvangen:`,
              `  Soort: ${kindText(request.kind, 'nl')}`,
              `  Ontvangen: ${isoDate(request.receivedAt)}`,
              `  Uiterlijke reactiedatum: ${isoDate(request.deadlineAt)} (een maand na ontvangst)`,
              '',
              'U vindt het verzoek in Kluis onder Privacyverzoeken (API: GET /api/v1/subject-requests).',
              'Kluis beslist niet over het verzoek: dat doet u, als verwerkingsverantwoordelijke.',
            ].join('\n'),
          },
        ]
      : []),
  ];
  for (const mail of mails) {
    try {
      await services.mailer.send(keys, mail);
    } catch (e) {
      // The request is stored: the business sees it in its inbox even when a mail fails.
      services.log.warn(
        { err: e instanceof Error ? e.name : 'error', requestId: meta.requestId },
        'subject request mail failed',
      );
    }
  }
  return { received: true };
}

function acknowledgement(r: SubjectRequestRecord, businessName: string) {
  if (r.lang === 'en') {
    return {
      subject: `Your privacy request to ${businessName} has been received`,
      text: [
        `Dear ${r.name},`,
        '',
        `${businessName} has received your request for ${kindText(r.kind, 'en')} of your personal data on ${isoDate(r.receivedAt)}.`,
        `${businessName} decides on it and answers you by ${isoDate(r.deadlineAt)} at the latest; for a complex request it may extend this by up to two months, and will tell you why.`,
        '',
        `This acknowledgement was sent by Kluis, the invoicing service ${businessName} uses. Reply to this mail to reach ${businessName}.`,
      ].join('\n'),
    };
  }
  return {
    subject: `Uw privacyverzoek aan ${businessName} is ontvangen`,
    text: [
      `Beste ${r.name},`,
      '',
      `${businessName} heeft op ${isoDate(r.receivedAt)} uw verzoek om ${kindText(r.kind, 'nl')} van uw persoonsgegevens ontvangen.`,
      `${businessName} beslist erover en antwoordt u uiterlijk op ${isoDate(r.deadlineAt)}; bij een ingewikkeld verzoek kan die termijn met ten hoogste twee maanden worden verlengd, met opgave van redenen.`,
      '',
      `Deze bevestiging is verstuurd door Kluis, de factuurdienst die ${businessName} gebruikt. Beantwoord deze mail om ${businessName} te bereiken.`,
    ].join('\n'),
  };
}

/** A request as the inbox shows it. */
export interface SubjectRequestView {
  id: string;
  kind: RequestKind;
  name: string;
  email: string;
  description: string;
  lang: 'nl' | 'en';
  status: RequestStatus;
  receivedAt: Date;
  deadlineAt: Date;
  /** Past the deadline without a final outcome. */
  overdue: boolean;
  /** Within seven days of the deadline (or past it) without a final outcome. */
  reminderDue: boolean;
}

const isFinal = (s: RequestStatus) => s === 'completed' || s === 'refused';

function view(r: SubjectRequestRecord, now: Date): SubjectRequestView {
  const open = !isFinal(r.status);
  return {
    ...r,
    overdue: open && now.getTime() > r.deadlineAt.getTime(),
    reminderDue: open && now.getTime() >= r.deadlineAt.getTime() - REMINDER_BEFORE_MS,
  };
}

/** Every request of the business, newest first (owners and admins). */
export async function listSubjectRequests(ctx: Ctx): Promise<SubjectRequestView[]> {
  requireManager(ctx, 'see data-subject requests');
  return inLegalTx(ctx, async ({ tx, keys, at }) =>
    (await listSubjectRequestRows(tx, keys)).map((r) => view(r, at)),
  );
}

/** One request with its outcomes; 404 for an unknown id or another business's request. */
export async function getSubjectRequest(
  ctx: Ctx,
  id: string,
): Promise<SubjectRequestView & { outcomes: OutcomeRecord[] }> {
  requireManager(ctx, 'see data-subject requests');
  if (!isUuid(id)) throw notFound('subject_request');
  return inLegalTx(ctx, async ({ tx, keys, at }) => {
    const r = await findSubjectRequest(tx, keys, id);
    if (!r) throw notFound('subject_request');
    return { ...view(r, at), outcomes: await listOutcomes(tx, keys, id) };
  });
}

/** What an owner or admin records. */
export interface OutcomeInput {
  outcome: OutcomeKind;
  /** Required for refused and extended; an optional note for completed. */
  reason?: string | null | undefined;
  /** For extended: 1 or 2 further months (in total at most two). */
  months?: number | undefined;
}

/**
 * Records the business's decision on a request: completed or refused (final), or extended (the
 * deadline moves to receipt + 1 + months, at most three months after receipt). Audited as
 * `subject_request.decided`.
 */
export async function recordSubjectRequestOutcome(
  ctx: Ctx,
  id: string,
  input: OutcomeInput,
): Promise<SubjectRequestView & { outcomes: OutcomeRecord[] }> {
  requireManager(ctx, 'decide data-subject requests');
  const reason = input.reason?.trim() || null;
  const issues: FieldIssue[] = [];
  if ((input.outcome === 'refused' || input.outcome === 'extended') && !reason) {
    issues.push({
      path: 'reason',
      code: 'reason_required',
      message: 'Give the reason (it is told to the person)',
    });
  }
  if (reason && reason.length > 5000) {
    issues.push({ path: 'reason', code: 'reason_length', message: 'A reason has at most 5000 characters' });
  }
  if (input.outcome === 'extended' && !(input.months === 1 || input.months === 2)) {
    issues.push({ path: 'months', code: 'months_range', message: 'An extension is 1 or 2 months' });
  }
  if (issues.length > 0) throw invalidInput(issues);
  if (!isUuid(id)) throw notFound('subject_request');
  return inLegalTx(ctx, async ({ tx, keys, at, record }) => {
    const r = await findSubjectRequest(tx, keys, id, true);
    if (!r) throw notFound('subject_request');
    if (isFinal(r.status)) {
      throw new AppError('conflict', 'subject_request_closed', `This request was already ${r.status}`);
    }
    let deadlineAt = r.deadlineAt;
    let status: RequestStatus = input.outcome;
    if (input.outcome === 'extended') {
      deadlineAt = addMonths(deadlineAt, input.months ?? 0);
      if (deadlineAt.getTime() > addMonths(r.receivedAt, 1 + MAX_EXTENSION_MONTHS).getTime()) {
        throw new AppError(
          'unprocessable',
          'extension_too_long',
          'A request can be extended by at most two months in total',
        );
      }
      if (at.getTime() > r.deadlineAt.getTime()) {
        throw new AppError(
          'unprocessable',
          'deadline_passed',
          'An extension must be recorded (and told to the person) before the deadline',
        );
      }
      status = 'extended';
    }
    const outcome: OutcomeRecord = {
      id: newId(at),
      outcome: input.outcome,
      reason,
      deadlineAt: input.outcome === 'extended' ? deadlineAt : null,
      decidedAt: at,
      actor: { type: ctx.actor.type, id: ctx.actor.id },
    };
    await insertOutcome(tx, keys, id, outcome);
    await updateSubjectRequestStatus(tx, ctx.tenantId, id, status, deadlineAt, at);
    if (input.outcome === 'extended') await enqueueDeadlineReminders(tx, ctx.tenantId, id, deadlineAt, at);
    await record(
      'subject_request.decided',
      { type: 'subject_request', id },
      { kind: r.kind, outcome: input.outcome, late: at.getTime() > r.deadlineAt.getTime() },
    );
    return {
      ...view({ ...r, status, deadlineAt }, at),
      outcomes: await listOutcomes(tx, keys, id),
    };
  });
}
