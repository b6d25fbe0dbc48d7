/**
 * Child process for the crash test in invoices.numbering.test.ts: opens a tenant transaction, then
 * either takes a number from the series (and so holds its row lock) or runs the whole issue, prints
 * "ready" and hangs before COMMIT, so the parent can SIGKILL it there. Not a test file.
 */
import type { Ctx } from '../../context.ts';
import { openDatabase } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices } from '../../test/harness.ts';
import { issueInTransaction } from './issue.service.ts';
import { allocateNumber } from './settings.repo.ts';

/** What the parent passes on the command line. */
export interface InvoiceCrashArgs {
  mode: 'holding-series' | 'before-commit';
  tenantId: string;
  invoiceId: string;
  masterKey: string;
  pgliteDir?: string;
  pgUrl?: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as InvoiceCrashArgs;
if (!args.pgUrl && !args.pgliteDir) throw new Error('pass pgUrl or pgliteDir');
const db = await openDatabase(args.pgUrl ? { url: args.pgUrl, poolSize: 2 } : { pgliteDir: args.pgliteDir });
await db.migrate();
const services = await makeServices({ db, masterKey: Buffer.from(args.masterKey, 'hex') });
const ctx: Ctx = {
  tenantId: args.tenantId,
  actor: { type: 'user', id: 'crash' },
  requestId: null,
  ip: null,
  services,
};
await inTenant(db, args.tenantId, async (tx) => {
  if (args.mode === 'holding-series') {
    await allocateNumber(tx, args.tenantId, '2026');
  } else {
    await issueInTransaction(ctx, tx, await services.keyring.forTenant(tx, args.tenantId), args.invoiceId);
  }
  process.stdout.write('ready\n');
  // Hang inside the open transaction; the interval keeps the process alive until SIGKILL.
  await new Promise(() => setInterval(() => {}, 60_000));
});
