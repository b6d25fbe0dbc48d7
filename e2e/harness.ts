/**
 * What the browser journeys run on: the built app, Kluis as a child process on a free port with a
 * fresh data directory (embedded PGlite) and a loopback SMTP server that catches its mail, and
 * Debian's Chromium driven by playwright-core. Everything started here is stopped by `stop()`,
 * which run.ts calls on success, on failure and on its overall timeout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

/** The flags Debian's Chromium runs with here: headless, no sandbox (root in a container), no network chatter. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A mail Kluis sent, as the SMTP server received it. */
export interface CaughtMail {
  to: string[];
  raw: string;
}

const cleanups: (() => Promise<void> | void)[] = [];

/** Stops everything started so far, newest first; never throws. */
export async function stop(): Promise<void> {
  while (cleanups.length > 0) {
    const c = cleanups.pop();
    try {
      await c?.();
    } catch {
      // keep stopping the rest
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Builds the web app into web/dist, as `npm run build` does. */
export async function buildApp(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/** A loopback SMTP server (plain, as Kluis allows on loopback) that keeps every message. */
export async function startMailCatcher(): Promise<{ port: number; mails: CaughtMail[] }> {
  const mails: CaughtMail[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as { port: number };
  return { port, mails };
}

/** Waits for a mail to `to` and returns the first link in it to `pathPrefix` (quoted-printable undone). */
export async function linkFromMail(
  mails: CaughtMail[],
  to: string,
  pathPrefix: string,
  timeoutMs = 60_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const m of mails) {
      if (!m.to.includes(to)) continue;
      const text = m.raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
      const link = new RegExp(`https?://[^\\s"'<>]*${pathPrefix.replace(/[/?]/g, '\\$&')}[^\\s"'<>]*`).exec(
        text,
      );
      if (link) return link[0].replace(/&amp;/g, '&');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} with a ${pathPrefix} link within ${timeoutMs} ms`);
}

/** Starts Kluis on a free port with a fresh data directory; resolves once /readyz answers 200. */
export async function startKluis(
  smtpPort: number,
  /** Runs with the server's environment before it starts (e.g. a CLI command on its data directory). */
  prepare?: (env: Record<string, string>) => void,
): Promise<{ baseUrl: string; child: ChildProcess }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kluis-e2e-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  // localhost, not 127.0.0.1: WebAuthn refuses an IP address as relying party (the passkey journey).
  const baseUrl = `http://localhost:${port}`;
  // Only what Kluis reads, so the developer's own settings never leak in.
  const env = {
    KLUIS_DATA_DIR: dataDir,
    PORT: String(port),
    KLUIS_PUBLIC_URL: baseUrl,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    LOG_LEVEL: 'warn',
  };
  prepare?.(env);
  const child = spawn(process.execPath, [path.join(ROOT, 'server', 'main.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    saveArtifact('kluis.log', output); // the server's warnings and errors, for a failed run
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  // Generous: a first start creates the database and runs every migration, on a possibly busy machine.
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`Kluis exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${baseUrl}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { baseUrl, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Kluis did not become ready within 180 s:\n${output}`);
}

/** Launches Chromium with a fresh profile; downloads are accepted. */
export async function startBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'kluis-e2e-chromium-'));
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: false, // --headless is in the args, exactly as the CI machine's Chromium is run
    args: CHROMIUM_ARGS,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    timeout: 60_000,
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(45_000);
  return { context, page };
}

const AXE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page and throws on any serious or critical violation. axe is evaluated
 * through the DevTools protocol, so the app's CSP (script-src 'self') stays fully in force.
 */
export async function checkAccessibility(page: Page, screen: string): Promise<void> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document)).violations;
  })) as AxeViolation[];
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map(
      (v) => `  ${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    throw new Error(`axe found serious violations on ${screen}:\n${lines.join('\n')}`);
  }
}

/** Saves a full-page screenshot as e2e/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Writes a text file to the artifacts (e.g. the log of a failed run). */
export function saveArtifact(name: string, text: string): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, name), text);
}

/** RFC 4226/6238 code (HMAC-SHA-1, 6 digits, 30-second steps) of a base32 secret for `step`. */
export function totpCode(secretBase32: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretBase32.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g)?.map((b) => Number.parseInt(b, 2)) ?? []);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

/** The current TOTP step. */
export const totpStep = (): number => Math.floor(Date.now() / 30_000);
