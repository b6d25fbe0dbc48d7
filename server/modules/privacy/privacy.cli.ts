/**
 * The operator's privacy-center commands, dispatched from server/cli.ts:
 *
 *   export --tenant ID --out FILE.zip   the archive of all of one business's data
 *   backup --out FILE                   a consistent, encrypted backup of database and blobs
 *   restore FILE                        verify FILE, then restore it into an empty target
 *
 * On a PostgreSQL server these open the database like any command. On the embedded database a
 * running server holds the data directory, so backup and export are done by the server itself,
 * asked over its control socket (control-socket.ts); restore needs the directory free anyway.
 */
import path from 'node:path';
import { AppError } from '../../../domain/errors.ts';
import { openServices } from '../../bootstrap.ts';
import type { Config } from '../../config.ts';
import type { Services } from '../../context.ts';
import { DataDirLockedError } from '../../db/data-dir-lock.ts';
import type { Logger } from '../../log.ts';
import { type BackupSummary, writeBackup } from './backup.ts';
import { askServer, type ControlRequest } from './control-socket.ts';
import { exportToFile } from './export-file.ts';
import { type RestoreSummary, restoreBackup } from './restore.ts';

/** The first words of the commands this module runs. */
export const PRIVACY_COMMANDS = ['export', 'backup', 'restore'] as const;

/** The lines of `npm run kluis -- --help` for these commands. */
export const PRIVACY_USAGE = `  export --tenant ID --out FILE.zip        all of a business's data as one archive (JSON, CSV, PDF, UBL, audit log)
  backup --out FILE [--json]               consistent, encrypted backup of the database and blobs (also while serving)
  restore FILE [--json]                    verify FILE, then restore it into an empty database and blob store
`;

/** Options the CLI parsed. */
export interface PrivacyArgs {
  positionals: string[];
  tenant?: string | undefined;
  out?: string | undefined;
  json: boolean;
}

function usage(message: string): AppError {
  return new AppError('invalid', 'usage', message);
}

/** Runs the work in this process, or, when a server holds the embedded data directory, in the server. */
async function inServerOrHere<T>(
  config: Config,
  log: Logger,
  purpose: string,
  request: ControlRequest,
  here: (services: Services) => Promise<T>,
): Promise<T> {
  let opened: Awaited<ReturnType<typeof openServices>>;
  try {
    opened = await openServices(config, log, purpose);
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

/** Runs one privacy command; returns the exit code. */
export async function runPrivacyCommand(config: Config, log: Logger, args: PrivacyArgs): Promise<number> {
  const [command, ...rest] = args.positionals;
  const print = (value: unknown, text: string) =>
    process.stdout.write(args.json ? `${JSON.stringify(value)}\n` : text);
  switch (command) {
    case 'export': {
      if (!args.tenant || !args.out || rest.length > 0)
        throw usage('export needs --tenant ID --out FILE.zip');
      const out = path.resolve(args.out);
      const r = await inServerOrHere(
        config,
        log,
        'cli export',
        { command: 'export', tenant: args.tenant, out },
        (s) =>
          exportToFile(s, args.tenant as string, out, async (done, total) => {
            if (!args.json) process.stderr.write(`\r${done}/${total}`);
          }),
      );
      print(r, `\nWrote the export of ${args.tenant} to ${out}\n`);
      return 0;
    }
    case 'backup': {
      if (!args.out || rest.length > 0) throw usage('backup needs --out FILE');
      const out = path.resolve(args.out);
      const r = (await inServerOrHere(config, log, 'cli backup', { command: 'backup', out }, (s) =>
        writeBackup(s, out),
      )) as BackupSummary;
      print(
        r,
        `Backup ${r.id}: ${r.tables} tables, ${r.rows} rows, ${r.blobs} files, ${r.tenants} businesses → ${out}\n` +
          'The tenant keys are not in it: a restore takes them from the key vault (ADR 0050), and needs the master key.\n',
      );
      return 0;
    }
    case 'restore': {
      const [file] = rest;
      if (!file || rest.length > 1) throw usage('restore needs FILE');
      const opened = await openServices(config, log, 'cli restore');
      let r: RestoreSummary;
      try {
        r = await restoreBackup(opened.services, path.resolve(file));
      } finally {
        await opened.close();
      }
      print(
        r,
        `Verified and restored backup ${r.id} of ${r.createdAt}: ${r.tables} tables, ${r.rows} rows, ` +
          `${r.blobs} files, ${r.tenants} businesses; ${r.auditChainsVerified} audit chains verify.\n` +
          (r.shredded.length > 0
            ? `Shredded since the backup, restored unreadable: ${r.shredded.join(', ')}\n`
            : ''),
      );
      return 0;
    }
    default:
      throw usage(`unknown command ${command}`);
  }
}
