/**
 * Reminders of a request's deadline (Privacy center point 7). Receiving a request, and extending
 * it, enqueue in the same transaction two durable jobs for the current deadline: a reminder seven
 * days before it and an overdue notice at it, both to the business's data-protection contact. A
 * job whose deadline is no longer the request's (it was extended) or whose request was decided
 * does nothing. Delivery is at least once: after a crash between sending and completing, a
 * reminder may be mailed twice, which is harmless.
 */
import type { Services } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { findNoticeRecipient } from '../legal/contact.service.ts';
import { registerPseudonymisationJob } from './pseudonymisation.ts';
import { findSubjectRequest } from './subject-requests.repo.ts';

/** The job kind. */
export const REMIND_JOB = 'subject_request.remind';
/** A reminder is due this long before the deadline. */
export const REMINDER_BEFORE_MS = 7 * 86_400_000;

/** Enqueues the reminder and the overdue notice for `deadlineAt`, in the caller's transaction. */
export async function enqueueDeadlineReminders(
  tx: Tx,
  tenantId: string,
  requestId: string,
  deadlineAt: Date,
  now: Date,
): Promise<void> {
  const deadline = deadlineAt.toISOString();
  for (const stage of ['reminder', 'overdue'] as const) {
    await enqueueJob(tx, {
      kind: REMIND_JOB,
      key: `${REMIND_JOB}:${tenantId}:${requestId}:${deadline}:${stage}`,
      payload: { tenantId, requestId, deadline, stage },
      runAt: stage === 'reminder' ? new Date(deadlineAt.getTime() - REMINDER_BEFORE_MS) : deadlineAt,
      now,
    });
  }
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Sends one reminder or overdue notice, if the request still waits for that deadline. */
export async function sendDeadlineReminder(
  services: Services,
  payload: { tenantId: string; requestId: string; deadline: string; stage: 'reminder' | 'overdue' },
): Promise<boolean> {
  const { tenantId, requestId, deadline, stage } = payload;
  const found = await inTenant(services.db, tenantId, async (tx) => {
    const keys = await services.keyring.forTenant(tx, tenantId);
    const request = await findSubjectRequest(tx, keys, requestId);
    if (!request || request.status === 'completed' || request.status === 'refused') return undefined;
    if (request.deadlineAt.toISOString() !== deadline) return undefined;
    return { request, keys };
  });
  if (!found) return false;
  const contact = await findNoticeRecipient(services, tenantId);
  if (!contact) return false;
  const { request, keys } = found;
  const due = isoDate(request.deadlineAt);
  await services.mailer.send(keys, {
    to: [contact.email],
    subject:
      stage === 'reminder'
        ? `Herinnering: privacyverzoek uiterlijk ${due} afhandelen`
        : `Termijn verstreken: privacyverzoek had uiterlijk ${due} afgehandeld moeten zijn`,
    text: [
      `Beste ${contact.name},`,
      '',
      stage === 'reminder'
        ? `Een privacyverzoek van ${isoDate(request.receivedAt)} moet uiterlijk ${due} zijn beantwoord.`
        : `De termijn van een privacyverzoek van ${isoDate(request.receivedAt)} is op ${due} verstreken.`,
      'Leg de beslissing vast in Kluis (API: POST /api/v1/subject-requests/{id}/outcome): afgehandeld, geweigerd met reden, of verlengd met ten hoogste twee maanden met reden.',
      `Verzoek: ${request.id}`,
    ].join('\n'),
  });
  return true;
}

/** Registers the reminder handler and the pseudonymisation after retention (main.ts). */
export function registerSubjectRequestJobs(runner: JobRunner): JobRunner {
  registerPseudonymisationJob(runner);
  return runner.register(REMIND_JOB, async (job, services) => {
    const { tenantId, requestId, deadline, stage } = job.payload;
    if (
      typeof tenantId !== 'string' ||
      typeof requestId !== 'string' ||
      typeof deadline !== 'string' ||
      (stage !== 'reminder' && stage !== 'overdue')
    ) {
      throw new Error('bad subject request reminder payload');
    }
    await sendDeadlineReminder(services, { tenantId, requestId, deadline, stage });
  });
}
