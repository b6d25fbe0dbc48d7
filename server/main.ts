/**
 * The server process: parse configuration (or print every problem and exit 1 before listening),
 * open the services, listen, and on SIGTERM/SIGINT drain: readiness goes to 503, in-flight
 * requests finish, then the database is closed cleanly (PGlite flushes to disk) and the lock freed.
 */
import { readFileSync } from 'node:fs';
import { buildApp } from './app.ts';
import { openServices } from './bootstrap.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { identityOptionsFrom } from './http/auth-setup.ts';
import { JobRunner } from './jobs/scheduler.ts';
import { createLogger } from './log.ts';
import { registerEndingJobs } from './modules/ending/ending-job.ts';
import { registerIdempotencyJobs } from './modules/idempotency/idempotency.jobs.ts';
import { registerIncidentEscalationJobs } from './modules/incidents/escalations.ts';
import { registerInvoiceJobs } from './modules/invoices/send.service.ts';
import { legalSettingsFrom } from './modules/legal/index.ts';
import { registerOperatorAlertJobs } from './modules/notices/operator-alerts.ts';
import { startControlSocket } from './modules/privacy/control-socket.ts';
import { registerExportJobs } from './modules/privacy/exports.service.ts';
import { registerRecurringJobs } from './modules/recurring/index.ts';
import { registerSubjectRequestJobs } from './modules/subject-requests/subject-requests.jobs.ts';
import { registerSupportAccessJobs } from './modules/support-access/index.ts';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

const log = createLogger(config.logLevel);
let opened: Awaited<ReturnType<typeof openServices>>;
try {
  opened = await openServices(config, log, 'server');
} catch (e) {
  process.stderr.write(`Kluis cannot start: ${(e as Error).message}\n`);
  process.exit(1);
}

const https = config.tls
  ? { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile) }
  : undefined;
const { app, lifecycle } = await buildApp({
  services: opened.services,
  https,
  trustProxy: config.trustProxy,
  identity: identityOptionsFrom(config),
  legal: legalSettingsFrom(config),
  endingRetentionDays: config.endingRetentionDays,
});
// Durable jobs run in this process too; modules register their handlers as they arrive.
const jobs = registerExportJobs(
  registerInvoiceJobs(new JobRunner(opened.services), { publicUrl: config.publicUrl }),
);
registerRecurringJobs(jobs);
registerEndingJobs(jobs);
registerIdempotencyJobs(jobs);
registerSubjectRequestJobs(jobs);
// The first use of a support grant is mailed to the business's contact (ADR 0057).
registerSupportAccessJobs(jobs);
// Operator alerts (ADR 0060): objections and incident escalations, mailed to the alert address.
registerOperatorAlertJobs(jobs, { alertEmail: config.operator.alertEmail });
registerIncidentEscalationJobs(jobs, { alertEmail: config.operator.alertEmail });

let stopping = false;
let closeControl: (() => Promise<void>) | undefined;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  lifecycle.draining = true;
  log.info({ signal }, 'draining');
  const timer = setTimeout(() => {
    log.error('shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs + 5_000);
  try {
    await app.close(); // stops accepting, waits for in-flight requests
    await jobs.stop(); // lets a running job finish; an unfinished one is re-run after restart
    await closeControl?.();
    await opened.close(); // committed writes are already durable; close flushes PGlite
    log.info('stopped');
    clearTimeout(timer);
    process.exit(0);
  } catch (e) {
    log.error({ err: e }, 'error while stopping');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.listen({ port: config.port, host: config.host });
} catch (e) {
  log.error({ err: e }, 'cannot listen');
  await opened.close();
  process.exit(1);
}
jobs.start();
// Embedded: `kluis backup` and `kluis export` reach this process over <dataDir>/kluis.sock (ADR 0050).
if (!config.databaseUrl) closeControl = await startControlSocket(opened.services, config.dataDir);
log.info({ url: config.publicUrl }, 'Kluis is running');
