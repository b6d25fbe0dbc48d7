/**
 * `npm run bench [-- NAME…]`: every benchmark runs Kluis and a peer on the same work in the same
 * run and reports the ratio; the last line is one JSON object: the results of the one benchmark
 * named, or of all of them keyed by name. Numbers depend on
 * the machine, so they are reported, never asserted.
 *
 * customers — what the privacy guarantees cost: creating customers through Kluis's use case
 *   (validation, field encryption, blind indexes, forced RLS, audit chain, one transaction each)
 *   against a bare plaintext INSERT of the same fields (what an unencrypted peer stores), and exact
 *   search by e-mail through the blind index against an indexed plaintext lookup, with 10,000
 *   customers in one business. `npm run bench:pg` runs the same on the PostgreSQL server.
 * issue — 10,000 invoices issued through the real use case against plain numbered INSERTs (issue.ts).
 * list — an API client listing 50 invoices at 50 connections against bare Fastify + pg (list.ts).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createCustomer, searchCustomers } from '../server/modules/customers/customers.service.ts';
import { makeServices, makeTenant } from '../server/test/harness.ts';
import { benchAuth } from './auth.ts';
import { benchIssue } from './issue.ts';
import { benchList } from './list.ts';
import { benchPdf } from './pdf.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const wanted = (name: string) => args.length === 0 || args.includes(name);
const results: Record<string, unknown> = {};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function benchCustomers(): Promise<void> {
  const COUNT = 10_000;
  const SEARCHES = 500;
  const s = await makeServices();
  const ctx = await makeTenant(s, 'Bench B.V.');
  await s.db.asOwner(
    `CREATE TABLE bench_plain_customers (tenant_id uuid, id uuid, name text, email text, iban text, vat_number text,
       street text, postal_code text, city text, created_at timestamptz)`,
  );
  await s.db.asOwner('CREATE INDEX ON bench_plain_customers (tenant_id, email)');
  const people = Array.from({ length: COUNT }, (_, i) => ({
    name: `Klant ${i} ${randomBytes(3).toString('hex')}`,
    email: `klant${i}@voorbeeld.example`,
    iban: 'NL91ABNA0417164300',
    vatNumber: 'NL004495445B01',
    street: `Dorpsstraat ${i}`,
    postalCode: '1234 AB',
    city: 'Amsterdam',
  }));

  let t = performance.now();
  for (const p of people) {
    await createCustomer(ctx, {
      kind: 'company',
      name: p.name,
      email: p.email,
      iban: p.iban,
      vatNumber: p.vatNumber,
      address: { street: p.street, postalCode: p.postalCode, city: p.city, country: 'NL' },
    });
  }
  const kluisCreate = COUNT / ((performance.now() - t) / 1000);

  t = performance.now();
  for (const p of people) {
    await s.db.asOwner(
      `INSERT INTO bench_plain_customers VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, now())`,
      [ctx.tenantId, p.name, p.email, p.iban, p.vatNumber, p.street, p.postalCode, p.city],
    );
  }
  const bareCreate = COUNT / ((performance.now() - t) / 1000);

  const kluisSearch: number[] = [];
  const bareSearch: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const email = people[(i * 7919) % COUNT]?.email ?? '';
    let t0 = performance.now();
    const found = await searchCustomers(ctx, 'email', email);
    kluisSearch.push(performance.now() - t0);
    if (found.length !== 1) throw new Error('search found the wrong number of customers');
    t0 = performance.now();
    await s.db.asOwner('SELECT * FROM bench_plain_customers WHERE tenant_id = $1 AND email = $2', [
      ctx.tenantId,
      email,
    ]);
    bareSearch.push(performance.now() - t0);
  }
  await s.close();

  const r = {
    database: s.db.kind,
    customers: COUNT,
    kluisCreatePerSecond: Math.round(kluisCreate),
    bareInsertPerSecond: Math.round(bareCreate),
    createRatio: +(kluisCreate / bareCreate).toFixed(3),
    kluisSearchMedianMs: +median(kluisSearch).toFixed(3),
    bareSearchMedianMs: +median(bareSearch).toFixed(3),
    searchRatio: +(median(kluisSearch) / median(bareSearch)).toFixed(2),
  };
  console.log(
    `customers (${r.database}): create ${r.kluisCreatePerSecond}/s with encryption + audit vs ${r.bareInsertPerSecond}/s ` +
      `bare (${r.createRatio}×); search by e-mail among ${COUNT}: ${r.kluisSearchMedianMs} ms median vs ` +
      `${r.bareSearchMedianMs} ms plaintext (${r.searchRatio}×)`,
  );
  results.customers = r;
}

if (wanted('customers')) await benchCustomers();
if (wanted('pdf')) results.pdf = await benchPdf();
if (wanted('auth')) results.auth = await benchAuth();
if (wanted('issue')) results.issue = await benchIssue();
if (wanted('list')) results.list = await benchList();
// One benchmark asked for by name: its own object is the last line (`{"kluisMs":…}` for pdf);
// several: one object keyed by benchmark.
const names = Object.keys(results);
const only = names.length === 1 && args.length === 1 ? results[names[0] as string] : undefined;
console.log(JSON.stringify(only ?? results));
