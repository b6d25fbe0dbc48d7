/**
 * Tenant keys (invariants 2 and 3). Each tenant has a data key, a blind-index key and an audit key,
 * random 32-byte keys stored only wrapped by the master key, with tenant, purpose and key id bound
 * in. Rotating the master key rewraps these few rows and never touches the data; shredding deletes
 * them, after which nothing of that tenant can be decrypted. See docs/adr/0003-…-shredding.md.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../domain/errors.ts';
import type { Tx } from '../db/client.ts';
import { tenantKeys } from '../db/platform.tables.ts';
import { KEY_BYTES, open, seal } from './aead.ts';
import type { DataKeys } from './envelope.ts';
import type { MasterKey } from './master-key.ts';

export type KeyPurpose = 'data' | 'index' | 'audit';
const PURPOSES: readonly KeyPurpose[] = ['data', 'index', 'audit'];

/** A tenant's unwrapped keys, held in memory only. */
export interface TenantKeys {
  readonly tenantId: string;
  readonly data: DataKeys;
  readonly index: Buffer;
  readonly audit: Buffer;
}

/** Unwrapped keys are cached briefly so hot paths skip the unwrap; shredding clears the entry. */
const CACHE_MS = 60_000;

function wrapAad(tenantId: string, purpose: string, keyId: number): Buffer {
  return Buffer.from(`kluis-key/v1\0${tenantId}\0${purpose}\0${keyId}`, 'utf8');
}

function secretAad(label: string): Buffer {
  return Buffer.from(`kluis-secret/v1\0${label}`, 'utf8');
}

/** Wraps and unwraps tenant keys under the master key. */
export class Keyring {
  private master: MasterKey;
  /** Older master keys, readable during a rotation that has not finished; never used to wrap. */
  private previous: MasterKey[];
  private readonly cache = new Map<string, { keys: TenantKeys; until: number }>();

  constructor(master: MasterKey, previous: readonly MasterKey[] = []) {
    this.master = master;
    this.previous = previous.filter((k) => k.id !== master.id);
  }

  private masterById(id: string): MasterKey {
    const key = id === this.master.id ? this.master : this.previous.find((k) => k.id === id);
    if (!key) throw new Error(`a tenant key is wrapped by master key ${id}, which is not loaded`);
    return key;
  }

  /** The id of the master key in use. */
  get masterKeyId(): string {
    return this.master.id;
  }

  /** Creates the keys of a new tenant, inside the transaction that creates the tenant, and returns them. */
  async createTenantKeys(tx: Tx, tenantId: string, now: Date): Promise<TenantKeys> {
    const raw = new Map(PURPOSES.map((p) => [p, randomBytes(KEY_BYTES)]));
    await tx.insert(tenantKeys).values(
      PURPOSES.map((purpose) => ({
        tenantId,
        purpose,
        keyId: 1,
        wrapped: seal(this.master.key, raw.get(purpose)!, wrapAad(tenantId, purpose, 1)),
        masterKeyId: this.master.id,
        createdAt: now,
      })),
    );
    const data = raw.get('data')!;
    return {
      tenantId,
      data: { current: { id: 1, key: data }, byId: (id) => (id === 1 ? data : undefined) },
      index: raw.get('index')!,
      audit: raw.get('audit')!,
    };
  }

  /** Returns the tenant's keys; `tx` must be scoped to that tenant. Throws tenant_keys_destroyed after shredding. */
  async forTenant(tx: Tx, tenantId: string): Promise<TenantKeys> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.keys;
    const rows = await tx.select().from(tenantKeys).where(eq(tenantKeys.tenantId, tenantId));
    if (rows.length === 0) {
      throw new AppError('conflict', 'tenant_keys_destroyed', "This business's keys were destroyed");
    }
    const unwrap = (r: (typeof rows)[number]) =>
      open(this.masterById(r.masterKeyId).key, r.wrapped, wrapAad(tenantId, r.purpose, r.keyId));
    const dataKeys = new Map<number, Buffer>();
    let index: Buffer | undefined;
    let audit: Buffer | undefined;
    for (const r of rows) {
      if (r.purpose === 'data') dataKeys.set(r.keyId, unwrap(r));
      else if (r.purpose === 'index') index = unwrap(r);
      else if (r.purpose === 'audit') audit = unwrap(r);
    }
    const currentId = Math.max(...dataKeys.keys());
    const currentKey = dataKeys.get(currentId);
    if (!currentKey || !index || !audit) throw new Error('tenant key set is incomplete');
    const keys: TenantKeys = {
      tenantId,
      data: { current: { id: currentId, key: currentKey }, byId: (id) => dataKeys.get(id) },
      index,
      audit,
    };
    this.cache.set(tenantId, { keys, until: Date.now() + CACHE_MS });
    return keys;
  }

  /**
   * Rewraps every key of one tenant under `next`; `tx` must be scoped to that tenant. The data
   * itself is untouched: only these rows change.
   */
  async rewrapTenant(tx: Tx, tenantId: string, next: MasterKey): Promise<number> {
    const rows = await tx.select().from(tenantKeys).where(eq(tenantKeys.tenantId, tenantId));
    for (const r of rows) {
      if (r.masterKeyId === next.id) continue;
      const aad = wrapAad(tenantId, r.purpose, r.keyId);
      const raw = open(this.masterById(r.masterKeyId).key, r.wrapped, aad);
      await tx
        .update(tenantKeys)
        .set({ wrapped: seal(next.key, raw, aad), masterKeyId: next.id })
        .where(
          and(
            eq(tenantKeys.tenantId, tenantId),
            eq(tenantKeys.purpose, r.purpose),
            eq(tenantKeys.keyId, r.keyId),
          ),
        );
    }
    this.cache.delete(tenantId);
    return rows.length;
  }

  /** Switches this keyring to a new master key; the old one stays readable until `dropPrevious`. */
  useMaster(next: MasterKey): void {
    if (next.id !== this.master.id)
      this.previous = [this.master, ...this.previous.filter((k) => k.id !== next.id)];
    this.master = next;
    this.cache.clear();
  }

  /** Forgets every older master key (after a finished rotation). */
  dropPrevious(): void {
    this.previous = [];
  }

  /** Crypto-shredding: deletes the tenant's keys; every envelope of the tenant becomes unreadable. */
  async shred(tx: Tx, tenantId: string): Promise<void> {
    await tx.delete(tenantKeys).where(eq(tenantKeys.tenantId, tenantId));
    this.cache.delete(tenantId);
  }

  /**
   * Seals a deployment secret (an OIDC signing key, say) directly under the master key. `label`
   * names the secret and is bound in, so a sealed value cannot be swapped for another. Returns the
   * sealed bytes and the master key id, which the caller stores beside them.
   */
  sealSecret(label: string, secret: Buffer): { sealed: Buffer; masterKeyId: string } {
    return { sealed: seal(this.master.key, secret, secretAad(label)), masterKeyId: this.master.id };
  }

  /** Opens a deployment secret sealed by `sealSecret` under any loaded master key. */
  openSecret(label: string, sealed: Buffer, masterKeyId: string): Buffer {
    return open(this.masterById(masterKeyId).key, sealed, secretAad(label));
  }

  /** Drops a cached key set (after another process may have changed it). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }
}
