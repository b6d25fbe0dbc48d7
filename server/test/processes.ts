/**
 * For tests that run Kluis as processes (the server, the `kluis` CLI): a free loopback port, and
 * the CLI run to its end with its output. Children are collected so the test's `after` kills them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** The repository's root, where server/main.ts and server/cli.ts live. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs `kluis ARGS` with exactly `env` (plus LOG_LEVEL=warn); resolves with its exit code and output. */
export function runCli(
  children: ChildProcess[],
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'server/cli.ts'), ...args], {
      env: { LOG_LEVEL: 'warn', ...env },
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
