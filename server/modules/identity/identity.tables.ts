/**
 * Identity tables. `users` and the OIDC provider's state are platform tables (a person may belong
 * to several businesses, and sign-in happens before any business is chosen); `memberships` are
 * tenant-owned under row-level security. Personal fields are sealed under deployment keys
 * (identity.crypto.ts) because no tenant key applies to a user.
 */
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, bytea } from '../../db/platform.tables.ts';

/** Deployment-wide secrets (cookie keys, the user blind-index key), each sealed under the master key. */
export const deploymentSecrets = pgTable('deployment_secrets', {
  name: text('name').primaryKey(),
  sealed: bytea('sealed').notNull(),
  masterKeyId: text('master_key_id').notNull(),
  createdAt: at('created_at').notNull(),
});

/** Asymmetric token-signing keys; the private half sealed, retired keys published until `publish_until`. */
export const oidcSigningKeys = pgTable('oidc_signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateSealed: bytea('private_sealed').notNull(),
  masterKeyId: text('master_key_id').notNull(),
  createdAt: at('created_at').notNull(),
  retiredAt: at('retired_at'),
  publishUntil: at('publish_until'),
});

/** The provider's state (sessions, grants, codes, refresh tokens, interactions), payloads sealed. */
export const oidcPayloads = pgTable(
  'oidc_payloads',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payloadEnc: bytea('payload_enc').notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    expiresAt: at('expires_at'),
    consumedAt: at('consumed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oidc_payloads_grant_idx').on(t.grantId),
    index('oidc_payloads_uid_idx').on(t.uid),
    index('oidc_payloads_expiry_idx').on(t.expiresAt),
  ],
);

/** People who sign in: business users and the operator's staff (`kind`). E-mail sealed, unique by blind index. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull().default('user'),
    emailEnc: bytea('email_enc').notNull(),
    emailBidx: bytea('email_bidx').notNull(),
    passwordHash: text('password_hash'),
    locale: text('locale').notNull().default('nl'),
    status: text('status').notNull().default('active'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('users_email_bidx_key').on(t.emailBidx)],
);

/** Who belongs to which business, in which role (owner, admin, bookkeeper, viewer). */
export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/** A person's TOTP second factor: the secret sealed, the last step used (replay refusal). */
export const userTotp = pgTable('user_totp', {
  userId: uuid('user_id').primaryKey(),
  secretEnc: bytea('secret_enc').notNull(),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  confirmedAt: at('confirmed_at'),
  createdAt: at('created_at').notNull(),
});

/** A person's one-time recovery codes, as keyed hashes; a used code becomes null. */
export const userRecoveryCodes = pgTable('user_recovery_codes', {
  userId: uuid('user_id').primaryKey(),
  hashes: jsonb('hashes').notNull(),
  createdAt: at('created_at').notNull(),
});

/** Security settings of a business: its owner can require a second factor of every member. */
export const tenantSecurity = pgTable('tenant_security', {
  tenantId: uuid('tenant_id').primaryKey(),
  requireTwoFactor: boolean('require_two_factor').notNull().default(false),
  updatedAt: at('updated_at').notNull(),
});

/** A person's passkeys (WebAuthn): public key, signature counter and the name the person gave it. */
export const userPasskeys = pgTable(
  'user_passkeys',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    publicKey: bytea('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    transports: text('transports').notNull(),
    /** The name the person gave it ("Laptop", "YubiKey"), sealed like the user's e-mail address. */
    nameEnc: bytea('name_enc'),
    createdAt: at('created_at').notNull(),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [index('user_passkeys_user_idx').on(t.userId)],
);

/** Invitations to join a business: the address sealed, the link's token only as a hash. */
export const invitations = pgTable(
  'invitations',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    emailEnc: bytea('email_enc').notNull(),
    role: text('role').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    invitedBy: text('invited_by'),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    acceptedAt: at('accepted_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('invitations_token_key').on(t.tokenHash)],
);

/** Password-reset links: only the token's SHA-256 is stored; single use, short-lived. */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [
    uniqueIndex('password_resets_token_key').on(t.tokenHash),
    index('password_resets_user_idx').on(t.userId),
  ],
);

/**
 * Failed sign-ins, shared by every app node: the key is a keyed hash of the typed address or of
 * the client address (never either in clear), one row per failure inside the window.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: uuid('id').primaryKey(),
    key: bytea('key').notNull(),
    failedAt: at('failed_at').notNull(),
  },
  (t) => [index('login_failures_key_idx').on(t.key, t.failedAt)],
);

/** Which business a person's grant (and so every token of it) is for; chosen at sign-in. */
export const oidcGrantBusinesses = pgTable('oidc_grant_businesses', {
  grantId: text('grant_id').primaryKey(),
  userId: uuid('user_id').notNull(),
  businessId: uuid('business_id').notNull(),
  createdAt: at('created_at').notNull(),
});
