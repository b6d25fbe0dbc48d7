/**
 * Runs before `npm start` (ADR 0070): builds the web app when web/dist is missing or older than its
 * sources (web/, domain/), and otherwise returns at once, so a normal start stays fast. A fresh
 * clone therefore serves the app after `npm install && npm start`, with no separate build step.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = import.meta.dirname;
const stamp = path.join(root, 'dist', 'index.html');

/** The newest modification time under `dir` (files only, skipping dist and node_modules). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const sources = Math.max(newest(root), newest(path.join(root, '..', 'domain')));
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) {
  process.stdout.write('web app is up to date\n');
} else {
  process.stdout.write('building the web app…\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  process.stdout.write('web app built\n');
}
