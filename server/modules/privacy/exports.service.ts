/**
 * Exports at any time (Privacy center point 9). An owner or admin asks; a durable job writes the
 * archive (export-archive.ts) as a stream into an encrypted blob, recording its progress; the
 * result is offered behind a signed link that expires with the archive, after which a second job
 * deletes the blob. The link is an HMAC over tenant, export and expiry under a key derived from the
 * business's index key, so it cannot be stretched or moved to another export, and it works only
 * together with an owner's or admin's token (every /api route needs one).
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { AppError, notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import type { AuditAction } from '../../audit/catalogue.ts';
import type { Ctx, Services } from '../../context.ts';
import type { TenantKeys } from '../../crypto/keyring.ts';
import type { Tx } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { enqueueJob } from '../../jobs/jobs.repo.ts';
import type { JobInput, JobRunner } from '../../jobs/scheduler.ts';
import { canManageBusiness } from '../identity/policy.ts';
import { createExportArchive } from './export-archive.ts';
import { countDownload, type ExportRecord, findExport, insertExport, updateExport } from './exports.repo.ts';

/** How long an archive (and its link) lives after it was written. */
export const EXPORT_TTL_MS = 48 * 3_600_000;

export const BUILD_JOB = 'export.build';
export const EXPIRE_JOB = 'export.expire';

/** An export with, once it is ready and not expired, its download link. */
export interface ExportView extends ExportRecord {
  download: { url: string; expiresAt: Date } | null;
}

/** Where the encrypted archive is kept (ids only). */
export function exportBlobKey(id: string): string {
  return `exports/${id}.zip`;
}

function requireManager(ctx: Ctx): void {
  if (!canManageBusiness(ctx)) {
    throw new AppError(
      'forbidden',
      'insufficient_permission',
      "Only owners and admins export the business's data",
    );
  }
}

function linkKey(keys: TenantKeys): Buffer {
  return Buffer.from(hkdfSync('sha256', keys.index, Buffer.alloc(0), 'kluis-export-link/v1', 32));
}

function signature(keys: TenantKeys, id: string, expires: number): string {
  return createHmac('sha256', linkKey(keys)).update(`${keys.tenantId}\0${id}\0${expires}`).digest('hex');
}

function withLink(keys: TenantKeys, e: ExportRecord, now: Date): ExportView {
  if (e.status !== 'ready' || !e.expiresAt || e.expiresAt <= now) return { ...e, download: null };
  const expires = Math.floor(e.expiresAt.getTime() / 1000);
  const url = `/api/v1/exports/${e.id}/download?expires=${expires}&sig=${signature(keys, e.id, expires)}`;
  return { ...e, download: { url, expiresAt: e.expiresAt } };
}

async function record(ctx: Ctx, tx: Tx, keys: TenantKeys, action: AuditAction, id: string, data = {}) {
  await appendAudit(tx, keys, {
    action,
    actor: ctx.actor,
    target: { type: 'export', id },
    requestId: ctx.requestId,
    ip: ctx.ip,
    data,
    at: ctx.services.clock.now(),
  });
}

/** Starts an export of all of the business's data; the archive is written by a durable job. */
export async function requestExport(ctx: Ctx): Promise<ExportView> {
  requireManager(ctx);
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, ctx.tenantId);
    const at = clock.now();
    const created = await insertExport(tx, ctx.tenantId, { id: newId(at), requestedBy: ctx.actor, at });
    await enqueueJob(tx, {
      kind: BUILD_JOB,
      key: `${BUILD_JOB}:${created.id}`,
      payload: { tenantId: ctx.tenantId, exportId: created.id },
      runAt: at,
      maxAttempts: 3,
      now: at,
    });
    await record(ctx, tx, keys, 'export.requested', created.id);
    return withLink(keys, created, at);
  });
}

/** One export with its progress and, when ready, its link; another business's export is 404. */
export async function getExport(ctx: Ctx, id: string): Promise<ExportView> {
  requireManager(ctx);
  const { db, keyring, clock } = ctx.services;
  return inTenant(db, ctx.tenantId, async (tx) => {
    const found = isUuid(id) ? await findExport(tx, ctx.tenantId, id) : undefined;
    if (!found) throw notFound('export');
    return withLink(await keyring.forTenant(tx, ctx.tenantId), found, clock.now());
  });
}

/**
 * Opens the archive for download after checking the link's signature and expiry; records the
 * download in the audit log before the first byte leaves.
 */
export async function downloadExport(
  ctx: Ctx,
  id: string,
  link: { expires: number; sig: string },
): Promise<{ stream: Readable; bytes: number | null }> {
  requireManager(ctx);
  const { db, keyring, clock, blobs } = ctx.services;
  const keys = await inTenant(db, ctx.tenantId, async (tx) => {
    const found = isUuid(id) ? await findExport(tx, ctx.tenantId, id) : undefined;
    if (!found) throw notFound('export');
    const k = await keyring.forTenant(tx, ctx.tenantId);
    const expected = Buffer.from(signature(k, id, link.expires), 'hex');
    const given = Buffer.from(/^[0-9a-f]{64}$/.test(link.sig) ? link.sig : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('forbidden', 'export_link_invalid', 'This download link is not valid');
    }
    const now = clock.now();
    if (
      found.status === 'expired' ||
      link.expires * 1000 <= now.getTime() ||
      !found.expiresAt ||
      found.expiresAt <= now
    ) {
      throw new AppError(
        'forbidden',
        'export_link_expired',
        'This download link has expired; request a new export',
      );
    }
    if (found.status !== 'ready')
      throw new AppError('conflict', 'export_not_ready', 'The export is not ready yet');
    await countDownload(tx, ctx.tenantId, id);
    await record(ctx, tx, k, 'export.downloaded', id);
    return k;
  });
  return { stream: blobs.stream(keys, exportBlobKey(id)), bytes: null };
}

/** Counts bytes and hashes what passes through. */
function measure(): Transform & { result(): { bytes: number; sha256: string } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(t, { result: () => ({ bytes, sha256: hash.digest('hex') }) });
}

/** The job that writes the archive into its encrypted blob. Idempotent: a re-run writes it again. */
export async function buildExportJob(job: JobInput, services: Services): Promise<void> {
  const tenantId = String(job.payload.tenantId);
  const id = String(job.payload.exportId);
  const { db, keyring, clock, blobs } = services;
  const keys = await inTenant(db, tenantId, async (tx) => {
    const found = await findExport(tx, tenantId, id);
    if (!found || found.status === 'ready' || found.status === 'expired') return undefined;
    await updateExport(tx, tenantId, id, { status: 'running', errorCode: null });
    return keyring.forTenant(tx, tenantId);
  });
  if (!keys) return;
  try {
    const archive = await createExportArchive(services, tenantId, (done, total) =>
      inTenant(db, tenantId, (tx) =>
        updateExport(tx, tenantId, id, { progressDone: done, progressTotal: total }),
      ),
    );
    const meter = measure();
    const sink = new PassThrough();
    archive.on('error', (err) => sink.destroy(err));
    archive.pipe(meter).pipe(sink);
    meter.on('error', (err) => sink.destroy(err));
    await blobs.put(keys, exportBlobKey(id), sink);
    const { bytes, sha256 } = meter.result();
    const at = clock.now();
    const expiresAt = new Date(at.getTime() + EXPORT_TTL_MS);
    await inTenant(db, tenantId, async (tx) => {
      await updateExport(tx, tenantId, id, { status: 'ready', bytes, sha256, finishedAt: at, expiresAt });
      await enqueueJob(tx, {
        kind: EXPIRE_JOB,
        key: `${EXPIRE_JOB}:${id}`,
        payload: { tenantId, exportId: id },
        runAt: expiresAt,
        now: at,
      });
    });
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'export_failed';
    await inTenant(db, tenantId, (tx) =>
      updateExport(tx, tenantId, id, { status: 'failed', errorCode: code }),
    );
    throw err;
  }
}

/** The job that deletes an expired archive. Idempotent. */
export async function expireExportJob(job: JobInput, services: Services): Promise<void> {
  const tenantId = String(job.payload.tenantId);
  const id = String(job.payload.exportId);
  const { db, keyring, clock, blobs } = services;
  await blobs.delete(tenantId, exportBlobKey(id));
  await inTenant(db, tenantId, async (tx) => {
    const found = await findExport(tx, tenantId, id);
    if (!found || found.status === 'expired') return;
    await updateExport(tx, tenantId, id, { status: 'expired' });
    const keys = await keyring.forTenant(tx, tenantId);
    await appendAudit(tx, keys, {
      action: 'export.expired',
      actor: { type: 'system', id: null },
      target: { type: 'export', id },
      at: clock.now(),
    });
  });
}

/** Registers the export jobs on a runner (the server's, or a test's). */
export function registerExportJobs(runner: JobRunner): JobRunner {
  return runner.register(BUILD_JOB, buildExportJob).register(EXPIRE_JOB, expireExportJob);
}
