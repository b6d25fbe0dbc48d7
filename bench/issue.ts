/**
 * issue — what issuing costs (Invoicing point 17): 10,000 drafts issued one by one through the real
 * use case `issueInvoice`, each in its own transaction: lock the draft, VAT consistency, EN 16931
 * totals, buyer and seller snapshot decrypted and re-encrypted, the next number from the locked
 * series row, the frozen row written, the PDF/A-3 (with its Factur-X XML) rendered, encrypted and
 * stored, and `invoice.issued` appended to the audit chain with the PDF's hash.
 * The peer does the same bookkeeping a plain invoicing app would: per invoice one transaction that
 * bumps a counter row and inserts the invoice (plaintext party data, same totals) and its two lines.
 * Drafts are created beforehand (their rate is reported too, not part of the ratio).
 */
import { performance } from 'node:perf_hooks';
import type { Ctx } from '../server/context.ts';
import { createInvoice, issueInvoice } from '../server/modules/invoices/index.ts';
import { prepareBusiness, workedExample } from '../server/modules/invoices/invoices.testing.ts';
import { makeServices, makeTenant } from '../server/test/harness.ts';

/** How many invoices; `--issue-count=N` overrides it for a quick run. */
const COUNT = Number(process.argv.find((a) => a.startsWith('--issue-count='))?.split('=')[1] ?? 10_000);

async function createDrafts(ctx: Ctx, customerId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await createInvoice(ctx, workedExample(customerId))).id);
  return ids;
}

/** Runs the benchmark and returns its numbers. */
export async function benchIssue(): Promise<Record<string, number | string>> {
  const s = await makeServices();
  const ctx = await makeTenant(s, 'Bench B.V.');
  const customerId = await prepareBusiness(ctx);

  let t = performance.now();
  const drafts = await createDrafts(ctx, customerId, COUNT);
  const draftsPerSecond = COUNT / ((performance.now() - t) / 1000);

  t = performance.now();
  let last = '';
  for (const id of drafts) last = (await issueInvoice(ctx, id)).number ?? '';
  const issuedPerSecond = COUNT / ((performance.now() - t) / 1000);
  if (last !== `2026-${String(COUNT).padStart(4, '0')}`) throw new Error(`last number ${last}`);

  await s.db.asOwner(`CREATE TABLE bench_plain_series (tenant_id uuid, series text, next_value bigint,
    PRIMARY KEY (tenant_id, series))`);
  await s.db.asOwner(`CREATE TABLE bench_plain_invoices (tenant_id uuid, id uuid PRIMARY KEY, number text,
    issue_date date, due_date date, currency text, buyer_name text, buyer_street text, buyer_postal_code text,
    buyer_city text, buyer_country text, buyer_vat_number text, seller_name text, seller_street text,
    seller_city text, seller_vat_number text, seller_kvk_number text, seller_iban text,
    net_minor bigint, tax_minor bigint, gross_minor bigint, issued_at timestamptz)`);
  await s.db.asOwner(`CREATE TABLE bench_plain_lines (tenant_id uuid, invoice_id uuid, position int,
    description text, quantity text, unit_price text, vat_category text, vat_rate text, net_minor bigint)`);
  await s.db.asOwner('INSERT INTO bench_plain_series VALUES ($1, $2, 1)', [ctx.tenantId, '2026']);
  t = performance.now();
  for (let i = 0; i < COUNT; i++) {
    await s.db.asOwner(
      `WITH n AS (UPDATE bench_plain_series SET next_value = next_value + 1
                  WHERE tenant_id = $1 AND series = '2026' RETURNING next_value - 1 AS seq),
            inv AS (INSERT INTO bench_plain_invoices
                  SELECT $1, gen_random_uuid(), '2026-' || lpad(seq::text, 4, '0'), '2026-11-20', '2026-12-20',
                  'EUR', 'Bakkerij De Korf B.V.', 'Dorpsstraat 1', '1234 AB', 'Amsterdam', 'NL', 'NL004495445B01',
                  'Testbedrijf B.V.', 'Keizersgracht 1', 'Amsterdam', 'NL004495445B01', '12345678',
                  'NL91ABNA0417164300', 21500, 4215, 25715, now() FROM n RETURNING id)
       INSERT INTO bench_plain_lines SELECT $1, inv.id, l.position, l.description, l.quantity, l.unit_price,
         'S', l.vat_rate, l.net_minor FROM inv,
         (VALUES (0, 'Broodjes', '10', '2.50', '9', 2500), (1, 'Advies', '2', '95.00', '21', 19000))
           AS l(position, description, quantity, unit_price, vat_rate, net_minor)`,
      [ctx.tenantId],
    );
  }
  const barePerSecond = COUNT / ((performance.now() - t) / 1000);
  await s.close();

  const r = {
    database: s.db.kind,
    invoices: COUNT,
    includes:
      'lock, VAT checks, totals, number, snapshot encryption, PDF/A-3 render + encrypted store, audit',
    draftsPerSecond: Math.round(draftsPerSecond),
    kluisIssuedPerSecond: Math.round(issuedPerSecond),
    bareInsertPerSecond: Math.round(barePerSecond),
    ratio: +(issuedPerSecond / barePerSecond).toFixed(3),
  };
  console.log(
    `issue (${r.database}): ${COUNT} invoices issued at ${r.kluisIssuedPerSecond}/s (number, totals, ` +
      `encryption, PDF, audit) vs ${r.bareInsertPerSecond}/s plain numbered INSERTs (${r.ratio}×); ` +
      `drafts created at ${r.draftsPerSecond}/s`,
  );
  return r;
}
