/**
 * Durable jobs (Foundation point 17): idempotent enqueueing, schedule, retry with backoff, death
 * after the last attempt, lease takeover, drain on stop, a SIGKILLed process's job running again
 * exactly once to completion, and two processes' runners never running the same job twice.
 * Each test uses its own job kinds, so files sharing a server database do not see each other's jobs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../domain/errors.ts';
import { HOUR } from '../clock.ts';
import { openDatabase } from '../db/client.ts';
import { inSystem } from '../db/transactions.ts';
import { makeServices, onServer, openTestDatabase, type TestServices } from '../test/harness.ts';
import type { CrashFixtureArgs } from './jobs.crash-fixture.ts';
import { enqueueJob, findJobByKey, listJobsByKind } from './jobs.repo.ts';
import { backoffMs, errorCode, JobRunner } from './scheduler.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

const unique = (prefix: string) => `${prefix}.${randomBytes(4).toString('hex')}`;

/** A promise with its resolve function, to hold a handler until the test lets it go. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('enqueueJob', () => {
  test('is idempotent by key: the second enqueue adds nothing and keeps the first payload', async () => {
    const kind = unique('test.idem');
    const key = unique('idem');
    const first = await inSystem(s.db, (tx) =>
      enqueueJob(tx, { kind, key, payload: { invoiceId: 'a' }, runAt: s.clock.now(), now: s.clock.now() }),
    );
    const second = await inSystem(s.db, (tx) =>
      enqueueJob(tx, { kind, key, payload: { invoiceId: 'b' }, runAt: s.clock.now(), now: s.clock.now() }),
    );
    assert.equal(first, true);
    assert.equal(second, false);
    const jobs = await listJobsByKind(s.db.orm, kind);
    assert.equal(jobs.length, 1);
    assert.deepEqual(jobs[0]?.payload, { invoiceId: 'a' });
    assert.equal(jobs[0]?.status, 'queued');
    assert.equal(jobs[0]?.maxAttempts, 10);
    assert.ok(jobs[0]?.runAt instanceof Date && jobs[0].runAt.getTime() === s.clock.now().getTime());
  });

  test('a job exists only if the transaction that asked for it committed', async () => {
    const kind = unique('test.tx');
    const key = unique('tx');
    await assert.rejects(
      inSystem(s.db, async (tx) => {
        await enqueueJob(tx, { kind, key, payload: {}, runAt: s.clock.now() });
        throw new Error('rolled back');
      }),
    );
    assert.equal(await findJobByKey(s.db.orm, key), undefined);
  });
});

describe('JobRunner', () => {
  test('a job that is not yet due does not run; it runs once it is due', async () => {
    const kind = unique('test.due');
    const ran: string[] = [];
    const runner = new JobRunner(s).register(kind, async ({ jobId }) => {
      ran.push(jobId);
    });
    await inSystem(s.db, (tx) =>
      enqueueJob(tx, {
        kind,
        key: unique('due'),
        payload: {},
        runAt: new Date(s.clock.now().getTime() + HOUR),
      }),
    );
    assert.equal(await runner.runDueJobs(), 0);
    s.clock.advance(HOUR - 1);
    assert.equal(await runner.runDueJobs(), 0);
    assert.deepEqual(ran, []);
    s.clock.advance(1);
    assert.equal(await runner.runDueJobs(), 1);
    assert.equal(ran.length, 1);
    assert.equal(await runner.runDueJobs(), 0, 'a finished job does not run again');
    const [job] = await listJobsByKind(s.db.orm, kind);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 1);
    assert.equal(job?.lockedBy, null);
    assert.deepEqual(job?.finishedAt, s.clock.now());
  });

  test('a failing job is retried with growing backoff and ends dead after its last attempt', async () => {
    const kind = unique('test.fail');
    const key = unique('fail');
    const attempts: number[] = [];
    // random() = 0: no jitter, so each delay is exactly the base (jitter bounds are tested below).
    const runner = new JobRunner(s, { random: () => 0 }).register(kind, async ({ attempt }) => {
      attempts.push(attempt);
      throw new AppError('unavailable', 'smtp_unavailable', 'SMTP refused mail for jan@example.nl');
    });
    await inSystem(s.db, (tx) =>
      enqueueJob(tx, { kind, key, payload: {}, runAt: s.clock.now(), maxAttempts: 4 }),
    );

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await runner.runDueJobs(), 1);
      const job = await findJobByKey(s.db.orm, key);
      assert.equal(job?.status, 'queued');
      assert.equal(job?.attempts, attempt);
      assert.equal(job?.lastError, 'smtp_unavailable');
      assert.equal(job?.lockedBy, null);
      const delay = (job?.runAt.getTime() ?? 0) - s.clock.now().getTime();
      delays.push(delay);
      s.clock.advance(delay - 1);
      assert.equal(await runner.runDueJobs(), 0, 'not retried before its backoff ends');
      s.clock.advance(1);
    }
    assert.deepEqual(delays, [30_000, 60_000, 120_000]);

    assert.equal(await runner.runDueJobs(), 1);
    const dead = await findJobByKey(s.db.orm, key);
    assert.equal(dead?.status, 'dead');
    assert.equal(dead?.attempts, 4);
    assert.equal(dead?.lastError, 'smtp_unavailable');
    assert.deepEqual(dead?.finishedAt, s.clock.now());
    s.clock.advance(HOUR);
    assert.equal(await runner.runDueJobs(), 0, 'a dead job is not run again');
    assert.deepEqual(attempts, [1, 2, 3, 4]);
    assert.ok(!s.logged().includes('jan@example.nl'), 'the error message never reaches the log');
  });

  test('a runner whose lease was taken over cannot finish the job', async () => {
    const kind = unique('test.lease');
    const key = unique('lease');
    const gate = deferred();
    const entered = deferred();
    const runs: string[] = [];
    const slow = new JobRunner(s, { leaseMs: 60_000 }).register(kind, async () => {
      runs.push('slow');
      entered.resolve();
      await gate.promise;
    });
    const fast = new JobRunner(s, { leaseMs: 60_000 }).register(kind, async () => {
      runs.push('fast');
    });
    await inSystem(s.db, (tx) => enqueueJob(tx, { kind, key, payload: {}, runAt: s.clock.now() }));

    const slowRun = slow.runOnce();
    await entered.promise;
    assert.equal(await fast.runDueJobs(), 0, 'the lease still holds');
    s.clock.advance(60_001);
    assert.equal(await fast.runDueJobs(), 1, 'an expired lease is taken over');
    const finishedByFast = await findJobByKey(s.db.orm, key);
    s.clock.advance(1_000);
    gate.resolve();
    assert.equal(await slowRun, true);

    const job = await findJobByKey(s.db.orm, key);
    assert.deepEqual(runs, ['slow', 'fast']);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
    assert.deepEqual(job?.finishedAt, finishedByFast?.finishedAt, 'the late runner changed nothing');
    assert.ok(s.logged().includes('job finished after its lease was taken over'));
    await slow.stop();
    await fast.stop();
  });

  test('stop() waits for the running job to finish and then claims nothing', async () => {
    const kind = unique('test.drain');
    const gate = deferred();
    const entered = deferred();
    const events: string[] = [];
    const runner = new JobRunner(s, { pollMs: 5 }).register(kind, async () => {
      entered.resolve();
      await gate.promise;
      events.push('job finished');
    });
    await inSystem(s.db, (tx) =>
      enqueueJob(tx, { kind, key: unique('drain'), payload: {}, runAt: s.clock.now() }),
    );
    runner.start();
    await entered.promise;
    const stopped = runner.stop().then(() => events.push('stopped'));
    for (let i = 0; i < 20; i++) await tick();
    assert.deepEqual(events, [], 'stop() has not returned while the job runs');
    await inSystem(s.db, (tx) =>
      enqueueJob(tx, { kind, key: unique('drain'), payload: {}, runAt: s.clock.now() }),
    );
    gate.resolve();
    await stopped;
    assert.deepEqual(events, ['job finished', 'stopped']);
    const statuses = (await listJobsByKind(s.db.orm, kind)).map((j) => j.status);
    assert.deepEqual(
      statuses,
      ['done', 'queued'],
      'the job enqueued during the drain waits for the next start',
    );
  });

  test('a job that hits its lease on its last attempt is declared dead instead of running again', async () => {
    const kind = unique('test.poison');
    const key = unique('poison');
    const entered = deferred();
    const hung = new JobRunner(s, { leaseMs: 60_000 }).register(kind, async () => {
      entered.resolve();
      await new Promise(() => {});
    });
    const ran: number[] = [];
    const other = new JobRunner(s, { leaseMs: 60_000 }).register(kind, async ({ attempt }) => {
      ran.push(attempt);
    });
    await inSystem(s.db, (tx) =>
      enqueueJob(tx, { kind, key, payload: {}, runAt: s.clock.now(), maxAttempts: 1 }),
    );
    void hung.runOnce();
    await entered.promise;
    s.clock.advance(60_001);
    assert.equal(await other.runDueJobs(), 1);
    assert.deepEqual(ran, []);
    const job = await findJobByKey(s.db.orm, key);
    assert.equal(job?.status, 'dead');
    assert.equal(job?.lastError, 'lease_expired');
  });
});

describe('backoff and error codes', () => {
  test('backoff doubles from 30 s, is capped at 1 h, and jitter only shortens it by up to half', () => {
    const high = () => 0;
    const low = () => 0.999_999;
    assert.deepEqual(
      [1, 2, 3, 4, 7, 8, 30].map((a) => backoffMs(a, high)),
      [30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000],
    );
    for (let a = 1; a <= 12; a++) {
      const lowest = backoffMs(a, low);
      assert.ok(lowest >= backoffMs(a, high) / 2 && lowest <= backoffMs(a, high));
      // Below the cap, the shortest delay of a step is the longest of the step before.
      if (a >= 2 && a <= 7) assert.ok(lowest >= backoffMs(a - 1, high) - 1, 'still grows after jitter');
    }
  });

  test('last_error is a code or class name, never a message', () => {
    assert.equal(
      errorCode(new AppError('invalid', 'iban_invalid', 'NL91 ABNA 0417 1643 00 is wrong')),
      'iban_invalid',
    );
    assert.equal(errorCode(new TypeError('jan@example.nl')), 'TypeError');
    assert.equal(errorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 'ECONNREFUSED');
    assert.equal(errorCode(Object.assign(new Error('x'), { code: 'Jan de Vries, Utrecht' })), 'Error');
    assert.equal(errorCode('a string with jan@example.nl'), 'non_error');
  });
});

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
    const services = await makeServices({ db: await openTestDatabase() });
    try {
      const args: CrashFixtureArgs = {
        kind: unique('test.crash'),
        key: unique('crash'),
        sideEffects: join(dir, 'effects.log'),
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
    const a = await makeServices({ db: await openTestDatabase() });
    const b = await makeServices({ db: await openTestDatabase() });
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
