/** SQL for data_exports; every function takes the tenant's transaction and the tenant. */
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { dataExports } from './privacy.tables.ts';

/** The life of an export. */
export type ExportStatus = 'queued' | 'running' | 'ready' | 'failed' | 'expired';

/** An export as the service sees it. */
export interface ExportRecord {
  id: string;
  status: ExportStatus;
  requestedBy: { type: string; id: string | null };
  progress: { done: number; total: number };
  bytes: number | null;
  sha256: string | null;
  errorCode: string | null;
  downloads: number;
  createdAt: Date;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

function toRecord(r: typeof dataExports.$inferSelect): ExportRecord {
  return {
    id: r.id,
    status: r.status as ExportStatus,
    requestedBy: { type: r.requestedByType, id: r.requestedById },
    progress: { done: r.progressDone, total: r.progressTotal },
    bytes: r.bytes,
    sha256: r.sha256,
    errorCode: r.errorCode,
    downloads: r.downloads,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    expiresAt: r.expiresAt,
  };
}

/** Inserts a queued export. */
export async function insertExport(
  tx: Tx,
  tenantId: string,
  input: { id: string; requestedBy: { type: string; id: string | null }; at: Date },
): Promise<ExportRecord> {
  const [row] = await tx
    .insert(dataExports)
    .values({
      tenantId,
      id: input.id,
      status: 'queued',
      requestedByType: input.requestedBy.type,
      requestedById: input.requestedBy.id,
      createdAt: input.at,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return toRecord(row);
}

/** Finds one export of the tenant. */
export async function findExport(tx: Tx, tenantId: string, id: string): Promise<ExportRecord | undefined> {
  const [row] = await tx
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id)));
  return row ? toRecord(row) : undefined;
}

/** Changes an export's state, progress or result. */
export async function updateExport(
  tx: Tx,
  tenantId: string,
  id: string,
  patch: Partial<{
    status: ExportStatus;
    progressDone: number;
    progressTotal: number;
    bytes: number;
    sha256: string;
    errorCode: string | null;
    finishedAt: Date;
    expiresAt: Date;
  }>,
): Promise<void> {
  await tx
    .update(dataExports)
    .set(patch)
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id)));
}

/** Counts one download. */
export async function countDownload(tx: Tx, tenantId: string, id: string): Promise<void> {
  await tx
    .update(dataExports)
    .set({ downloads: sql`${dataExports.downloads} + 1` })
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id)));
}
