/**
 * `npm run kluis -- ending …`: the operator lists ended subscriptions (lifecycle and deletion
 * status) and writes a business's kept deletion certificate to a file. Exit codes as cli.ts.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AppError } from '../../../domain/errors.ts';
import { openServices } from '../../bootstrap.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { getCertificate, listEndings } from './ending.operator.ts';

/** The usage lines cli.ts prints. */
export const ENDING_USAGE = `  ending list [--json]                     ended subscriptions: end, deadline, deletion status
  ending certificate --tenant ID --out FILE  write a business's signed deletion certificate (PDF)
`;

function usage(message: string): AppError {
  return new AppError('invalid', 'usage', `${message}\n\n${ENDING_USAGE}`);
}

/** Runs `ending <sub> …`; returns the exit code. */
export async function runEndingCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const sub = positionals[0] ?? '';
  if (!['list', 'certificate'].includes(sub) || positionals.length > 1) {
    throw usage(`unknown command "ending ${positionals.join(' ')}"`);
  }
  if (sub === 'certificate' && (!values.tenant || !values.out)) {
    throw usage('ending certificate needs --tenant ID and --out FILE');
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  const opened = await openServices(config, log, `cli ending ${sub}`);
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : text);
  try {
    if (sub === 'list') {
      const list = await listEndings(opened.services);
      print(
        list,
        list
          .map(
            (e) => `${e.businessId}  ${e.status.padEnd(9)}  ended ${e.endedAt}  deadline ${e.deadlineAt}\n`,
          )
          .join(''),
      );
      return 0;
    }
    const cert = await getCertificate(opened.services, values.tenant ?? '');
    if (!cert)
      throw new AppError('not_found', 'certificate_not_found', 'No deletion certificate for that business');
    await writeFile(values.out ?? '', cert.pdf);
    const { pdf: _pdf, ...meta } = cert;
    print(
      meta,
      `Wrote ${values.out} (sha256 ${cert.sha256}, signature ${cert.verified ? 'valid' : 'INVALID'})\n`,
    );
    return cert.verified ? 0 : 1;
  } finally {
    await opened.close();
  }
}
