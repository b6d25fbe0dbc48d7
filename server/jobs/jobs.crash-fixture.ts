/**
 * Child process for the crash test in jobs.test.ts: enqueues one job, claims it, and hangs inside
 * its handler after printing "started", so the parent can SIGKILL it mid-job. Not a test file.
 * Argument: JSON CrashFixtureArgs, naming a PGlite directory or a server database URL.
 */
import { appendFileSync } from 'node:fs';
import { openDatabase } from '../db/client.ts';
import { inSystem } from '../db/transactions.ts';
import { makeServices } from '../test/harness.ts';
import { enqueueJob } from './jobs.repo.ts';
import { JobRunner } from './scheduler.ts';

/** What the parent passes on the command line. */
export interface CrashFixtureArgs {
  kind: string;
  key: string;
  sideEffects: string;
  pgliteDir?: string;
  pgUrl?: string;
  leaseMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as CrashFixtureArgs;
if (!args.pgUrl && !args.pgliteDir) throw new Error('pass pgUrl or pgliteDir');
const db = await openDatabase(args.pgUrl ? { url: args.pgUrl, poolSize: 2 } : { pgliteDir: args.pgliteDir });
await db.migrate();
const services = await makeServices({ db });
await inSystem(db, (tx) =>
  enqueueJob(tx, {
    kind: args.kind,
    key: args.key,
    payload: { n: 1 },
    runAt: services.clock.now(),
    now: services.clock.now(),
  }),
);
const runner = new JobRunner(services, { leaseMs: args.leaseMs }).register(args.kind, async ({ attempt }) => {
  appendFileSync(args.sideEffects, `started ${attempt}\n`);
  process.stdout.write('started\n');
  // Hang forever; the interval keeps the event loop (and so the process) alive until SIGKILL.
  await new Promise(() => setInterval(() => {}, 60_000));
});
await runner.runOnce();
