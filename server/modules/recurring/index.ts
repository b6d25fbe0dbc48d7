/** The recurring module's public surface: its use cases, its routes and the job handler main.ts registers. */
export { registerRecurringJobs, runSchedule } from './recurring.jobs.ts';
export type { Frequency, Mode, Schedule, ScheduleInput, SchedulePatch, Template } from './recurring.model.ts';
export { recurringRoutes } from './recurring.routes.ts';
export {
  createSchedule,
  getSchedule,
  listScheduleOccurrences,
  listSchedules,
  removeSchedule,
  setScheduleStatus,
  updateSchedule,
} from './recurring.service.ts';
