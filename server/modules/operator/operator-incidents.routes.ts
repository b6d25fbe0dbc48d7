/**
 * Incidents in the operator API (Privacy center point 11, ADR 0058): the list with each
 * incident's 48-hour clock and the overdue notices, recording, scoping, notifying, appending
 * updates and closing. Thin: every rule (the clock, the notice content, "no closing before every
 * notice is sent") is incidents.service.ts's, called with the operator as actor, so the platform
 * chain names the person, not just "the console".
 */
import { Type } from 'typebox';
import { type FieldIssue, invalidInput } from '../../../domain/errors.ts';
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import {
  addIncidentUpdate,
  closeIncident,
  createIncident,
  getIncident,
  type IncidentView,
  listIncidents,
  listOverdueNotices,
  notifyIncident,
  scopeIncident,
} from '../incidents/incidents.service.ts';
import type { LegalSettings } from '../legal/legal.settings.ts';
import { operatorActor } from './operator.routes.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
const STATE = 'notified, pending, escalated_24h, escalated_36h or overdue';

const ScopeOut = Type.Object({
  businessId: Type.String(),
  people: Type.Integer(),
  records: Type.Integer(),
  notifiedAt: Nullable(Type.String()),
  updatesSent: Type.Integer(),
  deadline: Type.String(),
  state: Type.String({ description: STATE }),
  late: Type.Boolean(),
});
const IncidentOut = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'open or closed' }),
  discoveredAt: Type.String(),
  recordedAt: Type.String(),
  startedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  nature: Type.String(),
  systems: Type.Array(Type.String()),
  dataCategories: Type.Array(Type.String()),
  description: Type.String(),
  consequences: Type.String(),
  measures: Type.String(),
  encryption: Type.String(),
  contact: Type.String(),
  closedAt: Nullable(Type.String()),
  deadline: Type.String({ description: '48 hours after discovery' }),
  state: Type.String({ description: `The worst state of the businesses not yet notified: ${STATE}` }),
  msLeft: Type.Integer({ description: 'Milliseconds to the deadline by the server clock (negative: past)' }),
  scope: Type.Array(ScopeOut),
  updates: Type.Array(Type.Object({ seq: Type.Integer(), at: Type.String(), text: Type.String() })),
});
const OverdueOut = Type.Object({
  incidentId: Type.String(),
  businessId: Type.String(),
  deadline: Type.String(),
  hoursOverdue: Type.Integer(),
});

const Text = (max: number) => Type.String({ maxLength: max });
const IncidentIn = Type.Object(
  {
    discoveredAt: Type.String({ maxLength: 40 }),
    startedAt: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    endedAt: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    nature: Text(100),
    systems: Type.Array(Text(200), { maxItems: 50 }),
    dataCategories: Type.Array(Text(64), { maxItems: 50 }),
    description: Text(5000),
    consequences: Text(5000),
    measures: Text(5000),
    encryption: Text(40),
    contact: Text(500),
  },
  { additionalProperties: false },
);
const ScopeIn = Type.Object(
  {
    businesses: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10_000 })),
    all: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateIn = Type.Object({ text: Text(5000) }, { additionalProperties: false });

const iso = (d: Date | null) => d?.toISOString() ?? null;

function present(i: IncidentView, now: Date) {
  return {
    ...i,
    discoveredAt: i.discoveredAt.toISOString(),
    recordedAt: i.recordedAt.toISOString(),
    startedAt: iso(i.startedAt),
    endedAt: iso(i.endedAt),
    closedAt: iso(i.closedAt),
    deadline: i.deadline.toISOString(),
    msLeft: i.deadline.getTime() - now.getTime(),
    scope: i.scope.map((s) => ({ ...s, notifiedAt: iso(s.notifiedAt), deadline: s.deadline.toISOString() })),
    updates: i.updates.map((u) => ({ ...u, at: u.at.toISOString() })),
  };
}

/** Parses an ISO timestamp of the body, or records an issue. */
function instant(issues: FieldIssue[], path: string, value: string | null | undefined): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) {
    issues.push({ path, code: 'date_invalid', message: 'An ISO 8601 date and time' });
    return null;
  }
  return d;
}

/** Registers the incident routes of the operator API. */
export function operatorIncidentsRoutes(app: App, services: Services, settings: LegalSettings): void {
  const now = () => services.clock.now();
  const operatorName = settings.operator.name;

  app.get(
    '/api/operator/v1/incidents',
    {
      schema: {
        summary: 'Incidents with their 48-hour clocks, newest discovery first, and the overdue notices',
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            serverTime: Type.String(),
            items: Type.Array(IncidentOut),
            overdue: Type.Array(OverdueOut),
          }),
        },
      },
    },
    async (request, reply) => {
      operatorActor(request);
      const at = now();
      const items = await listIncidents(services, { openOnly: request.query.open === true });
      const overdue = await listOverdueNotices(services);
      reply.header('cache-control', 'no-store');
      return {
        serverTime: at.toISOString(),
        items: items.map((i) => present(i, at)),
        overdue: overdue.map((o) => ({ ...o, deadline: o.deadline.toISOString() })),
      };
    },
  );

  app.post(
    '/api/operator/v1/incidents',
    {
      schema: {
        summary: 'Record an incident (its 48-hour clock starts at discovery)',
        body: IncidentIn,
        response: { 201: IncidentOut },
      },
    },
    async (request, reply) => {
      const actor = operatorActor(request);
      const b = request.body;
      const issues: FieldIssue[] = [];
      const discoveredAt = instant(issues, 'discoveredAt', b.discoveredAt);
      const startedAt = instant(issues, 'startedAt', b.startedAt);
      const endedAt = instant(issues, 'endedAt', b.endedAt);
      if (!discoveredAt && issues.length === 0) {
        issues.push({ path: 'discoveredAt', code: 'required', message: 'When the incident was discovered' });
      }
      if (issues.length > 0 || !discoveredAt) throw invalidInput(issues);
      const created = await createIncident(services, actor, { ...b, discoveredAt, startedAt, endedAt });
      return reply.status(201).send(present(created, now()));
    },
  );

  app.get(
    '/api/operator/v1/incidents/:id',
    {
      schema: {
        summary: 'One incident with its scope, clock and updates',
        params: IdParams,
        response: { 200: IncidentOut },
      },
    },
    async (request) => {
      operatorActor(request);
      return present(await getIncident(services, request.params.id), now());
    },
  );

  app.post(
    '/api/operator/v1/incidents/:id/scope',
    {
      schema: {
        summary: 'Scope an incident: the businesses chosen (or all active ones), counted from their data',
        params: IdParams,
        body: ScopeIn,
        response: { 200: IncidentOut },
      },
    },
    async (request) => {
      const actor = operatorActor(request);
      const { businesses, all } = request.body;
      if (all === true && businesses !== undefined) {
        throw invalidInput([
          { path: 'businesses', code: 'scope_ambiguous', message: 'Either businesses or all, not both' },
        ]);
      }
      const chosen = all === true ? ('all' as const) : (businesses ?? []);
      return present(await scopeIncident(services, actor, request.params.id, { businesses: chosen }), now());
    },
  );

  app.post(
    '/api/operator/v1/incidents/:id/notify',
    {
      schema: {
        summary: 'Send the breach notice to every business in scope not yet notified',
        params: IdParams,
        response: {
          200: Type.Object({
            notified: Type.Array(Type.String()),
            toOwners: Type.Array(Type.String()),
            withoutContact: Type.Array(Type.String()),
            incident: IncidentOut,
          }),
        },
      },
    },
    async (request) => {
      const actor = operatorActor(request);
      const result = await notifyIncident(services, actor, request.params.id, operatorName);
      return { ...result, incident: present(await getIncident(services, request.params.id), now()) };
    },
  );

  app.post(
    '/api/operator/v1/incidents/:id/updates',
    {
      schema: {
        summary: 'Append an update and send it to the businesses already notified',
        params: IdParams,
        body: UpdateIn,
        response: {
          201: Type.Object({ seq: Type.Integer(), sentTo: Type.Array(Type.String()), incident: IncidentOut }),
        },
      },
    },
    async (request, reply) => {
      const actor = operatorActor(request);
      const id = request.params.id;
      const result = await addIncidentUpdate(services, actor, id, request.body.text, operatorName);
      return reply.status(201).send({ ...result, incident: present(await getIncident(services, id), now()) });
    },
  );

  app.post(
    '/api/operator/v1/incidents/:id/close',
    {
      schema: {
        summary: 'Close an incident (refused while an affected business has not been notified)',
        params: IdParams,
        response: { 200: IncidentOut },
      },
    },
    async (request) => {
      const actor = operatorActor(request);
      return present(await closeIncident(services, actor, request.params.id), now());
    },
  );
}
