/**
 * WebAuthn passkeys, as a second factor or for passwordless sign-in, on @simplewebauthn/server.
 * These functions fix Kluis's choices (algorithms, attestation, user verification, timeouts) so
 * callers only say which relying party, which user and which stored passkeys.
 *
 * The caller keeps each ceremony's challenge server-side (session), single-use and expiring with
 * the timeout; a passkey's counter is updated after each successful sign-in.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';

/** The relying party: the RP ID (the site's domain), a display name and the accepted origin(s). */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string | string[];
}

/**
 * How a passkey is used. 'passwordless' demands a discoverable credential and user verification
 * (the passkey is the whole sign-in); 'second_factor' follows a password, so presence is enough
 * and verification is only preferred.
 */
export type PasskeyUse = 'passwordless' | 'second_factor';

/** What the database keeps of a passkey to verify it later. */
export interface StoredPasskey {
  /** Credential ID, base64url. */
  id: string;
  /** COSE public key bytes. */
  publicKey: Uint8Array;
  /** Last signature counter seen (0 for authenticators that do not count). */
  counter: number;
  /** Transports the browser reported, passed back as hints in later ceremonies. */
  transports: string[];
}

/** A passkey just registered: what to store, plus facts worth showing in the list of passkeys. */
export interface NewPasskey extends StoredPasskey {
  /** Authenticator model (all zeroes under 'none' attestation from most platforms). */
  aaguid: string;
  /** 'multiDevice' for synced passkeys. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  userVerified: boolean;
}

/** The user a passkey is made for. `id` is an opaque random handle, never the e-mail or user id. */
export interface PasskeyUser {
  id: Uint8Array;
  /** What the authenticator shows to tell accounts apart, usually the e-mail address. */
  name: string;
  displayName: string;
}

/** A ceremony that failed verification; `reason` is for logs (no personal data), not for people. */
export interface PasskeyFailure {
  ok: false;
  code: 'webauthn_verification_failed';
  reason: string;
}

/** The outcome of a registration ceremony. */
export type PasskeyRegistrationResult = { ok: true; passkey: NewPasskey } | PasskeyFailure;

/** The outcome of a sign-in ceremony: the new counter and flags to store on the passkey. */
export type PasskeyAuthenticationResult =
  | { ok: true; credentialId: string; counter: number; userVerified: boolean; backedUp: boolean }
  | PasskeyFailure;

// EdDSA, ES256, RS256: what authenticators in use support. Pinned so that a library update
// cannot widen what we accept without a review.
const ALGORITHMS = [-8, -7, -257];
// Five minutes: WebAuthn suggests 300 s when user verification is involved (PIN entry, a phone
// nearby for hybrid transport); the caller expires the stored challenge the same way.
const TIMEOUT_MS = 300_000;

const failure = (error: unknown): PasskeyFailure => ({
  ok: false,
  code: 'webauthn_verification_failed',
  reason: error instanceof Error ? error.message : 'verification failed',
});

/** Builds options for `navigator.credentials.create()`; store `options.challenge` for the finish. */
export async function startPasskeyRegistration(
  rp: RelyingParty,
  user: PasskeyUser,
  existing: readonly StoredPasskey[],
  use: PasskeyUse,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new Uint8Array(user.id),
    userName: user.name,
    userDisplayName: user.displayName,
    timeout: TIMEOUT_MS,
    // Kluis does not restrict authenticator models, so attestation would only add privacy cost.
    attestationType: 'none',
    // The browser refuses an authenticator that already holds one of these: no duplicate passkeys.
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: {
      // 'preferred' for a second factor too: a passkey the authenticator keeps discoverable can
      // later sign in on its own (passwordless, with user verification; ADR 0017).
      residentKey: use === 'passwordless' ? 'required' : 'preferred',
      userVerification: use === 'passwordless' ? 'required' : 'preferred',
    },
    supportedAlgorithmIDs: ALGORITHMS,
  });
}

/** Verifies the browser's answer to the registration options and returns the passkey to store. */
export async function finishPasskeyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
  use: PasskeyUse,
): Promise<PasskeyRegistrationResult> {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserPresence: true,
      requireUserVerification: use === 'passwordless',
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) return failure(new Error('registration not verified'));
    const info = result.registrationInfo;
    return {
      ok: true,
      passkey: {
        id: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        aaguid: info.aaguid,
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        userVerified: info.userVerified,
      },
    };
  } catch (error) {
    return failure(error);
  }
}

/**
 * Builds options for `navigator.credentials.get()`. With `allowed` passkeys (the user is known,
 * e.g. after the password) the browser offers only those; with none, any discoverable passkey
 * for this site may answer and the response's user handle says whose it is.
 */
export async function startPasskeyAuthentication(
  rp: RelyingParty,
  allowed: readonly StoredPasskey[],
  use: PasskeyUse,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: allowed.map((p) => ({ id: p.id, transports: p.transports })),
    timeout: TIMEOUT_MS,
    userVerification: use === 'passwordless' ? 'required' : 'preferred',
  });
}

/** Which passkey (and, for discoverable credentials, which user handle) a sign-in response names. */
export function passkeyAssertionIdentity(response: AuthenticationResponseJSON): {
  credentialId: string;
  userHandle: string | undefined;
} {
  return { credentialId: response.id, userHandle: response.response.userHandle ?? undefined };
}

/** What the caller knows when finishing a sign-in. */
export interface PasskeySignIn {
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  /** The stored passkey the response names (look it up with `passkeyAssertionIdentity`). */
  passkey: StoredPasskey;
  use: PasskeyUse;
  /** The owner's user handle (base64url); when given, a response naming another handle fails. */
  userHandle?: string;
}

/**
 * Verifies a sign-in: origin, challenge, RP ID, signature, user presence (and verification for
 * passwordless) and a counter that must grow unless the authenticator always reports 0, which
 * suggests a cloned authenticator when it does not.
 */
export async function finishPasskeyAuthentication(
  rp: RelyingParty,
  signIn: PasskeySignIn,
): Promise<PasskeyAuthenticationResult> {
  const { response, passkey, userHandle } = signIn;
  if (response.id !== passkey.id) return failure(new Error('response names another credential'));
  const returnedHandle = response.response.userHandle;
  if (userHandle !== undefined && returnedHandle && returnedHandle !== userHandle) {
    return failure(new Error('response names another user handle'));
  }
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: signIn.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { ...passkey, publicKey: new Uint8Array(passkey.publicKey) },
      requireUserVerification: signIn.use === 'passwordless',
    });
    if (!result.verified) return failure(new Error('signature not verified'));
    const info = result.authenticationInfo;
    return {
      ok: true,
      credentialId: info.credentialID,
      counter: info.newCounter,
      userVerified: info.userVerified,
      backedUp: info.credentialBackedUp,
    };
  } catch (error) {
    return failure(error);
  }
}
