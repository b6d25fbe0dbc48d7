/**
 * Mail through an SMTP relay (SMTP_URL). Off loopback the connection must be encrypted:
 * smtps:// uses implicit TLS, and smtp:// sets requireTLS so nodemailer refuses to send unless
 * STARTTLS succeeds (config.ts accepts smtp:// off loopback only because of this). Certificates
 * are always verified. On loopback (a local relay or the test server) plain SMTP is allowed.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { Clock } from '../clock.ts';
import { isLoopback } from '../config.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { MailDeliveryError, type Mailer, type MailMessage, type SentMail, toMailOptions } from './mailer.ts';

/** Builds nodemailer's SMTP options from SMTP_URL; exported so the TLS rules can be unit-tested. */
export function smtpTransportOptions(smtpUrl: string): SMTPTransportOptions {
  const url = new URL(smtpUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const secure = url.protocol === 'smtps:';
  const onLoopback = isLoopback(host);
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && !onLoopback,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    tls: { minVersion: 'TLSv1.2', rejectUnauthorized: true, servername: onLoopback ? undefined : host },
    // A stuck relay must not hold a job forever; the job is retried instead.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // nodemailer's logger would print envelopes (addresses): keep it off.
    logger: false,
    debug: false,
  };
}

/** Sends through an SMTP relay. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly from: string;
  private readonly clock: Clock | undefined;

  constructor(smtpUrl: string, from: string, clock?: Clock) {
    this.transport = createTransport(smtpTransportOptions(smtpUrl));
    this.from = from;
    this.clock = clock;
  }

  /** Hands the mail to the relay; throws MailDeliveryError (without personal data) when it is refused. */
  async send(_keys: TenantKeys, message: MailMessage): Promise<SentMail> {
    const { id, messageId, options } = toMailOptions(this.from, message, this.clock);
    try {
      await this.transport.sendMail(options);
    } catch (err) {
      throw new MailDeliveryError(err);
    }
    return { id, messageId, transport: 'smtp' };
  }

  /** Closes pooled connections (shutdown, tests). */
  close(): void {
    this.transport.close();
  }
}
