/** The data catalogue entries of the identity tables: whose data, why, and for how long. */
import { notPersonal, personal, type TableCatalogue } from '../../db/catalogue.ts';

const id = notPersonal('random identifier');
const time = notPersonal('technical timestamp');

export const IDENTITY_CATALOGUE: Record<string, TableCatalogue> = {
  deployment_secrets: {
    name: notPersonal('name of a deployment secret'),
    sealed: notPersonal('key material sealed under the master key'),
    master_key_id: notPersonal('master key fingerprint'),
    created_at: time,
  },
  oidc_signing_keys: {
    kid: notPersonal('key id'),
    alg: notPersonal('algorithm name'),
    public_jwk: notPersonal('public key'),
    private_sealed: notPersonal('private key sealed under the master key'),
    master_key_id: notPersonal('master key fingerprint'),
    created_at: time,
    retired_at: time,
    publish_until: time,
  },
  oidc_payloads: {
    model: notPersonal('kind of provider record'),
    id: notPersonal('random token or session id'),
    // Sessions, grants and interactions name the account and may carry login hints.
    payload_enc: personal('electronic_identifier', 'user', 'security', 'subscription'),
    grant_id: notPersonal('random grant id'),
    uid: notPersonal('random interaction id'),
    expires_at: time,
    consumed_at: time,
  },
  users: {
    id,
    kind: notPersonal('business user or operator staff'),
    email_enc: personal('email', 'user', 'security', 'subscription'),
    email_bidx: notPersonal('keyed blind index of the e-mail address; see email_enc'),
    password_hash: notPersonal('argon2id hash of a secret; reveals nothing about the person'),
    locale: notPersonal('nl or en'),
    status: notPersonal('lifecycle state'),
    created_at: time,
  },
  user_totp: {
    user_id: id,
    secret_enc: notPersonal('a random shared secret, sealed; it says nothing about the person'),
    last_used_step: notPersonal('counter against replay'),
    confirmed_at: time,
    created_at: time,
  },
  user_recovery_codes: {
    user_id: id,
    hashes: notPersonal('keyed hashes of random one-time codes'),
    created_at: time,
  },
  user_passkeys: {
    id: notPersonal('random credential id chosen by the authenticator'),
    user_id: id,
    public_key: notPersonal('a public key'),
    counter: notPersonal('signature counter'),
    transports: notPersonal('transport names such as usb or internal'),
    // Free text the person types ("Jan's laptop"), so it may name them: sealed like their e-mail.
    name_enc: personal('free_text', 'user', 'security', 'subscription'),
    created_at: time,
    last_used_at: time,
  },
  invitations: {
    tenant_id: notPersonal('identifies the business'),
    id,
    email_enc: personal('email', 'user', 'service', 'subscription'),
    role: notPersonal('role name'),
    token_hash: notPersonal('SHA-256 of a random link token'),
    invited_by: notPersonal('pseudonymous account id'),
    created_at: time,
    expires_at: time,
    accepted_at: time,
  },
  tenant_security: {
    tenant_id: notPersonal('identifies the business'),
    require_two_factor: notPersonal('a setting'),
    updated_at: time,
  },
  memberships: {
    tenant_id: notPersonal('identifies the business'),
    user_id: notPersonal('pseudonymous account id'),
    role: notPersonal('role name'),
    created_at: time,
  },
  password_resets: {
    id,
    user_id: notPersonal('pseudonymous account id'),
    token_hash: notPersonal('SHA-256 of a random single-use link token'),
    created_at: time,
    expires_at: time,
    used_at: time,
  },
  login_failures: {
    id,
    // Like the blind indexes: useless without the deployment's key, and purged once the rate-limit
    // window has passed (ADR 0017).
    key: notPersonal('keyed hash of a typed address or client address, never either in clear'),
    failed_at: time,
  },
  oidc_grant_businesses: {
    grant_id: notPersonal('random grant id'),
    user_id: notPersonal('pseudonymous account id'),
    business_id: notPersonal('identifies the business'),
    created_at: time,
  },
};
