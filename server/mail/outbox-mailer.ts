/**
 * The embedded mail transport: with no SMTP_URL, every mail becomes an RFC 5322 `.eml` in the
 * tenant's outbox, which the app lists and shows. Mails are full of personal data, so they are
 * stored through the blob store (encrypted under the tenant's data key, key `outbox/<id>.eml`),
 * never as plaintext files; shredding the tenant's keys makes its outbox unreadable too.
 */
import { createTransport, type Transporter } from 'nodemailer';
import { notFound } from '../../domain/errors.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { isBlobNotFound } from '../blobs/blob-store.ts';
import type { Clock } from '../clock.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import { isUuid } from '../ids.ts';
import { type ParsedMail, parseEml } from './eml.ts';
import { type Mailer, type MailMessage, type SentMail, toMailOptions } from './mailer.ts';

const PREFIX = 'outbox/';
/** Listing reads only this much of each message: enough for the headers, never the attachments. */
const HEAD_BYTES = 16 * 1024;

/** One outbox entry as the list shows it. */
export interface OutboxSummary {
  id: string;
  to: string[];
  subject: string;
  date: Date | undefined;
}

/** One outbox mail, parsed for display. */
export interface OutboxMail extends ParsedMail {
  id: string;
}

function blobKey(id: string): string {
  return `${PREFIX}${id}.eml`;
}

/** Writes mail into the tenant's encrypted outbox. */
export class OutboxMailer implements Mailer {
  private readonly blobs: BlobStore;
  private readonly from: string;
  private readonly clock: Clock | undefined;
  // streamTransport only renders the message (CRLF line ends, as RFC 5322 wants); nothing is sent.
  private readonly composer: Transporter = createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });

  constructor(blobs: BlobStore, from: string, clock?: Clock) {
    this.blobs = blobs;
    this.from = from;
    this.clock = clock;
  }

  /** Renders the mail and stores it encrypted as `outbox/<id>.eml`. */
  async send(keys: TenantKeys, message: MailMessage): Promise<SentMail> {
    const { id, messageId, options } = toMailOptions(this.from, message, this.clock);
    const info = (await this.composer.sendMail(options)) as { message: Buffer };
    await this.blobs.put(keys, blobKey(id), info.message);
    return { id, messageId, transport: 'outbox' };
  }

  /** The tenant's outbox, newest first. */
  listOutbox(keys: TenantKeys): Promise<OutboxSummary[]> {
    return listOutbox(this.blobs, keys);
  }

  /** One outbox mail; throws mail_not_found for an unknown id. */
  readOutbox(keys: TenantKeys, id: string): Promise<OutboxMail> {
    return readOutbox(this.blobs, keys, id);
  }
}

/**
 * Decrypts only the first segment(s) of a message and reads its header block. Each segment is
 * authenticated before it is released, so the headers shown are genuine; damage further in is
 * reported by readOutbox, which decrypts the whole message.
 */
async function readHead(blobs: BlobStore, keys: TenantKeys, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = blobs.stream(keys, key);
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end !== -1) return text.slice(0, end);
      if (length >= HEAD_BYTES) return text;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    stream.destroy();
  }
}

/** Lists a tenant's outbox, newest first (ids are UUIDv7, so key order is time order). */
export async function listOutbox(blobs: BlobStore, keys: TenantKeys): Promise<OutboxSummary[]> {
  const entries = await blobs.list(keys.tenantId, PREFIX);
  const ids = entries
    .map((k) => k.slice(PREFIX.length, -'.eml'.length))
    .filter(isUuid)
    .reverse();
  return Promise.all(
    ids.map(async (id) => {
      const { to, subject, date } = parseEml(
        Buffer.from(`${await readHead(blobs, keys, blobKey(id))}\r\n\r\n`),
      );
      return { id, to, subject, date };
    }),
  );
}

/** Reads and parses one outbox mail; unknown ids and other tenants' ids are both mail_not_found. */
export async function readOutbox(blobs: BlobStore, keys: TenantKeys, id: string): Promise<OutboxMail> {
  if (!isUuid(id)) throw notFound('mail');
  try {
    return { id, ...parseEml(await blobs.get(keys, blobKey(id))) };
  } catch (err) {
    throw isBlobNotFound(err) ? notFound('mail') : err;
  }
}
