/**
 * Durable jobs (Foundation point 17): idempotent enqueueing, schedule, retry with backoff, death
 * after the last attempt, lease takeover and drain on stop. Crashes and several processes are in
 * jobs.recovery.test.ts. Each test uses its own job kinds, so files sharing a server database do
 * not see each other's jobs.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { AppError } from '../../domain/errors.ts';
import { HOUR } from '../clock.ts';
import { inSystem } from '../db/transactions.ts';
import { makeServices, type TestServices } from '../test/harness.ts';
import { enqueueJob, findJobByKey, listJobsByKind, toJobRow } from './jobs.repo.ts';
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

  test('rows read the same from either driver: Date or PostgreSQL text, number, bigint or string', () => {
    const row = (at: unknown, n: unknown) =>
      toJobRow({
        id: 'j',
        kind: 'k',
        key: 'k',
        payload: '{"invoiceId":"i"}',
        status: 'queued',
        run_at: at,
        attempts: n,
        max_attempts: n,
        locked_by: null,
        locked_until: null,
        last_error: null,
        created_at: at,
        finished_at: null,
      });
    const expected = new Date('2026-11-20T10:00:00.123Z');
    for (const at of [
      expected,
      '2026-11-20 10:00:00.123+00',
      '2026-11-20 11:00:00.123+01',
      '2026-11-20 04:30:00.123-05:30',
    ]) {
      for (const n of [3, 3n, '3']) {
        const r = row(at, n);
        assert.deepEqual([r.runAt, r.createdAt, r.attempts, r.maxAttempts], [expected, expected, 3, 3]);
        assert.deepEqual(r.payload, { invoiceId: 'i' });
      }
    }
    assert.throws(() => row('20 November 2026', 3), TypeError);
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
