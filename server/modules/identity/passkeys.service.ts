/**
 * Passkeys (WebAuthn) as a second factor (Identity point 6), on the factors library. A person
 * registers passkeys through the API; at sign-in, after the password, a passkey can answer instead
 * of a TOTP code. Registration challenges are kept server-side, sealed and single-use, in the
 * provider's storage; sign-in challenges live in the interaction. The user handle given to
 * authenticators is an HMAC of the user id, never the id or the e-mail address itself.
 */
import { createHmac } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../../domain/errors.ts';
import type { Tx } from '../../db/client.ts';
import { inSystem } from '../../db/transactions.ts';
import { type RequestMeta, recordInEachBusiness } from './accounts.service.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';
import {
  finishPasskeyAuthentication,
  finishPasskeyRegistration,
  type RelyingParty,
  type StoredPasskey,
  startPasskeyAuthentication,
  startPasskeyRegistration,
} from './factors/webauthn.ts';
import { userPasskeys } from './identity.tables.ts';
import { databaseAdapter } from './oidc-adapter.ts';
import {
  deletePasskeyOf,
  listPasskeysOf,
  type PasskeySummary,
  renamePasskeyOf,
  sealPasskeyName,
} from './passkeys.repo.ts';
import type { IdentityRuntime } from './runtime.ts';
import { findUserById } from './users.repo.ts';

const CHALLENGE_TTL_S = 300;

/** The relying party for the public URL: its host is the RP ID, its origin the only origin. */
export function relyingParty(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, name: 'Kluis', origin: url.origin };
}

async function passkeysOf(tx: Tx, userId: string): Promise<StoredPasskey[]> {
  const rows = await tx.select().from(userPasskeys).where(eq(userPasskeys.userId, userId));
  return rows.map((r) => ({
    id: r.id,
    publicKey: new Uint8Array(r.publicKey),
    counter: r.counter,
    transports: r.transports.split(' ').filter(Boolean),
  }));
}

/** True when the person has at least one passkey. */
export async function hasPasskey(rt: IdentityRuntime, userId: string): Promise<boolean> {
  return (await inSystem(rt.services.db, (tx) => passkeysOf(tx, userId))).length > 0;
}

const challenges = (rt: IdentityRuntime) =>
  new (databaseAdapter(rt.services, async () => undefined))('KluisPasskeyChallenge');

/** Starts registering a passkey: options for `navigator.credentials.create()`. */
export async function startPasskeyEnrolment(rt: IdentityRuntime, userId: string) {
  const keys = await rt.userKeys();
  const handleKey = await getDeploymentSecret(rt.services, 'webauthn-user-handle-key');
  const { user, existing } = await inSystem(rt.services.db, async (tx) => ({
    user: await findUserById(tx, keys, userId),
    existing: await passkeysOf(tx, userId),
  }));
  if (!user) throw new AppError('not_found', 'user_not_found', 'No such user');
  const handle = createHmac('sha256', handleKey).update(userId).digest();
  const options = await startPasskeyRegistration(
    relyingParty(rt.publicUrl),
    { id: handle, name: user.email, displayName: user.email },
    existing,
    'second_factor',
  );
  await challenges(rt).upsert(userId, { challenge: options.challenge }, CHALLENGE_TTL_S);
  return options;
}

/** Finishes registering a passkey with the browser's answer, under the name the person gave it. */
export async function finishPasskeyEnrolment(
  rt: IdentityRuntime,
  userId: string,
  response: RegistrationResponseJSON,
  meta: RequestMeta,
  name?: string,
): Promise<{ id: string }> {
  const store = challenges(rt);
  const stash = await store.find(userId);
  await store.destroy(userId); // single use, whatever the outcome
  if (typeof stash?.challenge !== 'string') {
    throw new AppError('conflict', 'no_pending_enrolment', 'Start enrolment first');
  }
  const result = await finishPasskeyRegistration(
    relyingParty(rt.publicUrl),
    response,
    stash.challenge,
    'second_factor',
  );
  if (!result.ok)
    throw new AppError('invalid', 'webauthn_verification_failed', 'The passkey could not be verified');
  const p = result.passkey;
  const label = name?.trim() ? name.trim() : undefined;
  const keys = label ? await rt.userKeys() : undefined;
  await inSystem(rt.services.db, (tx) =>
    tx.insert(userPasskeys).values({
      id: p.id,
      userId,
      publicKey: Buffer.from(p.publicKey),
      counter: p.counter,
      transports: p.transports.join(' '),
      nameEnc: label && keys ? sealPasskeyName(keys, p.id, label) : null,
      createdAt: rt.services.clock.now(),
    }),
  );
  await recordInEachBusiness(rt, userId, 'user.two_factor_enrolled', meta, { factor: 'passkey' });
  return { id: p.id };
}

/** The person's passkeys with their names, for the security screen. */
export async function listPasskeys(rt: IdentityRuntime, userId: string): Promise<PasskeySummary[]> {
  const keys = await rt.userKeys();
  return inSystem(rt.services.db, (tx) => listPasskeysOf(tx, keys, userId));
}

/** Renames one of the person's passkeys; another person's passkey is as missing as an unknown id. */
export async function renamePasskey(
  rt: IdentityRuntime,
  userId: string,
  passkeyId: string,
  name: string,
): Promise<void> {
  const label = name.trim();
  if (!label) {
    throw new AppError('invalid', 'validation_failed', 'A passkey needs a name', [
      { path: 'name', code: 'required', message: 'A passkey needs a name' },
    ]);
  }
  const keys = await rt.userKeys();
  const found = await inSystem(rt.services.db, (tx) => renamePasskeyOf(tx, keys, userId, passkeyId, label));
  if (!found) throw new AppError('not_found', 'passkey_not_found', 'No such passkey');
}

/**
 * Removes one of the person's passkeys. The signed-in session is enough, as for adding one: a
 * passkey is an extra way in, and removing it only narrows the ways in. The removal is audited.
 */
export async function removePasskey(
  rt: IdentityRuntime,
  userId: string,
  passkeyId: string,
  meta: RequestMeta,
): Promise<void> {
  const found = await inSystem(rt.services.db, (tx) => deletePasskeyOf(tx, userId, passkeyId));
  if (!found) throw new AppError('not_found', 'passkey_not_found', 'No such passkey');
  await recordInEachBusiness(rt, userId, 'user.two_factor_removed', meta, { factor: 'passkey' });
}

/** Options for `navigator.credentials.get()` limited to the person's passkeys; keep the challenge. */
export async function startPasskeySignIn(rt: IdentityRuntime, userId: string) {
  const allowed = await inSystem(rt.services.db, (tx) => passkeysOf(tx, userId));
  if (allowed.length === 0) throw new AppError('conflict', 'no_passkey', 'No passkey registered');
  return startPasskeyAuthentication(relyingParty(rt.publicUrl), allowed, 'second_factor');
}

/** Verifies a passkey answer at sign-in; throws second_factor_invalid (and counts it) when it fails. */
export async function finishPasskeySignIn(
  rt: IdentityRuntime,
  userId: string,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  meta: RequestMeta,
): Promise<void> {
  const limitKey = `2fa:${userId}`;
  const wait = await rt.limiter.retryAfter(limitKey, meta.ip);
  if (wait > 0)
    throw new AppError('rate_limited', 'too_many_attempts', `Too many attempts; try again in ${wait} s`);
  const ok = await inSystem(rt.services.db, async (tx) => {
    const passkey = (await passkeysOf(tx, userId)).find((p) => p.id === response.id);
    if (!passkey) return false;
    const result = await finishPasskeyAuthentication(relyingParty(rt.publicUrl), {
      response,
      expectedChallenge,
      passkey,
      use: 'second_factor',
    });
    if (!result.ok) return false;
    await tx
      .update(userPasskeys)
      .set({ counter: result.counter, lastUsedAt: rt.services.clock.now() })
      .where(and(eq(userPasskeys.id, passkey.id), eq(userPasskeys.userId, userId)));
    return true;
  });
  if (!ok) {
    await rt.limiter.fail(limitKey, meta.ip);
    await recordInEachBusiness(rt, userId, 'user.sign_in_failed', meta, { reason: 'passkey' });
    throw new AppError('unauthenticated', 'second_factor_invalid', 'The passkey could not be verified');
  }
  await rt.limiter.succeed(limitKey);
}

/**
 * Options for a passwordless sign-in: no user is known yet, so any discoverable passkey of this
 * site may answer, and the authenticator must verify the person (PIN or biometrics).
 */
export async function startPasswordlessSignIn(rt: IdentityRuntime) {
  return startPasskeyAuthentication(relyingParty(rt.publicUrl), [], 'passwordless');
}

/**
 * Verifies a passwordless answer: the passkey it names, the user handle it returns (which must be
 * the handle Kluis gave that passkey's owner), user verification, origin, challenge and counter.
 * Returns the person; throws passkey_invalid (and counts it per passkey and address) otherwise.
 * Operators never sign in this way: their sign-in always starts with the password (point 12).
 */
export async function finishPasswordlessSignIn(
  rt: IdentityRuntime,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  meta: RequestMeta,
): Promise<string> {
  const limitKey = `passkey:${String(response?.id ?? '').slice(0, 200)}`;
  const wait = await rt.limiter.retryAfter(limitKey, meta.ip);
  if (wait > 0)
    throw new AppError('rate_limited', 'too_many_attempts', `Too many attempts; try again in ${wait} s`);
  const keys = await rt.userKeys();
  const handleKey = await getDeploymentSecret(rt.services, 'webauthn-user-handle-key');
  const userId = await inSystem(rt.services.db, async (tx) => {
    if (typeof response?.id !== 'string') return undefined;
    const [row] = await tx.select().from(userPasskeys).where(eq(userPasskeys.id, response.id));
    if (!row) return undefined;
    const user = await findUserById(tx, keys, row.userId);
    if (!user || user.status !== 'active' || user.kind !== 'user') return undefined;
    const result = await finishPasskeyAuthentication(relyingParty(rt.publicUrl), {
      response,
      expectedChallenge,
      passkey: {
        id: row.id,
        publicKey: new Uint8Array(row.publicKey),
        counter: row.counter,
        transports: row.transports.split(' ').filter(Boolean),
      },
      use: 'passwordless',
      userHandle: createHmac('sha256', handleKey).update(row.userId).digest('base64url'),
    });
    // A discoverable answer must name its owner; one without a user handle is not passwordless.
    if (!result.ok || !response.response.userHandle) return undefined;
    await tx
      .update(userPasskeys)
      .set({ counter: result.counter, lastUsedAt: rt.services.clock.now() })
      .where(eq(userPasskeys.id, row.id));
    return row.userId;
  });
  if (!userId) {
    await rt.limiter.fail(limitKey, meta.ip);
    throw new AppError('unauthenticated', 'passkey_invalid', 'The passkey could not be verified');
  }
  await rt.limiter.succeed(limitKey);
  return userId;
}
