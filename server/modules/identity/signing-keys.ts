/**
 * Token-signing keys of the embedded provider (ADR 0011). Asymmetric (ES256), created per
 * deployment, the private half sealed under the master key. Rotation makes a new key current and
 * keeps the old public keys in the JWKS until `publish_until`, which lies past the longest token
 * lifetime, so tokens signed before a rotation stay valid until they expire.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Actor, Services } from '../../context.ts';
import { sql, type Tx } from '../../db/client.ts';
import { inSystem } from '../../db/transactions.ts';
import { oidcSigningKeys } from './identity.tables.ts';
import { appendPlatformAudit, CONSOLE, platformAuditKeys } from './platform-audit.ts';

/** The one signing algorithm: ES256 is supported by every relying party and external verifier. */
export const SIGNING_ALG = 'ES256';
/** How long a retired key stays published; longer than any token it signed can live (ADR 0011). */
export const RETIRED_KEY_GRACE_MS = 2 * 24 * 3_600_000;

/** A signing key with its private JWK opened. */
export interface SigningKey {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
  isCurrent: boolean;
}

const label = (kid: string) => `oidc-signing-key/${kid}`;

async function insertNewKey(tx: Tx, services: Services): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomBytes(12).toString('base64url');
  const base = { kid, alg: SIGNING_ALG, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), ...base };
  const privateJwk = { ...(await exportJWK(privateKey)), ...base };
  const { sealed, masterKeyId } = services.keyring.sealSecret(
    label(kid),
    Buffer.from(JSON.stringify(privateJwk), 'utf8'),
  );
  await tx.insert(oidcSigningKeys).values({
    kid,
    alg: SIGNING_ALG,
    publicJwk,
    privateSealed: sealed,
    masterKeyId,
    createdAt: services.clock.now(),
  });
  return kid;
}

/** Loads the published keys, current first; creates the first key of a new deployment. */
export async function loadSigningKeys(services: Services): Promise<SigningKey[]> {
  return inSystem(services.db, async (tx) => {
    const now = services.clock.now();
    const published = () =>
      tx
        .select()
        .from(oidcSigningKeys)
        .where(or(isNull(oidcSigningKeys.retiredAt), gt(oidcSigningKeys.publishUntil, now)))
        .orderBy(desc(oidcSigningKeys.createdAt));
    let rows = await published();
    if (!rows.some((r) => r.retiredAt === null)) {
      // Serialise first-start creation between processes sharing one database.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(72616352)`);
      rows = await published();
      if (!rows.some((r) => r.retiredAt === null)) {
        await insertNewKey(tx, services);
        rows = await published();
      }
    }
    const current = rows.filter((r) => r.retiredAt === null);
    const retired = rows.filter((r) => r.retiredAt !== null);
    return [...current, ...retired].map((r, i) => ({
      kid: r.kid,
      publicJwk: r.publicJwk as JWK,
      privateJwk: JSON.parse(
        services.keyring.openSecret(label(r.kid), r.privateSealed, r.masterKeyId).toString('utf8'),
      ) as JWK,
      isCurrent: i === 0,
    }));
  });
}

/** Makes a new key current and retires the others, which stay published for the grace period. */
export async function rotateSigningKey(
  services: Services,
  actor: Actor = CONSOLE,
): Promise<{ kid: string; retired: string[] }> {
  const auditKeys = await platformAuditKeys(services);
  return inSystem(services.db, async (tx) => {
    const now = services.clock.now();
    const active = await tx.select().from(oidcSigningKeys).where(isNull(oidcSigningKeys.retiredAt));
    const kid = await insertNewKey(tx, services);
    for (const r of active) {
      await tx
        .update(oidcSigningKeys)
        .set({ retiredAt: now, publishUntil: new Date(now.getTime() + RETIRED_KEY_GRACE_MS) })
        .where(and(eq(oidcSigningKeys.kid, r.kid), isNull(oidcSigningKeys.retiredAt)));
    }
    const retired = active.map((r) => r.kid);
    // Recorded on the platform chain in the rotation's own transaction (switches it to that chain last).
    await appendPlatformAudit(tx, auditKeys, {
      action: 'platform.signing_key_rotated',
      actor,
      target: { type: 'signing_key', id: kid },
      data: { retired: retired.length },
      at: now,
    });
    return { kid, retired };
  });
}
