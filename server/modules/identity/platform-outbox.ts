/**
 * The platform outbox (issue 7 point 9): on a deployment without SMTP_URL, sign-up confirmations
 * and password resets are sealed into the outbox under the platform mail keys, where nobody could
 * read them. These read them back for the operator's `kluis outbox` (outbox.cli.ts), which runs on
 * the machine and so already holds everything the data directory gives. Shapes are plain JSON,
 * because on the embedded database they travel over the control socket.
 */
import { AppError } from '../../../domain/errors.ts';
import type { Services } from '../../context.ts';
import { OutboxMailer } from '../../mail/outbox-mailer.ts';
import { platformMailKeys } from './platform-mail.ts';

/** One mail as the list shows it. */
export interface PlatformOutboxEntry {
  id: string;
  date: string | null;
  to: string[];
  subject: string;
}

/** One mail as `outbox show` prints it: headers, text body and attachment names, no HTML. */
export interface PlatformOutboxMail extends PlatformOutboxEntry {
  from: string | null;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

/** Thrown when mail goes out by SMTP: there is no outbox to read. */
export const outboxDisabled = () =>
  new AppError('conflict', 'outbox_disabled', 'SMTP_URL is set: mail is sent by SMTP and there is no outbox');

function outbox(services: Services): OutboxMailer {
  if (!(services.mailer instanceof OutboxMailer)) throw outboxDisabled();
  return services.mailer;
}

/** The platform outbox, newest first. */
export async function listPlatformOutbox(services: Services): Promise<PlatformOutboxEntry[]> {
  const mails = await outbox(services).listOutbox(await platformMailKeys(services));
  return mails.map((m) => ({ id: m.id, date: m.date?.toISOString() ?? null, to: m.to, subject: m.subject }));
}

/** One platform mail; an unknown id is mail_not_found. */
export async function readPlatformOutbox(services: Services, id: string): Promise<PlatformOutboxMail> {
  const m = await outbox(services).readOutbox(await platformMailKeys(services), id);
  return {
    id: m.id,
    date: m.date?.toISOString() ?? null,
    from: m.from ?? null,
    to: m.to,
    subject: m.subject,
    text: m.text,
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.content.length,
    })),
  };
}
