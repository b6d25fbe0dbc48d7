/**
 * The audit log for an auditor (issue 6 point 6): a searchable view of the business's own chain,
 * newest first in cursor pages, and the NDJSON export with Kluis's verification result as the
 * last line. Owners and admins see both; an API client with the `audit:read` scope sees the view
 * only, because the export discloses the decrypted client addresses of the business's people.
 */

import type { Writable } from 'node:stream';
import { and, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { AppError, type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { exportAuditLog } from '../../audit/export.ts';
import type { Ctx } from '../../context.ts';
import { auditEvents } from '../../db/platform.tables.ts';
import { inTenant } from '../../db/transactions.ts';

type AuditData = Record<string, string | number | boolean | null>;

/** What the view shows of one event: an allow-list, no hashes, MACs or (encrypted) addresses. */
export interface AuditEventView {
  seq: number;
  id: string;
  occurredAt: Date;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  requestId: string | null;
  data: AuditData;
}

/** The filters of the view, as the query string gives them. */
export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  entityId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

// An action is dotted snake_case words; a trailing dot asks for every action under that prefix.
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$/;
const CURSOR = /^[1-9][0-9]{0,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function isOwnerOrAdmin(ctx: Ctx): boolean {
  return ctx.actor.type === 'user' && (ctx.access?.role === 'owner' || ctx.access?.role === 'admin');
}

function parseDate(value: string | undefined, path: string, issues: FieldIssue[]): Date | undefined {
  if (value === undefined) return undefined;
  const d = DATE.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) {
    issues.push({ path, code: 'date_invalid', message: 'Not an ISO 8601 date or date-time with offset' });
    return undefined;
  }
  return d;
}

/** A page of the business's events, newest first; `nextCursor` is null on the last page. */
export async function listAuditLog(
  ctx: Ctx,
  filter: AuditFilter,
): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const client = ctx.actor.type === 'client' && (ctx.access?.scopes.includes('audit:read') ?? false);
  if (!isOwnerOrAdmin(ctx) && !client) {
    throw new AppError('forbidden', 'insufficient_permission', 'Only owners and admins read the audit log');
  }
  const issues: FieldIssue[] = [];
  if (filter.action !== undefined && !ACTION.test(filter.action)) {
    issues.push({ path: 'action', code: 'action_invalid', message: 'Not an action or an action prefix' });
  }
  if (filter.cursor !== undefined && !CURSOR.test(filter.cursor)) {
    issues.push({ path: 'cursor', code: 'cursor_invalid', message: 'Not a cursor' });
  }
  const from = parseDate(filter.from, 'from', issues);
  const to = parseDate(filter.to, 'to', issues);
  if (from && to && from >= to) {
    issues.push({ path: 'to', code: 'range_invalid', message: '`to` must be after `from`' });
  }
  if (issues.length > 0) throw invalidInput(issues);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);

  const where: (SQL | undefined)[] = [eq(auditEvents.tenantId, ctx.tenantId)];
  if (filter.action?.endsWith('.')) {
    where.push(sql`left(${auditEvents.action}, ${filter.action.length}) = ${filter.action}`);
  } else if (filter.action !== undefined) {
    where.push(eq(auditEvents.action, filter.action));
  }
  if (filter.actor !== undefined) where.push(eq(auditEvents.actorId, filter.actor));
  if (filter.entityId !== undefined) where.push(eq(auditEvents.targetId, filter.entityId));
  if (from) where.push(gte(auditEvents.occurredAt, from));
  if (to) where.push(lt(auditEvents.occurredAt, to));
  if (filter.cursor !== undefined) where.push(lt(auditEvents.seq, Number(filter.cursor)));

  const rows = await inTenant(ctx.services.db, ctx.tenantId, (tx) =>
    tx
      .select({
        seq: auditEvents.seq,
        id: auditEvents.id,
        occurredAt: auditEvents.occurredAt,
        actorType: auditEvents.actorType,
        actorId: auditEvents.actorId,
        action: auditEvents.action,
        targetType: auditEvents.targetType,
        targetId: auditEvents.targetId,
        requestId: auditEvents.requestId,
        data: auditEvents.data,
      })
      .from(auditEvents)
      .where(and(...where))
      .orderBy(desc(auditEvents.seq))
      .limit(limit + 1),
  );
  const items = rows.slice(0, limit).map((r) => ({
    seq: r.seq,
    id: r.id,
    occurredAt: r.occurredAt,
    actor: { type: r.actorType, id: r.actorId },
    action: r.action,
    target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
    requestId: r.requestId,
    data: (r.data ?? {}) as AuditData,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? String(last.seq) : null };
}

/**
 * Checks the caller may export, then streams the chain to `out` (recorded as `audit.exported`
 * before the first line). Owners and admins only: the export holds decrypted client addresses.
 */
export function assertMayExport(ctx: Ctx): void {
  if (!isOwnerOrAdmin(ctx)) {
    throw new AppError('forbidden', 'insufficient_permission', 'Only owners and admins export the audit log');
  }
}

/** Writes the NDJSON export to `out`; the caller has checked `assertMayExport`. */
export async function exportAuditLogFor(ctx: Ctx, out: Writable): Promise<void> {
  assertMayExport(ctx);
  await exportAuditLog(ctx.services, ctx.actor, ctx.tenantId, out, { requestId: ctx.requestId, ip: ctx.ip });
}
