/**
 * `npm run test:pg`: creates a fresh database on the PostgreSQL server (default
 * postgres://postgres@127.0.0.1:5432), runs the given command with KLUIS_TEST_PG_URL pointing at
 * it, and drops the database afterwards, whatever the outcome.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const base = new URL('postgres://postgres@127.0.0.1:5432/postgres');
const name = `kluis_test_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: base.toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) throw new Error('usage: with-pg.ts COMMAND [ARGS…]');
const child = spawn(cmd, args, {
  stdio: 'inherit',
  env: { ...process.env, KLUIS_TEST_PG_URL: url.toString() },
});
const code: number = await new Promise((resolve) =>
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
);
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.end();
process.exit(code);
