/**
 * A real crash of a recurring run (issue 4, point 13): a process running the job is SIGKILLed inside
 * the third issue of a catch-up of four monthly dates, after that date's draft was committed. After
 * restart the job runs again and the result is exactly the four invoices, numbered 1 to 4 in date
 * order: nothing twice, nothing skipped. On PGlite (a data directory) and on a PostgreSQL server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readTestEnv } from '../../config.ts';
import type { Ctx } from '../../context.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { JobRunner } from '../../jobs/scheduler.ts';
import { makeServices, makeTenant, onServer, type TestServices } from '../../test/harness.ts';
import { listInvoices } from '../invoices/index.ts';
import { prepareBusiness } from '../invoices/invoices.testing.ts';
import type { RecurringCrashArgs } from './recurring.crash-fixture.ts';
import { registerRecurringJobs } from './recurring.jobs.ts';
import { createSchedule } from './recurring.service.ts';

const fixture = fileURLToPath(new URL('./recurring.crash-fixture.ts', import.meta.url));

/** Runs the fixture until it hangs inside the issue it was told to, then SIGKILLs it. */
async function runAndKill(args: RecurringCrashArgs): Promise<void> {
  const child = spawn(process.execPath, [fixture, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`fixture exited early (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
}

/** [issue date, number, status] of the business's invoices, by date (drafts without one last). */
async function invoicesOf(ctx: Ctx): Promise<[string | null, string | null, string][]> {
  const page = await listInvoices(ctx, { limit: 200 });
  const rows = page.items.map((i): [string | null, string | null, string] => [
    i.issueDate,
    i.number,
    i.status,
  ]);
  return rows.sort((x, y) => `${x[0] ?? '9999'}|${x[1]}`.localeCompare(`${y[0] ?? '9999'}|${y[1]}`));
}

/** A business with a monthly `issue` schedule from 31 January 2027; nothing is due yet. */
async function prepare(s: TestServices): Promise<Ctx> {
  s.clock.set('2027-01-20T09:00:00Z');
  const ctx = await makeTenant(s, 'Crash');
  const customerId = await prepareBusiness(ctx);
  await createSchedule(ctx, {
    customerId,
    template: {
      lines: [
        { description: 'Abonnement', quantity: '1', unitPrice: '100', vatCategory: 'S', vatRate: '21' },
      ],
    },
    frequency: 'monthly',
    startDate: '2027-01-31',
    mode: 'issue',
  });
  return ctx;
}

const ALL_FOUR = [
  ['2027-01-31', '2027-0001', 'issued'],
  ['2027-02-28', '2027-0002', 'issued'],
  ['2027-03-31', '2027-0003', 'issued'],
  ['2027-04-30', '2027-0004', 'issued'],
];

/** What the killed run left: two issued, the third date's draft committed but not issued. */
const LEFT_BY_THE_CRASH = [
  ['2027-01-31', '2027-0001', 'issued'],
  ['2027-02-28', '2027-0002', 'issued'],
  ['2027-03-31', null, 'draft'],
];

describe('a recurring run killed between its steps', () => {
  test('on PGlite, the restarted runner finishes the pending issue and the rest, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kluis-recurring-'));
    const masterKey = randomBytes(32);
    const open = async () =>
      makeServices({ db: await openDatabase({ pgliteDir: join(dir, 'db') }), masterKey });
    try {
      let s = await open();
      await s.db.migrate();
      const ctx = await prepare(s);
      await s.close();
      const now = '2027-05-01T06:00:00Z';
      await runAndKill({
        masterKey: masterKey.toString('hex'),
        now,
        hangOnIssue: 3,
        pgliteDir: join(dir, 'db'),
      });

      s = await open();
      s.clock.set(now);
      const c = { ...ctx, services: s };
      assert.deepEqual(await invoicesOf(c), LEFT_BY_THE_CRASH);
      const runner = registerRecurringJobs(new JobRunner(s, { random: () => 0 }));
      assert.ok((await runner.recoverAbandoned()) >= 1, 'the killed job is requeued');
      await runner.runDueJobs(1_000);
      assert.deepEqual(await invoicesOf(c), ALL_FOUR);
      await runner.runDueJobs(1_000);
      assert.deepEqual(await invoicesOf(c), ALL_FOUR);
      await runner.stop();
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on a server, another worker takes the job over when its lease ends, nothing twice', async (t) => {
    if (!onServer) {
      t.skip('needs a PostgreSQL server (npm run test:pg)');
      return;
    }
    const pgUrl = readTestEnv().pgUrl as string;
    const masterKey = randomBytes(32);
    // The suite's own database, not a fresh one: the child process must reach the same rows.
    const db: Database = await openDatabase({ url: pgUrl, poolSize: 4 });
    await db.migrate();
    const s = await makeServices({ db, masterKey });
    try {
      const ctx = await prepare(s);
      const now = '2027-05-01T06:00:00Z';
      await runAndKill({ masterKey: masterKey.toString('hex'), now, hangOnIssue: 3, pgUrl });
      assert.deepEqual(await invoicesOf(ctx), LEFT_BY_THE_CRASH);
      // The dead worker's lease (1 s on its clock) has run out ten minutes later.
      s.clock.set('2027-05-01T06:10:00Z');
      const runner = registerRecurringJobs(new JobRunner(s, { random: () => 0 }));
      await runner.runDueJobs(1_000);
      assert.deepEqual(await invoicesOf(ctx), ALL_FOUR);
    } finally {
      await s.close();
    }
  });
});
