/**
 * The plain context every use case receives: who acts, for which tenant, when and from where,
 * plus the process's services. Never a Fastify request (STYLE rule 3).
 */

import type { BlobStore } from './blobs/blob-store.ts';
import type { Clock } from './clock.ts';
import type { Keyring } from './crypto/keyring.ts';
import type { Database } from './db/client.ts';
import type { Logger } from './log.ts';
import type { Mailer } from './mail/mailer.ts';

/**
 * Who performs an action. `id` is a user, client or operator id; null for the system itself.
 * `support` is an operator reading a business's records under its owner's grant (ADR 0057).
 */
export interface Actor {
  type: 'user' | 'client' | 'operator' | 'support' | 'system';
  id: string | null;
}

/** A person's role in a business; owners and admins manage members, viewers only read. */
export type Role = 'owner' | 'admin' | 'bookkeeper' | 'viewer';

/** What an authenticated caller may do: a user's role in the business, and the token's scopes. */
export interface Access {
  role: Role | null;
  scopes: readonly string[];
}

/** The services of the process, built once by app.ts or the CLI. */
export interface Services {
  db: Database;
  keyring: Keyring;
  clock: Clock;
  log: Logger;
  /** Encrypted files: the data directory, or an S3-compatible bucket. */
  blobs: BlobStore;
  /** SMTP, or the encrypted outbox in embedded mode. */
  mailer: Mailer;
  /** The URL people use to reach Kluis, for links printed in documents (unset: none printed). */
  publicUrl?: string;
}

/** A use case's context for one tenant. */
export interface Ctx {
  tenantId: string;
  actor: Actor;
  requestId: string | null;
  /** The client address, stored only encrypted in the audit log. */
  ip: string | null;
  services: Services;
  /** Set for API requests, from the verified token and the memberships table. */
  access?: Access;
}

/** The system actor, for CLI and scheduled work. */
export const SYSTEM: Actor = { type: 'system', id: null };
