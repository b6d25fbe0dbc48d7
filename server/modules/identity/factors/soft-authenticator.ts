/**
 * A software WebAuthn authenticator and client in one, for tests (unit and HTTP): it answers
 * `navigator.credentials.create()` and `.get()` options the way a browser plus a platform
 * authenticator would, with a P-256 key per credential (ES256), 'none' attestation, and the
 * authenticator data and CBOR built by hand so every byte a server checks can be bent on purpose.
 *
 * Test code only: keys live in memory and nothing here is hardened.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/** A value the small CBOR encoder below can write (RFC 8949, definite lengths only). */
export type CborValue = number | string | Uint8Array | CborValue[] | Map<CborValue, CborValue>;

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Encodes integers, text, bytes, arrays and maps (in insertion order) as CBOR. */
export function encodeCbor(value: CborValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('only integers are supported');
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  }
  if (typeof value === 'string') {
    const utf8 = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, utf8.length), utf8]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(encodeCbor)]);
  const parts = [cborHead(5, value.size)];
  for (const [k, v] of value) parts.push(encodeCbor(k), encodeCbor(v));
  return Buffer.concat(parts);
}

/** Authenticator data flags (WebAuthn §6.1). */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

const COSE_ALG_ES256 = -7;
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The COSE_Key (RFC 9053 EC2, P-256, ES256) of a public key, as authenticators encode it. */
export function coseKeyOf(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return encodeCbor(
    new Map<CborValue, CborValue>([
      [1, 2], // kty: EC2
      [3, COSE_ALG_ES256], // alg
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}

/** Builds authenticator data: rpIdHash ‖ flags ‖ signCount ‖ optional attested credential data. */
export function authenticatorData(rpId: string, flags: number, signCount: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(signCount >>> 0);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
}

/** How the authenticator's signature counter behaves: counting up, or always 0 as synced passkeys do. */
export type CounterMode = 'increment' | 'zero';

/** Settings of a soft authenticator. */
export interface SoftAuthenticatorOptions {
  /** The page origin the simulated browser reports, e.g. `https://kluis.example`. */
  origin: string;
  /** Whether the user is verified (PIN, biometrics) by default; default true. */
  userVerified?: boolean;
  /** Default 'increment'. */
  counter?: CounterMode;
  /** The authenticator model's AAGUID; default all zeroes, as 'none' attestation reports it. */
  aaguid?: Uint8Array;
}

/** Per-ceremony deviations, to test that the server refuses each one. */
export interface CeremonyOverrides {
  origin?: string;
  /** The RP ID hashed into authenticator data (the credential is still chosen by the options' RP ID). */
  rpId?: string;
  /** The challenge written into clientDataJSON, base64url. */
  challenge?: string;
  /** The signature counter to report, instead of the next one. */
  signCount?: number;
  userVerified?: boolean;
  userPresent?: boolean;
  /** clientDataJSON type, e.g. 'webauthn.get' during registration. */
  type?: string;
}

/** One credential the soft authenticator holds. */
export interface SoftCredential {
  id: Buffer;
  rpId: string;
  /** The user handle (base64url) from the registration options, returned by discoverable logins. */
  userHandle: string;
  privateKey: KeyObject;
  signCount: number;
}

/** A software authenticator; `register` and `authenticate` return what the browser would post. */
export class SoftAuthenticator {
  readonly origin: string;
  readonly credentials: SoftCredential[] = [];
  #userVerified: boolean;
  #counter: CounterMode;
  #aaguid: Uint8Array;

  /** Creates an authenticator holding no credentials. */
  constructor(options: SoftAuthenticatorOptions) {
    this.origin = options.origin;
    this.#userVerified = options.userVerified ?? true;
    this.#counter = options.counter ?? 'increment';
    this.#aaguid = options.aaguid ?? new Uint8Array(16);
  }

  #clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  #flags(o: CeremonyOverrides, extra = 0): number {
    const up = (o.userPresent ?? true) ? FLAGS.UP : 0;
    const uv = (o.userVerified ?? this.#userVerified) ? FLAGS.UV : 0;
    return up | uv | extra;
  }

  /** Answers creation options like `navigator.credentials.create()`: a new resident ES256 credential. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    o: CeremonyOverrides = {},
  ): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    if (!options.pubKeyCredParams.some((p) => p.alg === COSE_ALG_ES256)) {
      throw new Error('NotSupportedError: ES256 not offered');
    }
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(b64url(c.id)))) {
      throw new Error('InvalidStateError: a credential of this authenticator is already registered');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(16);
    const signCount = o.signCount ?? 0;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([this.#aaguid, idLength, id, coseKeyOf(publicKey)]);
    const authData = authenticatorData(o.rpId ?? rpId, this.#flags(o, FLAGS.AT), signCount, attested);
    const attestationObject = encodeCbor(
      new Map<CborValue, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.#clientData(
      o.type ?? 'webauthn.create',
      o.challenge ?? options.challenge,
      o.origin ?? this.origin,
    );
    this.credentials.push({ id, rpId, userHandle: options.user.id, privateKey, signCount });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'hybrid'],
      },
    };
  }

  /**
   * Answers request options like `navigator.credentials.get()`: uses the first allowed credential,
   * or, when none are listed (discoverable login), the newest one for the RP ID.
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    o: CeremonyOverrides = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const mine = this.credentials.filter((c) => c.rpId === rpId);
    const credential = allowed.size > 0 ? mine.find((c) => allowed.has(b64url(c.id))) : mine[mine.length - 1];
    if (!credential) throw new Error('NotAllowedError: no matching credential');

    if (o.signCount !== undefined) credential.signCount = o.signCount;
    else if (this.#counter === 'increment') credential.signCount += 1;
    const authData = authenticatorData(o.rpId ?? rpId, this.#flags(o), credential.signCount);
    const clientDataJSON = this.#clientData(
      o.type ?? 'webauthn.get',
      o.challenge ?? options.challenge,
      o.origin ?? this.origin,
    );
    // ES256 over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded as WebAuthn expects.
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      credential.privateKey,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    };
  }
}
