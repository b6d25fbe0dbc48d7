/** The recurring module's public surface: its routes and the job handler main.ts registers. */
export { registerRecurringJobs, runSchedule } from './recurring.jobs.ts';
export { recurringRoutes } from './recurring.routes.ts';
