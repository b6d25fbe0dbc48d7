/**
 * Access-token verification (RFC 9068 JWT profile) with `jose`. What is enforced, and why:
 * - the signature, against the issuer's JWKS only: a token cannot bring its own key;
 * - an algorithm allow-list of asymmetric algorithms (ES256, EdDSA): `none` and HMAC are refused,
 *   so a token "signed" with the public key as an HMAC secret never verifies;
 * - `typ: at+jwt`, so an ID token or another JWT of the same issuer is not taken for an access token;
 * - `iss`, `aud`, `exp` and `nbf` with a small leeway for clock skew.
 * Verified payloads are cached by token hash until they expire, so hot paths skip the signature.
 */
import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { AppError } from '../../domain/errors.ts';
import type { Clock } from '../clock.ts';

/** Only asymmetric signatures; never `none`, never HMAC (ADR 0012). */
export const ACCEPTED_ALGS = ['ES256', 'EdDSA'] as const;
/** Seconds of clock skew tolerated on exp and nbf. */
export const LEEWAY_S = 30;
const CACHE_MAX = 10_000;

/** Where an issuer's public keys come from. */
export type KeySource =
  | { kind: 'local'; load: () => Promise<JSONWebKeySet> }
  | { kind: 'remote'; jwksUrl: string | undefined };

/** What the verifier checks a token against. */
export interface VerifierOptions {
  issuer: string;
  audience: string;
  keys: KeySource;
  clock: Clock;
}

/** Verifies access tokens; `verify` throws an unauthenticated AppError for any bad token. */
export interface TokenVerifier {
  verify(token: string): Promise<JWTPayload>;
}

/** The one 401 for a token that does not verify: the reason goes nowhere a client can read it. */
export function invalidToken(): AppError {
  return new AppError('unauthenticated', 'token_invalid', 'The access token is not valid');
}

/**
 * Local key sets refresh when a token names an unknown kid (a rotation by another process), at
 * most every 5 s, so tokens with made-up kids cannot turn into a database query each.
 */
function localKeys(load: () => Promise<JSONWebKeySet>, clock: Clock): JWTVerifyGetKey {
  let set: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = 0;
  const reload = async () => {
    set = createLocalJWKSet(await load());
    loadedAt = clock.now().getTime();
  };
  return async (header, token) => {
    if (!set) await reload();
    try {
      return await set!(header, token);
    } catch (e) {
      if (!(e instanceof errors.JWKSNoMatchingKey) || clock.now().getTime() - loadedAt < 5_000) throw e;
      await reload();
      return set!(header, token);
    }
  };
}

/** An external issuer's keys, from its jwks_uri (found by discovery when not configured). */
function remoteKeys(issuer: string, jwksUrl: string | undefined): JWTVerifyGetKey {
  let set: JWTVerifyGetKey | undefined;
  return async (header, token) => {
    if (!set) {
      let url = jwksUrl;
      if (!url) {
        const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(5_000),
        });
        const doc = (await res.json()) as { jwks_uri?: unknown };
        if (!res.ok || typeof doc.jwks_uri !== 'string') throw new errors.JWKSInvalid('no jwks_uri');
        url = doc.jwks_uri;
      }
      set = createRemoteJWKSet(new URL(url), { cooldownDuration: 5_000, timeoutDuration: 5_000 });
    }
    return set(header, token);
  };
}

/** Builds a verifier with a cache of verified tokens. */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const getKey =
    options.keys.kind === 'local'
      ? localKeys(options.keys.load, options.clock)
      : remoteKeys(options.issuer, options.keys.jwksUrl);
  const cache = new Map<string, JWTPayload>();
  return {
    async verify(token) {
      const nowS = Math.floor(options.clock.now().getTime() / 1000);
      const key = createHash('sha256').update(token).digest('base64url');
      const hit = cache.get(key);
      if (hit) {
        if ((hit.exp ?? 0) + LEEWAY_S > nowS) return hit;
        cache.delete(key);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...ACCEPTED_ALGS],
          typ: 'at+jwt',
          clockTolerance: LEEWAY_S,
          currentDate: options.clock.now(),
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (e) {
        if (e instanceof errors.JWTExpired) {
          throw new AppError('unauthenticated', 'token_expired', 'The access token has expired');
        }
        if (e instanceof errors.JOSEError || e instanceof TypeError) throw invalidToken();
        throw e;
      }
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
      cache.set(key, payload);
      return payload;
    },
  };
}
