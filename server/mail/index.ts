/**
 * Mail, chosen once at start-up: SMTP when SMTP_URL is set (its host was already checked against
 * the EU allow-list by config.ts), otherwise the encrypted outbox in the blob store.
 */
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Mailer } from './mailer.ts';
import { OutboxMailer } from './outbox-mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

export { type ParsedMail, parseEml } from './eml.ts';
export {
  type MailAttachment,
  MailDeliveryError,
  type Mailer,
  type MailMessage,
  type SentMail,
} from './mailer.ts';
export {
  listOutbox,
  type OutboxMail,
  OutboxMailer,
  type OutboxSummary,
  readOutbox,
} from './outbox-mailer.ts';
export { SmtpMailer, smtpTransportOptions } from './smtp-mailer.ts';

/** Builds the configured mailer. */
export function createMailer(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  blobs: BlobStore,
  clock?: Clock,
): Mailer {
  return config.smtpUrl
    ? new SmtpMailer(config.smtpUrl, config.mailFrom, clock)
    : new OutboxMailer(blobs, config.mailFrom, clock);
}
