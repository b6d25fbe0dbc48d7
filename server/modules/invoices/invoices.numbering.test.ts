/**
 * Invariant 5, numbers: gap-free and unique per business and series. 100 concurrent issues give
 * exactly 100 consecutive numbers, and a process killed while it holds the series lock, or with a
 * whole issue done but not committed, leaves neither a gap nor a duplicate — on PGlite and on a server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readTestEnv } from '../../config.ts';
import type { Ctx } from '../../context.ts';
import { openDatabase, queryRows, sql } from '../../db/client.ts';
import { inTenant } from '../../db/transactions.ts';
import { makeServices, makeTenant, onServer, type TestServices } from '../../test/harness.ts';
import { createInvoice, getInvoice, issueInvoice } from './index.ts';
import type { InvoiceCrashArgs } from './invoices.crash-fixture.ts';
import { auditActions, prepareBusiness, workedExample } from './invoices.testing.ts';

const fixture = fileURLToPath(new URL('./invoices.crash-fixture.ts', import.meta.url));

async function nextValue(ctx: Ctx): Promise<number> {
  const [row] = await inTenant(ctx.services.db, ctx.tenantId, (tx) =>
    queryRows<{ n: string }>(tx, sql`SELECT next_value::text AS n FROM number_series WHERE series = '2026'`),
  );
  return Number(row?.n);
}

describe('concurrency', () => {
  test('100 concurrent issues of 100 drafts give exactly the numbers 1 to 100', async () => {
    const s = await makeServices();
    try {
      const ctx = await makeTenant(s);
      const customerId = await prepareBusiness(ctx);
      const drafts = await Promise.all(
        Array.from({ length: 100 }, () => createInvoice(ctx, workedExample(customerId))),
      );
      const issued = await Promise.all(drafts.map((d) => issueInvoice(ctx, d.id)));
      const seqs = issued.map((i) => i.seq ?? 0).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      assert.equal(new Set(issued.map((i) => i.number)).size, 100);
      assert.ok(issued.every((i) => i.number === `2026-${String(i.seq).padStart(4, '0')}`));
      assert.equal(await nextValue(ctx), 101);
    } finally {
      await s.close();
    }
  });
});

/** Starts the fixture and waits until it hangs inside its transaction. */
async function startFixture(args: InvoiceCrashArgs) {
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
  return {
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A business with one issued invoice (2026-0001) and two drafts. */
async function prepare(s: TestServices) {
  const ctx = await makeTenant(s);
  const customerId = await prepareBusiness(ctx);
  const first = await createInvoice(ctx, workedExample(customerId));
  assert.equal((await issueInvoice(ctx, first.id)).number, '2026-0001');
  const a = await createInvoice(ctx, workedExample(customerId));
  const b = await createInvoice(ctx, workedExample(customerId));
  return { ctx, a, b };
}

describe('crash while issuing', () => {
  test('on PGlite, a process killed holding the series lock or before COMMIT leaves no gap and no duplicate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kluis-invoices-'));
    const masterKey = randomBytes(32);
    const open = async () =>
      makeServices({ db: await openDatabase({ pgliteDir: join(dir, 'db') }), masterKey });
    try {
      let s = await open();
      await s.db.migrate();
      const { ctx, a, b } = await prepare(s);
      await s.close();
      const base = {
        tenantId: ctx.tenantId,
        masterKey: masterKey.toString('hex'),
        pgliteDir: join(dir, 'db'),
      };

      for (const mode of ['holding-series', 'before-commit'] as const) {
        await (await startFixture({ ...base, mode, invoiceId: a.id })).kill();
        s = await open();
        const c = { ...ctx, services: s };
        assert.equal(await nextValue(c), 2, `${mode}: the killed allocation was rolled back`);
        assert.equal((await getInvoice(c, a.id)).status, 'draft', `${mode}: the draft is still a draft`);
        assert.ok(
          !(await auditActions(c, a.id)).includes('invoice.issued'),
          `${mode}: no issue was recorded`,
        );
        await s.close();
      }
      s = await open();
      const c = { ...ctx, services: s };
      assert.equal((await issueInvoice(c, b.id)).number, '2026-0002');
      assert.equal((await issueInvoice(c, a.id)).number, '2026-0003');
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on a server, an issue waiting for a killed holder of the series lock takes the next number', async (t) => {
    if (!onServer) {
      t.skip('needs a PostgreSQL server (npm run test:pg)');
      return;
    }
    const pgUrl = readTestEnv().pgUrl as string;
    const masterKey = randomBytes(32);
    // The suite's own database, not a fresh one: the child process must reach the same rows.
    const db = await openDatabase({ url: pgUrl, poolSize: 4 });
    await db.migrate();
    const s = await makeServices({ db, masterKey });
    try {
      const { ctx, a, b } = await prepare(s);
      const base = { tenantId: ctx.tenantId, masterKey: masterKey.toString('hex'), pgUrl };
      for (const mode of ['holding-series', 'before-commit'] as const) {
        const child = await startFixture({ ...base, mode, invoiceId: a.id });
        // This issue blocks on the series row the child holds, until the child dies.
        const waiting = issueInvoice(ctx, b.id).then(
          (i) => ({ number: i.number }),
          (e: Error) => ({ error: e }),
        );
        await sleep(200);
        await child.kill();
        const result = await waiting;
        if (mode === 'holding-series') assert.deepEqual(result, { number: '2026-0002' });
        else
          assert.match(
            String((result as { error?: { code?: string } }).error?.code),
            /invoice_already_issued/,
          );
        assert.equal((await getInvoice(ctx, a.id)).status, 'draft');
      }
      assert.equal((await issueInvoice(ctx, a.id)).number, '2026-0003');
      assert.equal(await nextValue(ctx), 4);
    } finally {
      await s.close();
    }
  });
});
