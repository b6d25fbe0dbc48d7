/** The support-access module's surface: the routes, and the job that mails the first use. */
export { registerSupportAccessJobs } from './support-access.jobs.ts';
export { supportOperatorRoutes } from './support-access.operator.routes.ts';
export { supportAccessRoutes } from './support-access.routes.ts';
