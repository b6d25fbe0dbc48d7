/**
 * Child process for the crash test in recurring.crash.test.ts: runs the real job runner with the
 * recurring handler at a given moment, and hangs inside the n-th issue (step 2, before its COMMIT),
 * after printing "ready", so the parent can SIGKILL it there. Not a test file.
 */
import { openDatabase } from '../../db/client.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { makeServices } from '../../test/harness.ts';
import { registerRecurringJobs } from './recurring.jobs.ts';

/** What the parent passes on the command line. */
export interface RecurringCrashArgs {
  masterKey: string;
  now: string;
  /** Hang while storing the PDF of this issue (1 is the first), inside its transaction. */
  hangOnIssue: number;
  pgliteDir?: string;
  pgUrl?: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as RecurringCrashArgs;
if (!args.pgUrl && !args.pgliteDir) throw new Error('pass pgUrl or pgliteDir');
const db = await openDatabase(args.pgUrl ? { url: args.pgUrl, poolSize: 2 } : { pgliteDir: args.pgliteDir });
await db.migrate();
const services = await makeServices({ db, masterKey: Buffer.from(args.masterKey, 'hex') });
services.clock.set(args.now);
const put = services.blobs.put.bind(services.blobs);
let issues = 0;
services.blobs.put = async (keys, key, data) => {
  issues++;
  if (issues === args.hangOnIssue) {
    process.stdout.write('ready\n');
    // Hang inside the open issuing transaction; the interval keeps the process alive until SIGKILL.
    await new Promise(() => setInterval(() => {}, 60_000));
  }
  return put(keys, key, data);
};
// A short lease, so that on a server the parent can take the job over by moving its clock on.
const runner = registerRecurringJobs(new JobRunner(services, { leaseMs: 1_000, random: () => 0 }));
await runner.runDueJobs(1_000);
process.stdout.write('finished without hanging\n');
process.exit(0);
