/**
 * The provider's storage (oidc-provider's adapter contract: upsert, find, findByUid, consume,
 * destroy, revokeByGrantId) in the `oidc_payloads` table, so sessions, grants, codes and refresh
 * tokens survive a restart and are shared by every app node. Payloads name accounts and may hold
 * login hints, so each is sealed under the master key with its model and id bound in.
 * Expiry uses the wall clock, because the provider itself computes every lifetime from Date.now().
 */
import { and, eq, gt, inArray, isNull, lt, notExists, or } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Services } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { inSystem } from '../../db/transactions.ts';
import { oidcGrantBusinesses, oidcPayloads } from './identity.tables.ts';

/** Looks up dynamic clients (API clients) by id; they live in their own table, not here. */
export type ClientLookup = (id: string) => Promise<AdapterPayload | undefined>;

const label = (model: string, id: string) => `oidc/${model}/${id}`;
/** Every this many writes, expired rows are purged (reads already ignore them). */
const PURGE_EVERY = 500;

/**
 * Deletes expired provider rows: sessions, codes and tokens past their lifetime hold no value;
 * nor does the business binding of a grant that is gone.
 */
export async function purgeExpiredPayloads(services: Services): Promise<number> {
  const rows = await inSystem(services.db, async (tx) => {
    const gone = await tx
      .delete(oidcPayloads)
      .where(lt(oidcPayloads.expiresAt, new Date()))
      .returning({ id: oidcPayloads.id });
    await tx.delete(oidcGrantBusinesses).where(
      notExists(
        tx
          .select({ id: oidcPayloads.id })
          .from(oidcPayloads)
          .where(and(eq(oidcPayloads.model, 'Grant'), eq(oidcPayloads.id, oidcGrantBusinesses.grantId))),
      ),
    );
    return gone;
  });
  return rows.length;
}

/** Builds the adapter class the provider instantiates once per model name. */
export function databaseAdapter(services: Services, findClient: ClientLookup): new (name: string) => Adapter {
  const { db, keyring } = services;
  let writes = 0;
  const live = () => or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, new Date()));
  // Sealed under the current master key only: after a master-key rotation older sessions no
  // longer open and people sign in again, which is the safe side of a rotation.
  const open = (row: typeof oidcPayloads.$inferSelect): AdapterPayload | undefined => {
    let payload: AdapterPayload;
    try {
      const plain = keyring.openSecret(label(row.model, row.id), row.payloadEnc, keyring.masterKeyId);
      payload = JSON.parse(plain.toString('utf8')) as AdapterPayload;
    } catch {
      return undefined;
    }
    if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
    return payload;
  };

  return class DatabaseAdapter implements Adapter {
    readonly name: string;

    constructor(name: string) {
      this.name = name;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const { sealed } = keyring.sealSecret(label(this.name, id), Buffer.from(JSON.stringify(payload)));
      const row = {
        payloadEnc: sealed,
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await inSystem(db, (tx) =>
        tx
          .insert(oidcPayloads)
          .values({ model: this.name, id, ...row })
          .onConflictDoUpdate({ target: [oidcPayloads.model, oidcPayloads.id], set: row }),
      );
      if (++writes % PURGE_EVERY === 0) {
        void purgeExpiredPayloads(services).catch((err: unknown) =>
          services.log.warn({ err }, 'purging expired provider rows failed'),
        );
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.name === 'Client') return findClient(id);
      const [row] = await inSystem(db, (tx) =>
        tx
          .select()
          .from(oidcPayloads)
          .where(and(eq(oidcPayloads.model, this.name), eq(oidcPayloads.id, id), live())),
      );
      return row ? open(row) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const [row] = await inSystem(db, (tx) =>
        tx
          .select()
          .from(oidcPayloads)
          .where(and(eq(oidcPayloads.model, this.name), eq(oidcPayloads.uid, uid), live())),
      );
      return row ? open(row) : undefined;
    }

    async findByUserCode(): Promise<AdapterPayload | undefined> {
      return undefined; // the device flow is not enabled
    }

    async consume(id: string): Promise<void> {
      await inSystem(db, (tx) =>
        tx
          .update(oidcPayloads)
          .set({ consumedAt: new Date() })
          .where(and(eq(oidcPayloads.model, this.name), eq(oidcPayloads.id, id))),
      );
    }

    async destroy(id: string): Promise<void> {
      await inSystem(db, (tx) =>
        tx.delete(oidcPayloads).where(and(eq(oidcPayloads.model, this.name), eq(oidcPayloads.id, id))),
      );
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // Every artefact of the grant, whatever its model: codes, refresh tokens, access tokens.
      await inSystem(db, (tx) => tx.delete(oidcPayloads).where(eq(oidcPayloads.grantId, grantId)));
    }
  };
}

/** True while a grant exists and has not expired (signing out or revocation deletes it). */
export async function grantExists(tx: Tx, grantId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: oidcPayloads.id })
    .from(oidcPayloads)
    .where(
      and(
        eq(oidcPayloads.model, 'Grant'),
        eq(oidcPayloads.id, grantId),
        or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, new Date())),
      ),
    );
  return rows.length > 0;
}

/**
 * Ends every session and grant of one person (after a password reset): their browser sessions,
 * refresh tokens and codes are deleted, and their access tokens stop at the API's grant check.
 * Payloads are sealed, so the person's rows are found by opening the live Session and Grant rows;
 * a reset is rare and the live rows are few. Returns the number of grants revoked.
 */
export async function revokeAccountState(services: Services, accountId: string): Promise<number> {
  const { db, keyring } = services;
  return inSystem(db, async (tx) => {
    const rows = await tx
      .select()
      .from(oidcPayloads)
      .where(
        and(
          inArray(oidcPayloads.model, ['Session', 'Grant']),
          or(isNull(oidcPayloads.expiresAt), gt(oidcPayloads.expiresAt, new Date())),
        ),
      );
    const sessions: string[] = [];
    const grants: string[] = [];
    for (const row of rows) {
      let payload: AdapterPayload;
      try {
        const plain = keyring.openSecret(label(row.model, row.id), row.payloadEnc, keyring.masterKeyId);
        payload = JSON.parse(plain.toString('utf8')) as AdapterPayload;
      } catch {
        continue;
      }
      if (payload.accountId !== accountId) continue;
      (row.model === 'Session' ? sessions : grants).push(row.id);
    }
    if (sessions.length > 0) {
      await tx
        .delete(oidcPayloads)
        .where(and(eq(oidcPayloads.model, 'Session'), inArray(oidcPayloads.id, sessions)));
    }
    if (grants.length > 0) {
      await tx.delete(oidcPayloads).where(inArray(oidcPayloads.grantId, grants));
      await tx
        .delete(oidcPayloads)
        .where(and(eq(oidcPayloads.model, 'Grant'), inArray(oidcPayloads.id, grants)));
      await tx.delete(oidcGrantBusinesses).where(inArray(oidcGrantBusinesses.grantId, grants));
    }
    return grants.length;
  });
}
