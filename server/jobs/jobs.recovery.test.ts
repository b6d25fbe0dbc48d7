/**
 * Durable jobs across processes (Foundation point 17): a job running when its process was
 * SIGKILLed runs again after restart, exactly once to completion, on PGlite and on a server; and
 * two runners on separate connections never run the same job twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { HOUR } from '../clock.ts';
import { readTestEnv } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { inSystem } from '../db/transactions.ts';
import { makeServices, onServer, type TestServices } from '../test/harness.ts';
import type { CrashFixtureArgs } from './jobs.crash-fixture.ts';
import { enqueueJob, findJobByKey, listJobsByKind } from './jobs.repo.ts';
import { JobRunner } from './scheduler.ts';

const unique = (prefix: string) => `${prefix}.${randomBytes(4).toString('hex')}`;

/**
 * The suite's server database itself, not openTestDatabase's fresh one per call: several
 * connections and a child process must reach the same jobs table. Job kinds are unique per test,
 * so sharing it with other test files is harmless.
 */
async function openSharedServerDatabase(): Promise<Database> {
  const { pgUrl } = readTestEnv();
  if (!pgUrl) throw new Error('not on a server');
  const db = await openDatabase({ url: pgUrl, poolSize: 4 });
  await db.migrate();
  return db;
}

describe('crash recovery', () => {
  const fixture = fileURLToPath(new URL('./jobs.crash-fixture.ts', import.meta.url));

  /** Runs the fixture until its handler has started, then kills it with SIGKILL. */
  async function startAndKill(args: CrashFixtureArgs): Promise<void> {
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
        if (d.toString().includes('started')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`fixture exited early (${code}): ${stderr}`)));
    });
    child.kill('SIGKILL');
    await exited;
  }

  async function recoverAndCount(
    services: TestServices,
    args: CrashFixtureArgs,
    beforeRun: (runner: JobRunner) => Promise<void>,
  ): Promise<void> {
    const runner = new JobRunner(services, { leaseMs: args.leaseMs }).register(
      args.kind,
      async ({ attempt }) => {
        appendFileSync(args.sideEffects, `completed ${attempt}\n`);
      },
    );
    await beforeRun(runner);
    assert.equal(await runner.runDueJobs(), 1, 'the killed job runs again');
    services.clock.advance(HOUR);
    assert.equal(await runner.runDueJobs(), 0, 'and only once');
    await runner.stop();
    const job = await findJobByKey(services.db.orm, args.key);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
    assert.deepEqual(readFileSync(args.sideEffects, 'utf8').trim().split('\n'), ['started 1', 'completed 2']);
  }

  test('on PGlite, a job running when its process was killed runs again at restart, exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kluis-jobs-'));
    try {
      const args: CrashFixtureArgs = {
        kind: unique('test.crash'),
        key: unique('crash'),
        sideEffects: join(dir, 'effects.log'),
        pgliteDir: join(dir, 'db'),
        leaseMs: 60_000,
      };
      await startAndKill(args);
      const db = await openDatabase({ pgliteDir: args.pgliteDir });
      await db.migrate();
      const services = await makeServices({ db });
      try {
        const running = await findJobByKey(db.orm, args.key);
        assert.equal(running?.status, 'running', 'the killed process left its job running');
        // Same moment as the killed process: PGlite requeues at start without waiting for the lease.
        await recoverAndCount(services, args, async (runner) => {
          assert.equal(await runner.recoverAbandoned(), 1);
        });
      } finally {
        await services.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on a server, a killed process’s job waits for its lease, then runs again exactly once', async (t) => {
    if (!onServer) {
      t.skip('needs a PostgreSQL server (npm run test:pg)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'kluis-jobs-'));
    const services = await makeServices({ db: await openSharedServerDatabase() });
    try {
      const args: CrashFixtureArgs = {
        kind: unique('test.crash'),
        key: unique('crash'),
        sideEffects: join(dir, 'effects.log'),
        pgUrl: readTestEnv().pgUrl,
        leaseMs: 60_000,
      };
      await startAndKill(args);
      await recoverAndCount(services, args, async (runner) => {
        // Another node might still be working on it: nothing is requeued and the lease is honoured.
        assert.equal(await runner.recoverAbandoned(), 0);
        assert.equal(await runner.runDueJobs(), 0);
        services.clock.advance(args.leaseMs + 1);
      });
    } finally {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('several processes', () => {
  test('two runners on separate connections race over 200 jobs and run each exactly once', async (t) => {
    if (!onServer) {
      t.skip('needs a PostgreSQL server: embedded PGlite allows one process (npm run test:pg)');
      return;
    }
    // Two pools to one database: as far as PostgreSQL can tell, two Kluis processes.
    const a = await makeServices({ db: await openSharedServerDatabase() });
    const b = await makeServices({ db: await openSharedServerDatabase() });
    try {
      const kind = unique('test.race');
      const runs = new Map<string, number>();
      const handler = async ({ jobId }: { jobId: string }) => {
        runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
        await tick(); // let the other runner in between claim and completion
      };
      await inSystem(a.db, async (tx) => {
        for (let i = 0; i < 200; i++) {
          await enqueueJob(tx, { kind, key: unique('race'), payload: { i }, runAt: a.clock.now() });
        }
      });
      const ra = new JobRunner(a).register(kind, handler);
      const rb = new JobRunner(b).register(kind, handler);
      const [na, nb] = await Promise.all([ra.runDueJobs(1_000), rb.runDueJobs(1_000)]);
      assert.equal(na + nb, 200);
      assert.equal(runs.size, 200);
      assert.deepEqual(
        [...runs.values()].filter((n) => n !== 1),
        [],
      );
      const jobs = await listJobsByKind(a.db.orm, kind);
      assert.equal(jobs.length, 200);
      assert.ok(jobs.every((j) => j.status === 'done' && j.attempts === 1));
      t.diagnostic(`runner a ran ${na}, runner b ran ${nb}`);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
