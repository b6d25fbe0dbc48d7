/**
 * Operator alerts (ADR 0060): what the operator's staff must act on without looking — a business
 * objected to a subprocessor, an incident's notices are still unsent at 24 or 36 hours, or overdue
 * at 48. Each alert has a key; it is mailed to the configured alert address through the platform
 * mail (outbox or SMTP) and recorded on the platform audit chain in one transaction that first
 * claims the key in `operator_alerts`, so a job that runs again (restart, lost lease) finds the
 * key taken and sends nothing. Alerts carry ids, counts and dates only: never a business's
 * personal data, not even the objection's reason (it stays encrypted with the business).
 */

import { type Services, SYSTEM } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { inSystem } from '../../db/transactions.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { appendPlatformAudit, platformAuditKeys } from '../identity/platform-audit.ts';
import { platformMailKeys } from '../identity/platform-mail.ts';
import { isoDate } from '../legal/documents.ts';
import { findSubprocessor } from '../subprocessors/subprocessors.repo.ts';
import { claimOperatorAlert } from './notices.repo.ts';

/** Where alerts go: KLUIS_OPERATOR_ALERT_EMAIL, else KLUIS_OPERATOR_EMAIL; unset → audit chain only. */
export interface AlertSettings {
  alertEmail: string | undefined;
}

/** One alert: its once-only key, and what the mail and the platform event say (no personal data). */
export interface OperatorAlert {
  key: string;
  kind: 'subprocessor_objection' | 'incident_escalation';
  subject: string;
  text: string;
  target: { type: string; id: string };
  data: Record<string, string | number | boolean | null>;
}

/**
 * Sends an alert once: claims its key, mails it, and appends `platform.operator_alerted`, all in
 * one transaction. A failed mail rolls the claim back, so the job's retry sends it; a key already
 * claimed returns false and sends nothing.
 */
export async function sendOperatorAlert(
  services: Services,
  settings: AlertSettings,
  alert: OperatorAlert,
): Promise<boolean> {
  const auditKeys = await platformAuditKeys(services);
  const mailKeys = await platformMailKeys(services);
  const at = services.clock.now();
  const to = settings.alertEmail ?? null;
  return inSystem(services.db, async (tx) => {
    // Claimed first: a second worker blocks on the key until this one commits, then finds it taken.
    if (!(await claimOperatorAlert(tx, { key: alert.key, kind: alert.kind, at, mailed: to !== null }))) {
      return false;
    }
    if (to) await services.mailer.send(mailKeys, { to: [to], subject: alert.subject, text: alert.text });
    else services.log.warn({ alert: alert.kind, key: alert.key }, 'operator alert without an alert address');
    await appendPlatformAudit(tx, auditKeys, {
      action: 'platform.operator_alerted',
      actor: SYSTEM,
      target: alert.target,
      data: { kind: alert.kind, mailed: to !== null, ...alert.data },
      at,
    });
    return true;
  });
}

/** The job that alerts the operator to a business's objection. */
export const OBJECTION_ALERT_JOB = 'operator_alert.objection';

/** Enqueues the objection's alert in the transaction that records the objection. */
export async function enqueueObjectionAlert(
  tx: Tx,
  input: { tenantId: string; subprocessorId: string; decisionId: string },
  now: Date,
): Promise<void> {
  await enqueueJob(tx, {
    kind: OBJECTION_ALERT_JOB,
    key: `${OBJECTION_ALERT_JOB}:${input.tenantId}:${input.decisionId}`,
    payload: { ...input },
    runAt: now,
    now,
  });
}

/** Alerts the operator that a business objected to a subprocessor (ids and dates, never the reason). */
export async function alertObjection(
  services: Services,
  settings: AlertSettings,
  input: { tenantId: string; subprocessorId: string; decisionId: string },
): Promise<boolean> {
  const s = await inSystem(services.db, (tx) => findSubprocessor(tx, input.subprocessorId));
  const name = s?.name ?? '(verwijderd)';
  return sendOperatorAlert(services, settings, {
    key: `objection:${input.tenantId}:${input.decisionId}`,
    kind: 'subprocessor_objection',
    subject: `Kluis: bezwaar tegen subverwerker ${name}`,
    text: [
      `Een onderneming heeft bezwaar gemaakt tegen de subverwerker ${name}.`,
      '',
      `  Onderneming: ${input.tenantId}`,
      `  Subverwerker: ${input.subprocessorId}${s ? ` (ingangsdatum ${isoDate(s.effectiveFrom)})` : ''}`,
      `  Bezwaar: ${input.decisionId}`,
      '',
      'De reden staat versleuteld bij de onderneming; neem contact op met haar contactpersoon voor',
      'gegevensbescherming en leg de afhandeling vast. Deze melding bevat geen persoonsgegevens.',
    ].join('\n'),
    target: { type: 'subprocessor', id: input.subprocessorId },
    data: { business: input.tenantId, decision: input.decisionId },
  });
}

/** Registers the objection alert's handler (main.ts). */
export function registerOperatorAlertJobs(runner: JobRunner, settings: AlertSettings): JobRunner {
  return runner.register(OBJECTION_ALERT_JOB, async (job, services) => {
    const { tenantId, subprocessorId, decisionId } = job.payload;
    if (
      typeof tenantId !== 'string' ||
      typeof subprocessorId !== 'string' ||
      typeof decisionId !== 'string'
    ) {
      throw new Error('bad objection alert payload');
    }
    await alertObjection(services, settings, { tenantId, subprocessorId, decisionId });
  });
}
