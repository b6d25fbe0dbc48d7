/**
 * What the rest of Kluis sees of mail: one `send`, delivered by SMTP or written to the encrypted
 * outbox. Mail is a side effect that runs after commit (STYLE rule 3). Recipients, subjects and
 * bodies are personal data: nothing here logs them, nodemailer's own logger stays off, and
 * delivery errors are rebuilt without the server's reply text, which often quotes an address.
 */
import type { SendMailOptions } from 'nodemailer';
import type { Clock } from '../clock.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { newId } from '../ids.ts';

/** A file attached to a mail. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A mail to send on behalf of a tenant. */
export interface MailMessage {
  to: string[];
  /** Where replies go when not to the sender: the business, for mail sent on its behalf. */
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

/** How a mail left: its Message-ID, our id for it (also the outbox id), and the transport used. */
export interface SentMail {
  id: string;
  messageId: string;
  transport: 'smtp' | 'outbox';
}

/** Sends mail for a tenant. */
export interface Mailer {
  /** Delivers or stores `message`; throws MailDeliveryError when the relay refuses it. */
  send(keys: TenantKeys, message: MailMessage): Promise<SentMail>;
}

/**
 * A mail that could not be delivered. It keeps only nodemailer's error code, the SMTP command and
 * the reply code, never the reply text or the recipients, so logging it leaks no personal data.
 */
export class MailDeliveryError extends Error {
  readonly code: string | undefined;
  readonly command: string | undefined;
  readonly responseCode: number | undefined;

  constructor(cause: unknown) {
    const e = (cause ?? {}) as { code?: unknown; command?: unknown; responseCode?: unknown };
    const code = typeof e.code === 'string' ? e.code : undefined;
    const command = typeof e.command === 'string' ? e.command.split(' ')[0] : undefined;
    const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
    super(
      `mail delivery failed (${code ?? 'error'}${command ? ` at ${command}` : ''}${responseCode ? `, ${responseCode}` : ''})`,
    );
    this.name = 'MailDeliveryError';
    this.code = code;
    this.command = command;
    this.responseCode = responseCode;
  }
}

/** The Message-ID domain: the sender's domain, so replies and bounces thread correctly. */
function messageIdDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'localhost';
}

/** A new mail id and the nodemailer options for `message`, shared by both transports so they build the same mail. */
export function toMailOptions(
  from: string,
  message: MailMessage,
  clock?: Clock,
): { id: string; messageId: string; options: SendMailOptions } {
  const date = clock?.now() ?? new Date();
  const id = newId(date);
  const messageId = `<${id}@${messageIdDomain(from)}>`;
  return {
    id,
    messageId,
    options: {
      from,
      to: message.to,
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      subject: message.subject,
      text: message.text,
      html: message.html,
      date,
      messageId,
      attachments: message.attachments?.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
      })),
    },
  };
}
