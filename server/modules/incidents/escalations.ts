/**
 * The incident clock, pushed (Privacy center point 11, ADR 0060). Recording an incident enqueues,
 * in the same transaction, three durable jobs: at 24 and 36 hours after discovery, and at the
 * 48-hour deadline. Each alerts the operator — mail to the alert address and
 * `platform.operator_alerted` on the platform chain — while notices are still unsent (the
 * incident is open and either not scoped yet or has a business in scope not notified); once every
 * business in scope has its notice, or the incident is closed, the job does nothing. The alert's
 * key makes it go out once even when a job runs again after a restart.
 */
import type { Services } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { type AlertSettings, sendOperatorAlert } from '../notices/operator-alerts.ts';
import { getIncident } from './incidents.service.ts';

/** The job kind. */
export const ESCALATION_JOB = 'incident.escalate';

const HOUR = 3_600_000;

/** The stages, with their distance from discovery. */
export const ESCALATION_STAGES = { '24h': 24 * HOUR, '36h': 36 * HOUR, '48h_overdue': 48 * HOUR } as const;
export type EscalationStage = keyof typeof ESCALATION_STAGES;

const isStage = (s: unknown): s is EscalationStage =>
  typeof s === 'string' && Object.hasOwn(ESCALATION_STAGES, s);

/** Enqueues the three escalation jobs of a new incident, in the transaction that records it. */
export async function scheduleEscalations(
  tx: Tx,
  incidentId: string,
  discoveredAt: Date,
  now: Date,
): Promise<void> {
  for (const [stage, after] of Object.entries(ESCALATION_STAGES)) {
    await enqueueJob(tx, {
      kind: ESCALATION_JOB,
      key: `${ESCALATION_JOB}:${incidentId}:${stage}`,
      payload: { incidentId, stage },
      runAt: new Date(discoveredAt.getTime() + after),
      now,
    });
  }
}

/** What one escalation did. */
export type EscalationOutcome = 'alerted' | 'already_alerted' | 'notices_sent' | 'gone';

/** Runs one escalation: alerts the operator if the incident's notices are still unsent. */
export async function escalateIncident(
  services: Services,
  settings: AlertSettings,
  incidentId: string,
  stage: EscalationStage,
): Promise<EscalationOutcome> {
  const incident = await getIncident(services, incidentId).catch(() => undefined);
  if (!incident) return 'gone';
  const pending = incident.scope.filter((s) => s.notifiedAt === null).length;
  if (incident.status === 'closed' || (incident.scope.length > 0 && pending === 0)) return 'notices_sent';
  const deadline = incident.deadline.toISOString();
  const head =
    stage === '48h_overdue'
      ? 'TE LAAT: de termijn van 48 uur voor de meldingen aan de ondernemingen is verstreken.'
      : `${stage === '24h' ? '24' : '36'} uur na ontdekking zijn de meldingen aan de ondernemingen nog niet verstuurd.`;
  const sent = await sendOperatorAlert(services, settings, {
    key: `incident:${incidentId}:${stage}`,
    kind: 'incident_escalation',
    subject:
      stage === '48h_overdue'
        ? `Kluis: meldingen van incident ${incidentId} te laat (48 uur verstreken)`
        : `Kluis: incident ${incidentId} — ${stage === '24h' ? '24' : '36'} uur, meldingen nog niet verstuurd`,
    text: [
      head,
      '',
      `  Incident: ${incidentId}`,
      `  Ontdekt: ${incident.discoveredAt.toISOString()}`,
      `  Uiterste termijn: ${deadline}`,
      incident.scope.length === 0
        ? '  Afbakening: nog niet vastgesteld (kluis incidents scope)'
        : `  Ondernemingen in scope: ${incident.scope.length}, nog niet gemeld: ${pending}`,
      '',
      'Stel de getroffen ondernemingen vast en verstuur de meldingen (kluis incidents notify).',
      'Deze melding bevat geen persoonsgegevens.',
    ].join('\n'),
    target: { type: 'incident', id: incidentId },
    data: { stage, businesses: incident.scope.length, pending, deadline },
  });
  return sent ? 'alerted' : 'already_alerted';
}

/** Registers the escalation handler (main.ts). */
export function registerIncidentEscalationJobs(runner: JobRunner, settings: AlertSettings): JobRunner {
  return runner.register(ESCALATION_JOB, async (job, services) => {
    const { incidentId, stage } = job.payload;
    if (typeof incidentId !== 'string' || !isStage(stage)) throw new Error('bad escalation payload');
    await escalateIncident(services, settings, incidentId, stage);
  });
}
