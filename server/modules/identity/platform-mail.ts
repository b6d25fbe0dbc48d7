/**
 * Mail to a person rather than on behalf of a business (password resets, sign-up confirmations):
 * no business key applies, so it is sealed under a deployment key of its own, as the pseudo-tenant
 * `platform`, in the same outbox or SMTP transport as every other mail.
 */
import type { Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { MailMessage } from '../../mail/mailer.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';

/** The keys the outbox seals platform mail under (tenant id `platform`). */
export async function platformMailKeys(services: Services): Promise<TenantKeys> {
  const key = await getDeploymentSecret(services, 'platform-mail-key');
  return {
    tenantId: 'platform',
    data: { current: { id: 1, key }, byId: (id: number) => (id === 1 ? key : undefined) },
    index: key,
    // Mail never appends to an audit chain; the field exists for the type only.
    audit: Buffer.alloc(32),
  };
}

/** Sends one platform mail; failures are logged without the address and never reach the caller. */
export async function sendPlatformMail(services: Services, message: MailMessage): Promise<void> {
  try {
    await services.mailer.send(await platformMailKeys(services), message);
  } catch (err) {
    services.log.error({ err: { name: (err as Error).name } }, 'sending a platform mail failed');
  }
}
