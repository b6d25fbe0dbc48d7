/**
 * The operator's export of one business to a file (`kluis export --tenant ID --out FILE.zip`): the
 * same archive as the API's, streamed to `FILE.partial` and renamed when complete. Recorded in the
 * business's audit log as an export requested by the system, so the business sees it.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { type Services, SYSTEM } from '../../context.ts';
import { inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { createExportArchive, type ProgressFn } from './export-archive.ts';

/** Writes the archive of `tenantId` to `file`; returns its size. */
export async function exportToFile(
  services: Services,
  tenantId: string,
  file: string,
  progress?: ProgressFn,
): Promise<{ tenantId: string; file: string; bytes: number }> {
  if (!isUuid(tenantId)) throw notFound('tenant');
  const { db, keyring, clock } = services;
  await inTenant(db, tenantId, async (tx) => {
    const keys = await keyring.forTenant(tx, tenantId);
    const at = clock.now();
    await appendAudit(tx, keys, {
      action: 'export.requested',
      actor: SYSTEM,
      target: { type: 'export', id: newId(at) },
      data: { via: 'cli' },
      at,
    });
  });
  const partial = `${file}.partial`;
  let bytes = 0;
  try {
    const archive = await createExportArchive(services, tenantId, progress);
    archive.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    await pipeline(archive, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { tenantId, file, bytes };
}
