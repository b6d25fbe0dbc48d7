/**
 * Tables of the platform itself: tenants, their keys, the audit chain and durable jobs.
 * Row-level security, grants and triggers are in the custom SQL migrations next to the
 * generated ones (drizzle-kit does not express FORCE or role grants).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** bytea as a Node Buffer (ciphertexts, hashes, blind indexes). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** A `timestamptz` column read as a Date: every time Kluis stores has a zone. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per business (the controller). The name may identify a sole trader, so it is encrypted. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  nameEnc: bytea('name_enc').notNull(),
  status: text('status').notNull().default('active'),
  createdAt: at('created_at').notNull(),
  shreddedAt: at('shredded_at'),
});

/** A tenant's data, blind-index and audit keys, each wrapped by the master key. */
export const tenantKeys = pgTable(
  'tenant_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    purpose: text('purpose').notNull(),
    keyId: integer('key_id').notNull(),
    wrapped: bytea('wrapped').notNull(),
    masterKeyId: text('master_key_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.purpose, t.keyId] })],
);

/** The head of each tenant's audit chain; its row lock serialises appends per tenant. */
export const auditHeads = pgTable('audit_heads', {
  tenantId: uuid('tenant_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: bytea('hash').notNull(),
});

/** Append-only audit events, hash-chained per tenant. The app role may only insert and read. */
export const auditEvents = pgTable(
  'audit_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    occurredAt: at('occurred_at').notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    requestId: text('request_id'),
    ipEnc: bytea('ip_enc'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
    mac: bytea('mac').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seq] }),
    index('audit_events_target_idx').on(t.tenantId, t.targetType, t.targetId),
    index('audit_events_action_idx').on(t.tenantId, t.action, t.occurredAt),
  ],
);

/** Durable jobs: claimed with SKIP LOCKED under a lease, idempotent by key. No personal data in payloads. */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    key: text('key').notNull().unique(),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    status: text('status').notNull().default('queued'),
    runAt: at('run_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(10),
    lockedBy: text('locked_by'),
    lockedUntil: at('locked_until'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull(),
    finishedAt: at('finished_at'),
  },
  (t) => [index('jobs_due_idx').on(t.status, t.runAt)],
);
