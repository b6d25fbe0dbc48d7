/**
 * The embedded server's control socket (ADR 0050). On PGlite only one process may open the data
 * directory, and the running server holds it; so `kluis backup` and `kluis export` ask the server
 * to do the work over a Unix socket at `<dataDir>/kluis.sock` (mode 0600). The socket grants
 * nothing beyond what the data directory already gives the same OS user (who can read master.key
 * and the database files): it is an operator channel, never reachable over the network.
 *
 * Protocol: one JSON line in ({"command":"backup","out":"/abs/file"} or
 * {"command":"export","tenant":"…","out":"/abs/file.zip"}, {"command":"outbox.list"},
 * {"command":"outbox.show","id":"…"}), one JSON line back
 * ({"ok":true,"result":…} or {"ok":false,"error":{"code","message"}}).
 */
import { chmodSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { AppError, isAppError } from '../../../domain/errors.ts';
import type { Services } from '../../context.ts';
import { listPlatformOutbox, readPlatformOutbox } from '../identity/platform-outbox.ts';
import { writeBackup } from './backup.ts';
import { exportToFile } from './export-file.ts';

/** Where the socket of a data directory is. */
export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, 'kluis.sock');
}

/** A request over the socket. */
export type ControlRequest =
  | { command: 'backup'; out: string }
  | { command: 'export'; tenant: string; out: string }
  | { command: 'outbox.list' }
  | { command: 'outbox.show'; id: string };

async function handle(services: Services, req: ControlRequest): Promise<unknown> {
  // The platform outbox (`kluis outbox`): the mails a deployment without SMTP would have sent.
  if (req.command === 'outbox.list') return listPlatformOutbox(services);
  if (req.command === 'outbox.show') return readPlatformOutbox(services, String(req.id));
  if (typeof req.out !== 'string' || !path.isAbsolute(req.out)) {
    throw new AppError('invalid', 'control_bad_request', 'out must be an absolute path');
  }
  if (req.command === 'backup') return writeBackup(services, req.out);
  if (req.command === 'export' && typeof req.tenant === 'string')
    return exportToFile(services, req.tenant, req.out);
  throw new AppError('invalid', 'control_bad_request', 'unknown command');
}

function serve(services: Services, socket: Socket): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buf += d;
    const nl = buf.indexOf('\n');
    if (nl < 0) return;
    const line = buf.slice(0, nl);
    buf = '';
    void (async () => {
      let reply: unknown;
      try {
        reply = { ok: true, result: await handle(services, JSON.parse(line) as ControlRequest) };
      } catch (err) {
        const code = isAppError(err) ? err.code : 'control_failed';
        const message = isAppError(err) ? err.message : (err as Error).message;
        services.log.warn({ code }, 'control socket command failed');
        reply = { ok: false, error: { code, message } };
      }
      socket.end(`${JSON.stringify(reply)}\n`);
    })();
  });
  socket.on('error', () => {});
}

/** Listens on the data directory's socket; returns a function that closes it. */
export async function startControlSocket(services: Services, dataDir: string): Promise<() => Promise<void>> {
  const file = controlSocketPath(dataDir);
  // We hold the data-dir lock, so a socket file left here is from a dead process.
  rmSync(file, { force: true });
  const server: Server = createServer((s) => serve(services, s));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(file, resolve));
  chmodSync(file, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      rmSync(file, { force: true });
    });
}

/** Sends one request to a running server and returns its result, or throws its error. */
export function askServer(dataDir: string, req: ControlRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(controlSocketPath(dataDir));
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(req)}\n`));
    socket.on('data', (d: string) => (buf += d));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        const reply = JSON.parse(buf) as {
          ok: boolean;
          result?: unknown;
          error?: { code: string; message: string };
        };
        if (reply.ok) resolve(reply.result);
        else
          reject(new AppError('conflict', reply.error?.code ?? 'control_failed', reply.error?.message ?? ''));
      } catch (err) {
        reject(err);
      }
    });
  });
}
