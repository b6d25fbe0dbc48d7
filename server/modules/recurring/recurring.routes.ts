/** The recurring invoices API: thin routes, one use case each. */
import type { App } from '../../app.ts';
import type { Services } from '../../context.ts';
import { ctxOf } from '../../http/auth.ts';
import type { ScheduleInput, SchedulePatch } from './recurring.model.ts';
import {
  CreateScheduleBody,
  IdParams,
  ListSchedulesQuery,
  OccurrenceList,
  presentOccurrence,
  presentSchedule,
  ScheduleOut,
  SchedulePage,
  UpdateScheduleBody,
} from './recurring.schemas.ts';
import {
  createSchedule,
  getSchedule,
  listScheduleOccurrences,
  listSchedules,
  removeSchedule,
  setScheduleStatus,
  updateSchedule,
} from './recurring.service.ts';

const BASE = '/api/v1/recurring-invoices';

/** Registers /api/v1/recurring-invoices. */
export function recurringRoutes(app: App, services: Services): void {
  app.post(
    BASE,
    { schema: { body: CreateScheduleBody, response: { 201: ScheduleOut } }, config: { idempotent: true } },
    async (request, reply) => {
      const schedule = await createSchedule(ctxOf(request, services), request.body as ScheduleInput);
      return reply.status(201).send(presentSchedule(schedule));
    },
  );

  app.get(
    BASE,
    { schema: { querystring: ListSchedulesQuery, response: { 200: SchedulePage } } },
    async (request) => {
      const page = await listSchedules(ctxOf(request, services), request.query);
      return { items: page.items.map(presentSchedule), nextCursor: page.nextCursor };
    },
  );

  app.get(`${BASE}/:id`, { schema: { params: IdParams, response: { 200: ScheduleOut } } }, async (request) =>
    presentSchedule(await getSchedule(ctxOf(request, services), request.params.id)),
  );

  app.patch(
    `${BASE}/:id`,
    { schema: { params: IdParams, body: UpdateScheduleBody, response: { 200: ScheduleOut } } },
    async (request) =>
      presentSchedule(
        await updateSchedule(ctxOf(request, services), request.params.id, request.body as SchedulePatch),
      ),
  );

  app.post(
    `${BASE}/:id/pause`,
    { schema: { params: IdParams, response: { 200: ScheduleOut } } },
    async (request) =>
      presentSchedule(await setScheduleStatus(ctxOf(request, services), request.params.id, 'paused')),
  );

  app.post(
    `${BASE}/:id/resume`,
    { schema: { params: IdParams, response: { 200: ScheduleOut } } },
    async (request) =>
      presentSchedule(await setScheduleStatus(ctxOf(request, services), request.params.id, 'active')),
  );

  app.delete(`${BASE}/:id`, { schema: { params: IdParams } }, async (request, reply) => {
    await removeSchedule(ctxOf(request, services), request.params.id);
    return reply.status(204).send();
  });

  app.get(
    `${BASE}/:id/occurrences`,
    { schema: { params: IdParams, response: { 200: OccurrenceList } } },
    async (request) => ({
      items: (await listScheduleOccurrences(ctxOf(request, services), request.params.id)).map(
        presentOccurrence,
      ),
    }),
  );
}
