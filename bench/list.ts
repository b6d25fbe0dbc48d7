/**
 * list — the API under load (Invoicing point 17): an API client with a client-credentials JWT asks
 * `GET /api/v1/invoices?limit=50` (50 issued invoices with their lines and their customers' names)
 * over 50 keep-alive connections on loopback, for a bounded time. Kluis does on every request: token
 * check (signature cached by token hash), the client's revocation check, one tenant transaction
 * under forced RLS, decryption of every party field and line description, the `invoice.listed`
 * audit event on the hash chain, serialisation through the response schema.
 * The peer is a bare Fastify app with a `pg` pool of the same size answering the same rows from
 * plaintext tables (no token, no RLS, no encryption, no audit), measured in the same run.
 * The load generator (bench/load.ts) runs in a worker thread.
 * Also reported: the server thread's CPU per answered request for both (steadier than throughput
 * on a shared machine), and the most audited transactions per second one business's chain takes
 * (a bound on any audited request, however cheap the rest becomes; see ADR 0024).
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { appendAudit } from '../server/audit/audit.repo.ts';
import { readTestEnv } from '../server/config.ts';
import type { Ctx } from '../server/context.ts';
import { sql } from '../server/db/client.ts';
import { inTenant } from '../server/db/transactions.ts';
import { createApiClient } from '../server/modules/clients/index.ts';
import { createCustomer } from '../server/modules/customers/customers.service.ts';
import { createInvoice, issueInvoice } from '../server/modules/invoices/index.ts';
import { prepareBusiness, workedExample } from '../server/modules/invoices/invoices.testing.ts';
import { makeServices, makeTenant } from '../server/test/harness.ts';
import { type LoadOptions, type LoadResult, load } from './load.ts';

/** `--list-NAME=N` on the command line overrides a default (for quick or probing runs). */
function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--list-${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
}
const CONNECTIONS = option('connections', 50);
const SECONDS = option('seconds', 10);
const INVOICES = 50;

interface PlainInvoice {
  id: string;
  number: string;
  issue_date: string;
  due_date: string;
  currency: string;
  customer_id: string;
  customer_name: string;
  net_minor: string;
  tax_minor: string;
  gross_minor: string;
}

/**
 * A load run, with the CPU time this thread (where both servers run; the load generator has its
 * own) spent per answered request. On a shared machine throughput follows whatever else runs;
 * CPU per request hardly does, so its ratio is the steadier comparison.
 */
async function serverLoad(o: LoadOptions): Promise<LoadResult & { serverCpuMsPerRequest: number }> {
  const before = process.threadCpuUsage();
  const r = await load(o);
  const used = process.threadCpuUsage(before);
  return {
    ...r,
    serverCpuMsPerRequest: +((used.user + used.system) / 1000 / Math.max(r.allRequests, 1)).toFixed(2),
  };
}

/**
 * The ceiling of any audited request of one business: `connections` loops doing nothing but a
 * tenant transaction that appends `invoice.listed` to the chain, for `seconds`. Appends of one
 * business queue on its chain head, which stays locked until the commit is durable, so this is
 * the most list requests per second one business can be served, whatever the rest costs.
 * `durable: false` shows the same with `synchronous_commit = off` (for comparison only: Kluis
 * never turns it off, an acknowledged read must stay audited after a crash).
 */
async function auditCeiling(
  ctx: Ctx,
  connections: number,
  seconds: number,
  durable: boolean,
): Promise<number> {
  const { db, keyring, clock } = ctx.services;
  let appended = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        await inTenant(db, ctx.tenantId, async (tx) => {
          if (!durable) await tx.execute(sql`SET LOCAL synchronous_commit = off`);
          await appendAudit(tx, await keyring.forTenant(tx, ctx.tenantId), {
            action: 'invoice.listed',
            actor: { type: 'client', id: 'bench' },
            ip: '127.0.0.1',
            data: { results: 50 },
            at: clock.now(),
          });
        });
        appended++;
      }
    }),
  );
  return Math.round(appended / seconds);
}

/** Runs the benchmark and returns its numbers. */
export async function benchList(): Promise<Record<string, unknown>> {
  const s = await makeServices();
  // The embedded provider stamps tokens with the wall clock; the API checks them with this clock.
  s.clock.set(new Date());
  const { app } = await buildApp({ services: s });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const ctx = await makeTenant(s, 'Bench B.V.');
  await prepareBusiness(ctx);
  for (let i = 0; i < INVOICES; i++) {
    const customer = await createCustomer(ctx, {
      kind: 'company',
      name: `Klant ${i} B.V.`,
      email: `klant${i}@voorbeeld.example`,
      address: { street: `Dorpsstraat ${i + 1}`, postalCode: '1234 AB', city: 'Amsterdam', country: 'NL' },
    });
    const draft = await createInvoice(ctx, workedExample(customer.id));
    await issueInvoice(ctx, draft.id);
  }
  const { clientId, clientSecret } = await createApiClient(ctx, { name: 'Bench', scopes: ['invoices:read'] });
  const tokenRes = await app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    payload: 'grant_type=client_credentials',
  });
  const token = tokenRes.json().access_token as string;
  if (!token) throw new Error(`no token: ${tokenRes.body}`);
  const kluisUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/invoices?limit=50`;
  const page = await fetch(kluisUrl, { headers: { authorization: `Bearer ${token}` } });
  const items = ((await page.json()) as { items: Record<string, unknown>[] }).items;
  if (items.length !== INVOICES || !items.every((i) => (i.buyer as { name?: string })?.name)) {
    throw new Error('the list does not hold 50 invoices with their customer names');
  }

  // The peer's plaintext copy of the same rows, on the same server (PGlite: the same database).
  const { pgUrl } = readTestEnv();
  const pool = pgUrl ? new pg.Pool({ connectionString: pgUrl, max: 12 }) : undefined;
  const query = async <T>(text: string, params: unknown[] = []): Promise<T[]> =>
    pool ? (await pool.query(text, params)).rows : s.db.asOwner<T>(text, params);
  await query(`CREATE TABLE bench_plain_customers (tenant_id uuid, id uuid PRIMARY KEY, name text)`);
  await query(`CREATE TABLE bench_plain_invoices (tenant_id uuid, id uuid PRIMARY KEY, number text,
    issue_date date, due_date date, currency text, customer_id uuid, net_minor bigint, tax_minor bigint,
    gross_minor bigint)`);
  await query(`CREATE TABLE bench_plain_lines (tenant_id uuid, invoice_id uuid, id uuid, position int,
    description text, quantity text, unit_price text, vat_category text, vat_rate text, net_minor bigint)`);
  await query('CREATE INDEX ON bench_plain_invoices (tenant_id, id)');
  await query('CREATE INDEX ON bench_plain_lines (tenant_id, invoice_id)');
  for (const i of items as never[] as Array<{
    id: string;
    number: string;
    issueDate: string;
    dueDate: string;
    currency: string;
    customerId: string;
    buyer: { name: string };
    totals: { net: string; vat: string; gross: string };
    lines: Array<{ id: string; description: string; quantity: string; unitPrice: string; vatRate: string }>;
  }>) {
    const cents = (v: string) => Math.round(Number(v) * 100);
    await query('INSERT INTO bench_plain_customers VALUES ($1, $2, $3)', [
      ctx.tenantId,
      i.customerId,
      i.buyer.name,
    ]);
    await query('INSERT INTO bench_plain_invoices VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
      ctx.tenantId,
      i.id,
      i.number,
      i.issueDate,
      i.dueDate,
      i.currency,
      i.customerId,
      cents(i.totals.net),
      cents(i.totals.vat),
      cents(i.totals.gross),
    ]);
    for (const [position, l] of i.lines.entries()) {
      await query('INSERT INTO bench_plain_lines VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
        ctx.tenantId,
        i.id,
        l.id,
        position,
        l.description,
        l.quantity,
        l.unitPrice,
        'S',
        l.vatRate,
        0,
      ]);
    }
  }
  const bare = Fastify();
  bare.get('/invoices', async () => {
    const rows = await query<PlainInvoice>(
      `SELECT i.*, c.name AS customer_name FROM bench_plain_invoices i
         JOIN bench_plain_customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = $1 ORDER BY i.id LIMIT 50`,
      [ctx.tenantId],
    );
    const lines = await query<{ invoice_id: string }>(
      'SELECT * FROM bench_plain_lines WHERE tenant_id = $1 AND invoice_id = ANY($2) ORDER BY position',
      [ctx.tenantId, rows.map((r) => r.id)],
    );
    return { items: rows.map((r) => ({ ...r, lines: lines.filter((l) => l.invoice_id === r.id) })) };
  });
  // The same rows for the summaries: invoice columns and the customer's name, no lines.
  bare.get('/summaries', async () => ({
    items: await query<PlainInvoice>(
      `SELECT i.*, c.name AS customer_name FROM bench_plain_invoices i
         JOIN bench_plain_customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
        WHERE i.tenant_id = $1 ORDER BY i.id LIMIT 50`,
      [ctx.tenantId],
    ),
  }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/invoices`;

  const options = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 2 };
  const kluisLoad = await serverLoad({
    ...options,
    url: kluisUrl,
    headers: { authorization: `Bearer ${token}` },
  });
  const bareLoad = await serverLoad({ ...options, url: bareUrl, headers: {} });
  const summaryUrl = kluisUrl.replace('/api/v1/invoices?', '/api/v1/invoices/summaries?');
  const summaries = await fetch(summaryUrl, { headers: { authorization: `Bearer ${token}` } });
  const summaryItems = ((await summaries.json()) as { items: { customerName?: string }[] }).items;
  if (summaryItems.length !== INVOICES || !summaryItems.every((i) => i.customerName)) {
    throw new Error('the summaries do not hold 50 invoices with their customer names');
  }
  const kluisSummaryLoad = await serverLoad({
    ...options,
    url: summaryUrl,
    headers: { authorization: `Bearer ${token}` },
  });
  const bareSummaryLoad = await serverLoad({
    ...options,
    url: `${bareUrl.replace(/\/invoices$/, '')}/summaries`,
    headers: {},
  });

  const ceiling = await auditCeiling(ctx, CONNECTIONS, 5, true);
  const ceilingAsync = await auditCeiling(ctx, CONNECTIONS, 5, false);

  await bare.close();
  await pool?.end();
  await app.close();
  await s.close();
  const r = {
    database: s.db.kind,
    connections: CONNECTIONS,
    seconds: SECONDS,
    kluis: kluisLoad,
    bare: bareLoad,
    throughputRatio: +(kluisLoad.perSecond / bareLoad.perSecond).toFixed(3),
    cpuRatio: +(bareLoad.serverCpuMsPerRequest / kluisLoad.serverCpuMsPerRequest).toFixed(3),
    summaries: {
      kluis: kluisSummaryLoad,
      bare: bareSummaryLoad,
      throughputRatio: +(kluisSummaryLoad.perSecond / bareSummaryLoad.perSecond).toFixed(3),
      cpuRatio: +(bareSummaryLoad.serverCpuMsPerRequest / kluisSummaryLoad.serverCpuMsPerRequest).toFixed(3),
    },
    auditedCeilingPerSecond: ceiling,
    auditedCeilingNoSyncCommitPerSecond: ceilingAsync,
  };
  console.log(
    `list (${r.database}): GET /api/v1/invoices?limit=50 at ${CONNECTIONS} connections: ` +
      `${kluisLoad.perSecond}/s, p50 ${kluisLoad.p50Ms} ms, p99 ${kluisLoad.p99Ms} ms (client JWT, RLS, ` +
      `decryption, audit) vs bare Fastify + pg ${bareLoad.perSecond}/s, p50 ${bareLoad.p50Ms} ms, ` +
      `p99 ${bareLoad.p99Ms} ms (${r.throughputRatio}× the bare throughput); server CPU per request ` +
      `${kluisLoad.serverCpuMsPerRequest} ms vs ${bareLoad.serverCpuMsPerRequest} ms (${r.cpuRatio}×); the chain of one business takes ` +
      `${ceiling} audited transactions/s at most (${ceilingAsync}/s if commits were not waited for)`,
  );
  const m = r.summaries;
  console.log(
    `list (${r.database}): GET /api/v1/invoices/summaries?limit=50 (no lines, only the customer's name): ` +
      `${m.kluis.perSecond}/s, p50 ${m.kluis.p50Ms} ms, p99 ${m.kluis.p99Ms} ms vs bare ${m.bare.perSecond}/s, ` +
      `p50 ${m.bare.p50Ms} ms, p99 ${m.bare.p99Ms} ms (${m.throughputRatio}×); server CPU per request ` +
      `${m.kluis.serverCpuMsPerRequest} ms vs ${m.bare.serverCpuMsPerRequest} ms (${m.cpuRatio}×)`,
  );
  return r;
}
