/**
 * Coalesced audited reads (ADR 0024). Every audited read appends to its business's chain, whose
 * head stays locked until the commit is durable, so one business's reads queue one by one on that
 * lock. Here the reads of one business that arrive while its batches run (at most PARALLEL at
 * once) wait for the next batch, and a batch runs every waiting read and appends all their events (appendAuditMany)
 * in ONE tenant transaction: each read and its event still share a transaction (invariant 4), the
 * chain is the same as event by event, and the head is locked once per batch instead of per read.
 * If a batch fails, its reads are run again one by one, so one failing read fails only itself.
 * Per process; other processes' batches order themselves on the head lock as before.
 */
import type { Ctx, Services } from '../context.ts';
import type { TenantKeys } from '../crypto/keyring.ts';
import type { Tx } from '../db/client.ts';
import { inTenant } from '../db/transactions.ts';
import { appendAuditMany } from './append-many.ts';
import { type AuditInput, appendAudit } from './audit.repo.ts';

/** What a read returns: its value and the event that records it (`at` is the batch's moment). */
export interface AuditedRead<T> {
  value: T;
  event: Omit<AuditInput, 'at'>;
}

/** A read: runs inside the batch's tenant transaction with the tenant's keys. */
export type Read<T> = (tx: Tx, keys: TenantKeys) => Promise<AuditedRead<T>>;

interface Job {
  read: Read<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Queue {
  /** Batches of this business running now. */
  running: number;
  waiting: Job[];
}

/** Reads per batch at most, so one transaction stays short. */
const MAX_BATCH = 64;
/**
 * Batches of one business at once: while one waits on the database another reads; they meet only
 * on the chain head at their ends.
 */
const PARALLEL = 4;
const queues = new WeakMap<Services, Map<string, Queue>>();

/** Runs `read` in the next batch of `ctx`'s business and resolves with its value once committed. */
export function coalescedRead<T>(ctx: Ctx, read: Read<T>): Promise<T> {
  let byTenant = queues.get(ctx.services);
  if (!byTenant) {
    byTenant = new Map();
    queues.set(ctx.services, byTenant);
  }
  let queue = byTenant.get(ctx.tenantId);
  if (!queue) {
    queue = { running: 0, waiting: [] };
    byTenant.set(ctx.tenantId, queue);
  }
  const q = queue;
  return new Promise<T>((resolve, reject) => {
    q.waiting.push({ read: read as Read<unknown>, resolve: resolve as (v: unknown) => void, reject });
    if (q.running < PARALLEL) void drain(ctx.services, ctx.tenantId, q, byTenant);
  });
}

async function drain(services: Services, tenantId: string, q: Queue, byTenant: Map<string, Queue>) {
  q.running++;
  try {
    while (q.waiting.length > 0) {
      const batch = q.waiting.splice(0, MAX_BATCH);
      try {
        const values = await inTenant(services.db, tenantId, async (tx) => {
          const keys = await services.keyring.forTenant(tx, tenantId);
          const at = services.clock.now();
          const done: AuditedRead<unknown>[] = [];
          for (const job of batch) done.push(await job.read(tx, keys));
          await appendAuditMany(
            tx,
            keys,
            done.map((d) => ({ ...d.event, at })),
          );
          return done.map((d) => d.value);
        });
        for (const [i, job] of batch.entries()) job.resolve(values[i]);
      } catch {
        // One read failed (or the batch did): each read again alone, each its own transaction.
        for (const job of batch) {
          try {
            job.resolve(await alone(services, tenantId, job.read));
          } catch (e) {
            job.reject(e);
          }
        }
      }
    }
  } finally {
    q.running--;
    if (q.running === 0 && q.waiting.length === 0) byTenant.delete(tenantId);
  }
}

async function alone(services: Services, tenantId: string, read: Read<unknown>): Promise<unknown> {
  return inTenant(services.db, tenantId, async (tx) => {
    const keys = await services.keyring.forTenant(tx, tenantId);
    const { value, event } = await read(tx, keys);
    await appendAudit(tx, keys, { ...event, at: services.clock.now() });
    return value;
  });
}
