/**
 * `kluis outbox`: the operator reads the platform outbox, the sign-up confirmations and password
 * resets a deployment without SMTP_URL keeps instead of sending (issue 7 point 9), so that whoever
 * installed Kluis with `npm start` can open their confirmation link.
 *
 *   outbox [--json]            the platform's mails, newest first: id, date, to, subject
 *   outbox show ID [--json]    one mail: headers, text body, attachment names
 *
 * On the embedded database a running server holds the data directory, so it is asked over its
 * control socket (privacy/control-socket.ts, mode 0600: only this machine's user); otherwise the
 * command opens the services itself. With SMTP_URL set there is no outbox, and it says so.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AppError } from '../../../domain/errors.ts';
import { openServices } from '../../bootstrap.ts';
import { type Config, loadConfig } from '../../config.ts';
import type { Services } from '../../context.ts';
import { DataDirLockedError } from '../../db/data-dir-lock.ts';
import { createLogger, type Logger } from '../../log.ts';
import { askServer, type ControlRequest } from '../privacy/control-socket.ts';
import {
  listPlatformOutbox,
  type PlatformOutboxEntry,
  type PlatformOutboxMail,
  readPlatformOutbox,
} from './platform-outbox.ts';

/** The usage lines cli.ts prints. */
export const OUTBOX_USAGE = `  outbox [--json]                          the platform's unsent mails (sign-up confirmations, password resets), newest first
  outbox show ID [--json]                  one of them: headers, text (with its link), attachment names
`;

const usage = (message: string) => new AppError('invalid', 'usage', message);

/** Runs the work in this process, or in the server that holds the embedded data directory. */
async function inServerOrHere<T>(
  config: Config,
  log: Logger,
  request: ControlRequest,
  here: (services: Services) => Promise<T>,
): Promise<T> {
  let opened: Awaited<ReturnType<typeof openServices>>;
  try {
    opened = await openServices(config, log, `cli ${request.command}`);
  } catch (err) {
    if (err instanceof DataDirLockedError) return (await askServer(config.dataDir, request)) as T;
    throw err;
  }
  try {
    return await here(opened.services);
  } finally {
    await opened.close();
  }
}

/** Runs `outbox` or `outbox show ID`; returns the exit code. */
export async function runOutboxCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [sub, id, ...rest] = positionals;
  const show = sub === 'show';
  if ((sub !== undefined && !show) || (show && !id) || rest.length > 0 || (!show && id !== undefined))
    throw usage('outbox takes no arguments, or: outbox show ID');
  const config = loadConfig();
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : text);
  if (config.smtpUrl) {
    print(
      { outbox: false },
      'SMTP_URL is set: Kluis sends its mail by SMTP, so there is no outbox to read.\n',
    );
    return 0;
  }
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  if (show) {
    const m = (await inServerOrHere(config, log, { command: 'outbox.show', id: id as string }, (s) =>
      readPlatformOutbox(s, id as string),
    )) as PlatformOutboxMail;
    print(
      m,
      `Id:      ${m.id}\nDate:    ${m.date ?? ''}\nFrom:    ${m.from ?? ''}\nTo:      ${m.to.join(', ')}\n` +
        `Subject: ${m.subject}\n\n${m.text.replace(/\s*$/, '')}\n` +
        (m.attachments.length > 0
          ? `\nAttachments: ${m.attachments.map((a) => `${a.filename} (${a.contentType}, ${a.size} bytes)`).join(', ')}\n`
          : ''),
    );
    return 0;
  }
  const list = (await inServerOrHere(
    config,
    log,
    { command: 'outbox.list' },
    listPlatformOutbox,
  )) as PlatformOutboxEntry[];
  print(
    list,
    list.length === 0
      ? 'The outbox is empty.\n'
      : `${list.map((m) => `${m.id}  ${m.date ?? '-'}  ${m.to.join(', ')}  ${m.subject}\n`).join('')}` +
          'Read one with: npm run kluis -- outbox show ID\n',
  );
  return 0;
}
