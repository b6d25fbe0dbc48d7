/**
 * The mail to the business's data-protection contact when a support grant is used for the first
 * time (ADR 0057). Enqueued in the transaction that records that first access, so it exists
 * exactly when the access does; sent by the durable job runner. It names the grant, the operator
 * account and the times — nothing of what was read, so no personal data of the business's
 * customers leaves in it. At least once: after a crash between sending and completing, it may
 * arrive twice, which is harmless.
 */
import type { Services } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import type { JobRunner } from '../../jobs/scheduler.ts';
import { findNoticeRecipient } from '../legal/index.ts';
import { findSupportGrant } from './support-access.repo.ts';
import { FIRST_USE_JOB } from './support-session.ts';

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Mails the contact about the first use of one grant; false when there is no grant or no contact. */
export async function sendFirstUseNotice(
  services: Services,
  payload: { tenantId: string; grantId: string; operatorId: string },
): Promise<boolean> {
  const { tenantId, grantId, operatorId } = payload;
  const found = await inTenant(services.db, tenantId, async (tx) => {
    const keys = await services.keyring.forTenant(tx, tenantId);
    const grant = await findSupportGrant(tx, keys, grantId);
    return grant?.firstUsedAt ? { grant, firstUsedAt: grant.firstUsedAt, keys } : undefined;
  });
  if (!found) return false;
  const contact = await findNoticeRecipient(services, tenantId);
  if (!contact) return false;
  const { grant, firstUsedAt, keys } = found;
  await services.mailer.send(keys, {
    to: [contact.email],
    subject: 'Kluis: supporttoegang is gebruikt / support access was used',
    text: [
      `Beste ${contact.name},`,
      '',
      `De supportmedewerkers van uw Kluis-aanbieder hebben op ${when(firstUsedAt)} voor het eerst gebruikgemaakt van de leestoegang die uw eigenaar op ${when(grant.grantedAt)} gaf.`,
      `De toegang loopt af op ${when(grant.expiresAt)}; de eigenaar kan haar eerder intrekken.`,
      'Elke inzage staat in Kluis onder Privacycentrum → Supporttoegang en in het auditlogboek.',
      '',
      `The operator's support staff first used the read access your owner granted, at ${when(firstUsedAt)}.`,
      `It ends at ${when(grant.expiresAt)}; the owner can revoke it sooner. Every access is listed under`,
      'Privacy center → Support access, and in the audit log.',
      '',
      `Toegang / grant: ${grant.id}`,
      `Medewerker (account) / staff account: ${operatorId}`,
    ].join('\n'),
  });
  return true;
}

/** Registers the first-use mail handler (main.ts). */
export function registerSupportAccessJobs(runner: JobRunner): JobRunner {
  return runner.register(FIRST_USE_JOB, async (job, services) => {
    const { tenantId, grantId, operatorId } = job.payload;
    if (typeof tenantId !== 'string' || typeof grantId !== 'string' || typeof operatorId !== 'string') {
      throw new Error('bad support access notice payload');
    }
    await sendFirstUseNotice(services, { tenantId, grantId, operatorId });
  });
}
