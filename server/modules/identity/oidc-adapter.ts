/**
 * The provider's storage (oidc-provider's adapter contract: upsert, find, findByUid, consume,
 * destroy, revokeByGrantId) in the `oidc_payloads` table, so sessions, grants, codes and refresh
 * tokens survive a restart and are shared by every app node. Payloads name accounts and may hold
 * login hints, so each is sealed under the master key with its model and id bound in.
 * Expiry uses the wall clock, because the provider itself computes every lifetime from Date.now().
 */
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Services } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { inSystem } from '../../db/transactions.ts';
import { oidcPayloads } from './identity.tables.ts';

/** Looks up dynamic clients (API clients) by id; they live in their own table, not here. */
export type ClientLookup = (id: string) => Promise<AdapterPayload | undefined>;

const label = (model: string, id: string) => `oidc/${model}/${id}`;
/** Every this many writes, expired rows are purged (reads already ignore them). */
const PURGE_EVERY = 500;

/** Deletes expired provider rows: sessions, codes and tokens past their lifetime hold no value. */
export async function purgeExpiredPayloads(services: Services): Promise<number> {
  const rows = await inSystem(services.db, (tx) =>
    tx.delete(oidcPayloads).where(lt(oidcPayloads.expiresAt, new Date())).returning({ id: oidcPayloads.id }),
  );
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
