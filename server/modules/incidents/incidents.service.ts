/**
 * Incidents for the operator's staff (Privacy center point 11): record an incident, scope it from
 * the data (which businesses, how many people and records), notify each affected business's
 * data-protection contact with the AP form's content within 48 hours of discovery, append updates
 * and send them to the same contacts, and close it only when every affected business has its
 * notice. The 48-hour clock is computed on read from the injected clock (escalations at 24 and 36
 * hours, overdue after 48), so nothing has to run for it to be right.
 */
import { AppError, type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { type Actor, type Services, SYSTEM } from '../../context.ts';
import { inSystem, inTenant } from '../../db/transactions.ts';
import { isUuid, newId } from '../../ids.ts';
import { DATA_CATALOGUE } from '../catalogue.ts';
import { listBusinessMembers } from '../identity/members.service.ts';
import { appendPlatformAudit, platformAuditKeys } from '../identity/platform-audit.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { findNoticeRecipient } from '../legal/contact.service.ts';
import { insertBusinessNotice } from '../notices/notices.repo.ts';
import { listTenants } from '../tenants/tenants.service.ts';
import { scheduleEscalations } from './escalations.ts';
import {
  appendUpdate,
  countBusinessData,
  findIncident,
  type IncidentRow,
  insertIncident,
  insertNotice,
  listIncidentRows,
  listScope,
  listUpdates,
  lockIncident,
  lockScope,
  markIncidentClosed,
  markScopeNotified,
  markUpdatesSent,
  type ScopeRow,
  type UpdateRow,
  upsertScope,
} from './incidents.repo.ts';
import { ENCRYPTION, type Encryption, type NoticeContent, noticeMail, updateMail } from './notice.ts';

const HOUR = 3_600_000;
/** The processor's deadline: every affected business is told within 48 hours of discovery. */
export const NOTICE_DEADLINE_MS = 48 * HOUR;
/** Escalation markers on the way to the deadline. */
export const ESCALATIONS_MS = [24 * HOUR, 36 * HOUR] as const;

/** Where a business's notice stands on the clock. */
export type NoticeState = 'notified' | 'pending' | 'escalated_24h' | 'escalated_36h' | 'overdue';

/** What the operator records. */
export interface IncidentInput {
  discoveredAt: Date;
  startedAt?: Date | null;
  endedAt?: Date | null;
  nature: string;
  systems: string[];
  dataCategories: string[];
  description: string;
  consequences: string;
  measures: string;
  encryption: string;
  contact: string;
}

/** One affected business on the clock. */
export interface ScopeView {
  businessId: string;
  people: number;
  records: number;
  notifiedAt: Date | null;
  updatesSent: number;
  deadline: Date;
  state: NoticeState;
  /** True when it was notified after the deadline. */
  late: boolean;
}

/** An incident as the operator sees it. */
export interface IncidentView {
  id: string;
  status: 'open' | 'closed';
  discoveredAt: Date;
  recordedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  nature: string;
  systems: string[];
  dataCategories: string[];
  description: string;
  consequences: string;
  measures: string;
  encryption: Encryption;
  contact: string;
  closedAt: Date | null;
  deadline: Date;
  /** The worst state of the businesses not yet notified (notified when none is left). */
  state: NoticeState;
  scope: ScopeView[];
  updates: { seq: number; at: Date; text: string }[];
}

/** The categories the data catalogue knows (an incident names only these). */
export function knownCategories(): Set<string> {
  const set = new Set<string>();
  for (const table of Object.values(DATA_CATALOGUE)) {
    for (const field of Object.values(table)) if (field.personal) set.add(field.category);
  }
  return set;
}

function notFound(): AppError {
  return new AppError('not_found', 'incident_not_found', 'No such incident');
}

function closed(): AppError {
  return new AppError('conflict', 'incident_closed', 'The incident is closed');
}

/** Where one business stands: notified, or how far along the 48-hour clock it is. */
export function noticeState(discoveredAt: Date, notifiedAt: Date | null, now: Date): NoticeState {
  if (notifiedAt) return 'notified';
  const elapsed = now.getTime() - discoveredAt.getTime();
  if (elapsed >= NOTICE_DEADLINE_MS) return 'overdue';
  if (elapsed >= ESCALATIONS_MS[1]) return 'escalated_36h';
  if (elapsed >= ESCALATIONS_MS[0]) return 'escalated_24h';
  return 'pending';
}

const SEVERITY: NoticeState[] = ['notified', 'pending', 'escalated_24h', 'escalated_36h', 'overdue'];

function present(row: IncidentRow, scope: ScopeRow[], updates: UpdateRow[], now: Date): IncidentView {
  const deadline = new Date(row.discoveredAt.getTime() + NOTICE_DEADLINE_MS);
  const scopeViews = scope.map((s) => ({
    businessId: s.businessId,
    people: s.people,
    records: s.records,
    notifiedAt: s.notifiedAt,
    updatesSent: s.updatesSent,
    deadline,
    state: noticeState(row.discoveredAt, s.notifiedAt, now),
    late: s.notifiedAt !== null && s.notifiedAt.getTime() > deadline.getTime(),
  }));
  // Before scoping, the clock runs against the incident itself.
  const states =
    scope.length > 0 ? scopeViews.map((s) => s.state) : [noticeState(row.discoveredAt, null, now)];
  const state = states.reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), 'notified');
  return {
    id: row.id,
    status: row.status === 'closed' ? 'closed' : 'open',
    discoveredAt: row.discoveredAt,
    recordedAt: row.recordedAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    nature: row.nature,
    systems: row.systems,
    dataCategories: row.dataCategories,
    description: row.description,
    consequences: row.consequences,
    measures: row.measures,
    encryption: (ENCRYPTION as readonly string[]).includes(row.encryption)
      ? (row.encryption as Encryption)
      : 'unknown',
    contact: row.contact,
    closedAt: row.closedAt,
    deadline,
    state: row.status === 'closed' ? 'notified' : state,
    scope: scopeViews,
    updates: updates.map((u) => ({ seq: u.seq, at: u.at, text: u.text })),
  };
}

function checkText(issues: FieldIssue[], path: string, value: string, max = 4000): string {
  const v = value.trim();
  if (v.length < 1 || v.length > max) {
    issues.push({ path, code: 'text_length', message: `1 to ${max} characters` });
  }
  return v;
}

function checkInput(input: IncidentInput, now: Date): IncidentInput {
  const issues: FieldIssue[] = [];
  const known = knownCategories();
  if (Number.isNaN(input.discoveredAt.getTime()) || input.discoveredAt.getTime() > now.getTime()) {
    issues.push({ path: 'discoveredAt', code: 'date_invalid', message: 'A moment not in the future' });
  }
  for (const [path, d] of [
    ['startedAt', input.startedAt],
    ['endedAt', input.endedAt],
  ] as const) {
    if (d && Number.isNaN(d.getTime()))
      issues.push({ path, code: 'date_invalid', message: 'A date and time' });
  }
  for (const c of input.dataCategories) {
    if (!known.has(c)) {
      issues.push({
        path: 'dataCategories',
        code: 'category_unknown',
        message: `Not a category of the data catalogue: ${[...known].join(', ')}`,
      });
    }
  }
  const systems = input.systems.map((s) => s.trim()).filter((s) => s.length > 0);
  if (systems.length === 0)
    issues.push({ path: 'systems', code: 'required', message: 'At least one system' });
  if (!(ENCRYPTION as readonly string[]).includes(input.encryption)) {
    issues.push({ path: 'encryption', code: 'encryption_invalid', message: ENCRYPTION.join(', ') });
  }
  const out: IncidentInput = {
    discoveredAt: input.discoveredAt,
    startedAt: input.startedAt ?? null,
    endedAt: input.endedAt ?? null,
    nature: checkText(issues, 'nature', input.nature),
    systems,
    dataCategories: [...new Set(input.dataCategories)],
    description: checkText(issues, 'description', input.description),
    consequences: checkText(issues, 'consequences', input.consequences),
    measures: checkText(issues, 'measures', input.measures),
    encryption: input.encryption,
    contact: checkText(issues, 'contact', input.contact, 300),
  };
  if (issues.length > 0) throw invalidInput(issues);
  return out;
}

async function load(services: Services, id: string): Promise<IncidentView> {
  if (!isUuid(id)) throw notFound();
  return inSystem(services.db, async (tx) => {
    const row = await findIncident(tx, id);
    if (!row) throw notFound();
    return present(row, await listScope(tx, id), await listUpdates(tx, id), services.clock.now());
  });
}

/** Records an incident; audited on the platform chain as `platform.incident_recorded`. */
export async function createIncident(
  services: Services,
  actor: Actor,
  input: IncidentInput,
): Promise<IncidentView> {
  const at = services.clock.now();
  const v = checkInput(input, at);
  const id = newId(at);
  const keys = await platformAuditKeys(services);
  await inSystem(services.db, async (tx) => {
    await insertIncident(tx, {
      id,
      discoveredAt: v.discoveredAt,
      recordedAt: at,
      startedAt: v.startedAt ?? null,
      endedAt: v.endedAt ?? null,
      nature: v.nature,
      systems: v.systems,
      dataCategories: v.dataCategories,
      description: v.description,
      consequences: v.consequences,
      measures: v.measures,
      encryption: v.encryption,
      contact: v.contact,
    });
    // The clock is pushed, not only read: alerts at 24 h, 36 h and 48 h while notices are unsent.
    await scheduleEscalations(tx, id, v.discoveredAt, at);
    await appendPlatformAudit(tx, keys, {
      action: 'platform.incident_recorded',
      actor,
      target: { type: 'incident', id },
      data: { categories: v.dataCategories.join(','), encryption: v.encryption },
      at,
    });
  });
  return load(services, id);
}

/**
 * Scopes an incident: the businesses chosen (or every active one), each with its counts taken from
 * its own data in its own transaction. Scoping again adds businesses and refreshes the counts of
 * those not yet notified.
 */
export async function scopeIncident(
  services: Services,
  actor: Actor,
  id: string,
  input: { businesses: string[] | 'all' },
): Promise<IncidentView> {
  const current = await load(services, id);
  if (current.status === 'closed') throw closed();
  const active = (await listTenants(services)).filter((t) => t.status === 'active').map((t) => t.id);
  const chosen = input.businesses === 'all' ? active : [...new Set(input.businesses)];
  if (chosen.length === 0) {
    throw invalidInput([{ path: 'businesses', code: 'required', message: 'At least one business, or all' }]);
  }
  for (const b of chosen) {
    if (!active.includes(b)) throw new AppError('not_found', 'business_not_found', `No active business ${b}`);
  }
  const at = services.clock.now();
  const counts = new Map<string, { people: number; records: number }>();
  for (const b of chosen) counts.set(b, await inTenant(services.db, b, (tx) => countBusinessData(tx, b)));
  const keys = await platformAuditKeys(services);
  await inSystem(services.db, async (tx) => {
    if ((await lockIncident(tx, id))?.status !== 'open') throw closed();
    for (const [businessId, c] of counts) await upsertScope(tx, { incidentId: id, businessId, ...c, at });
    await appendPlatformAudit(tx, keys, {
      action: 'platform.incident_scoped',
      actor,
      target: { type: 'incident', id },
      data: { businesses: counts.size, all: input.businesses === 'all' },
      at,
    });
  });
  return load(services, id);
}

function contentFor(incident: IncidentView, scope: ScopeView, at: Date): NoticeContent {
  return {
    incidentId: incident.id,
    contact: incident.contact,
    description: incident.description,
    nature: incident.nature,
    timeline: {
      startedAt: incident.startedAt?.toISOString() ?? null,
      endedAt: incident.endedAt?.toISOString() ?? null,
      discoveredAt: incident.discoveredAt.toISOString(),
      notifiedAt: at.toISOString(),
    },
    people: scope.people,
    records: scope.records,
    dataCategories: incident.dataCategories,
    systems: incident.systems,
    consequences: incident.consequences,
    measures: incident.measures,
    encryption: incident.encryption,
    updates: incident.updates.map((u) => ({ seq: u.seq, at: u.at.toISOString(), text: u.text })),
  };
}

/** The outcome of notifying. */
export interface NotifyResult {
  notified: string[];
  /** Businesses without a data-protection contact whose owners were mailed instead. */
  toOwners: string[];
  /** Businesses with neither a contact nor an owner with an address: they stay on the clock. */
  withoutContact: string[];
}

/**
 * Who receives a business's notices: its data-protection contact (the default recipient of every
 * privacy notice); without one, its owners, since a notice must reach the controller in time.
 */
async function recipientsOf(
  services: Services,
  businessId: string,
): Promise<{ to: string[]; via: 'contact' | 'owners' }> {
  const contact = await findNoticeRecipient(services, businessId);
  if (contact) return { to: [contact.email], via: 'contact' };
  const members = await listBusinessMembers(createIdentityRuntime(services), {
    tenantId: businessId,
    actor: SYSTEM,
    requestId: null,
    ip: null,
    services,
  });
  const owners = members.filter((m) => m.role === 'owner' && m.email).map((m) => m.email as string);
  return { to: owners, via: 'owners' };
}

/**
 * Sends the notice to every business in scope that has not had it. The mail goes first; its
 * record (the business's copy, `notified_at`, the tenant's `incident.notified` event and the
 * platform event) is written after in one transaction, so a failed mail leaves the business
 * unnotified and a retry sends it (at least once, never silently dropped).
 */
export async function notifyIncident(
  services: Services,
  actor: Actor,
  id: string,
  operatorName: string,
): Promise<NotifyResult> {
  const incident = await load(services, id);
  if (incident.status === 'closed') throw closed();
  const result: NotifyResult = { notified: [], toOwners: [], withoutContact: [] };
  const platformKeys = await platformAuditKeys(services);
  for (const scope of incident.scope) {
    if (scope.notifiedAt) continue;
    const recipients = await recipientsOf(services, scope.businessId);
    if (recipients.to.length === 0) {
      result.withoutContact.push(scope.businessId);
      continue;
    }
    const at = services.clock.now();
    const content = contentFor(incident, scope, at);
    const sent = await inTenant(services.db, scope.businessId, async (tx) => {
      // Another operator may have notified it meanwhile: the lock makes that one notice, not two.
      if ((await lockScope(tx, id, scope.businessId))?.notifiedAt) return false;
      const keys = await services.keyring.forTenant(tx, scope.businessId);
      await services.mailer.send(keys, {
        to: recipients.to,
        ...noticeMail(content, operatorName, recipients.via),
      });
      await insertNotice(tx, scope.businessId, {
        incidentId: id,
        kind: 'notice',
        seq: 0,
        sentAt: at,
        content,
      });
      await insertBusinessNotice(tx, scope.businessId, { kind: 'breach_notice', subjectId: id, at });
      await markScopeNotified(tx, id, scope.businessId, at, incident.updates.length);
      await appendAudit(tx, keys, {
        action: 'incident.notified',
        actor,
        target: { type: 'incident', id },
        data: { kind: 'notice', seq: 0, people: scope.people, records: scope.records, via: recipients.via },
        at,
      });
      await appendPlatformAudit(tx, platformKeys, {
        action: 'platform.incident_notified',
        actor,
        target: { type: 'incident', id },
        data: { business: scope.businessId, late: at.getTime() > incident.deadline.getTime() },
        at,
      });
      return true;
    });
    if (sent) result.notified.push(scope.businessId);
    if (sent && recipients.via === 'owners') result.toOwners.push(scope.businessId);
  }
  return result;
}

/**
 * Appends an update (never edits the incident) and sends it to every business already notified;
 * businesses notified later receive it inside their notice.
 */
export async function addIncidentUpdate(
  services: Services,
  actor: Actor,
  id: string,
  text: string,
  operatorName: string,
): Promise<{ seq: number; sentTo: string[] }> {
  const issues: FieldIssue[] = [];
  const body = checkText(issues, 'text', text);
  if (issues.length > 0) throw invalidInput(issues);
  if (!isUuid(id)) throw notFound();
  const at = services.clock.now();
  const platformKeys = await platformAuditKeys(services);
  const update = await inSystem(services.db, async (tx) => {
    const row = await lockIncident(tx, id);
    if (!row) throw notFound();
    if (row.status !== 'open') throw closed();
    const u = await appendUpdate(tx, id, body, at);
    await appendPlatformAudit(tx, platformKeys, {
      action: 'platform.incident_updated',
      actor,
      target: { type: 'incident', id },
      data: { seq: u.seq },
      at,
    });
    return u;
  });
  const incident = await load(services, id);
  const sentTo: string[] = [];
  for (const scope of incident.scope) {
    if (!scope.notifiedAt || scope.updatesSent >= update.seq) continue;
    const recipients = await recipientsOf(services, scope.businessId);
    if (recipients.to.length === 0) continue;
    const u = { seq: update.seq, at: update.at.toISOString(), text: update.text };
    const sent = await inTenant(services.db, scope.businessId, async (tx) => {
      if (((await lockScope(tx, id, scope.businessId))?.updatesSent ?? update.seq) >= update.seq)
        return false;
      const keys = await services.keyring.forTenant(tx, scope.businessId);
      await services.mailer.send(keys, {
        to: recipients.to,
        ...updateMail(id, u, operatorName, incident.contact, recipients.via),
      });
      await insertNotice(tx, scope.businessId, {
        incidentId: id,
        kind: 'update',
        seq: update.seq,
        sentAt: services.clock.now(),
        content: u,
      });
      await markUpdatesSent(tx, id, scope.businessId, update.seq);
      await appendAudit(tx, keys, {
        action: 'incident.notified',
        actor,
        target: { type: 'incident', id },
        data: { kind: 'update', seq: update.seq },
        at: services.clock.now(),
      });
      return true;
    });
    if (sent) sentTo.push(scope.businessId);
  }
  return { seq: update.seq, sentTo };
}

/**
 * Closes an incident. One that touches business data (it names data categories, or has a scope)
 * cannot close before it is scoped and every business in scope was notified: 409
 * `incident_notices_missing` (or `incident_not_scoped`).
 */
export async function closeIncident(services: Services, actor: Actor, id: string): Promise<IncidentView> {
  if (!isUuid(id)) throw notFound();
  const at = services.clock.now();
  const keys = await platformAuditKeys(services);
  await inSystem(services.db, async (tx) => {
    const row = await lockIncident(tx, id);
    if (!row) throw notFound();
    if (row.status !== 'open') throw closed();
    const scope = await listScope(tx, id);
    if (scope.length === 0 && row.dataCategories.length > 0) {
      throw new AppError(
        'conflict',
        'incident_not_scoped',
        'The incident touches business data: scope it and notify the businesses first',
      );
    }
    const missing = scope.filter((s) => s.notifiedAt === null).length;
    if (missing > 0) {
      throw new AppError(
        'conflict',
        'incident_notices_missing',
        `${missing} affected business(es) have not been notified`,
      );
    }
    await markIncidentClosed(tx, id, at);
    await appendPlatformAudit(tx, keys, {
      action: 'platform.incident_closed',
      actor,
      target: { type: 'incident', id },
      data: { businesses: scope.length },
      at,
    });
  });
  return load(services, id);
}

/** One incident with its scope, clock and updates. */
export async function getIncident(services: Services, id: string): Promise<IncidentView> {
  return load(services, id);
}

/** Every incident (or the open ones), newest discovery first. */
export async function listIncidents(
  services: Services,
  options: { openOnly?: boolean } = {},
): Promise<IncidentView[]> {
  const now = services.clock.now();
  return inSystem(services.db, async (tx) => {
    const rows = await listIncidentRows(tx, options.openOnly ?? false);
    const out: IncidentView[] = [];
    for (const row of rows)
      out.push(present(row, await listScope(tx, row.id), await listUpdates(tx, row.id), now));
    return out;
  });
}

/** A notice past its 48-hour deadline and still not sent. */
export interface OverdueNotice {
  incidentId: string;
  businessId: string;
  deadline: Date;
  hoursOverdue: number;
}

/** Every business in the scope of an open incident that was not notified within 48 hours. */
export async function listOverdueNotices(services: Services): Promise<OverdueNotice[]> {
  const now = services.clock.now();
  const out: OverdueNotice[] = [];
  for (const incident of await listIncidents(services, { openOnly: true })) {
    for (const s of incident.scope) {
      if (s.state !== 'overdue') continue;
      out.push({
        incidentId: incident.id,
        businessId: s.businessId,
        deadline: s.deadline,
        hoursOverdue: Math.floor((now.getTime() - s.deadline.getTime()) / HOUR),
      });
    }
  }
  return out;
}
