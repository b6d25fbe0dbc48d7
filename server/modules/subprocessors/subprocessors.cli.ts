/**
 * `npm run kluis -- subprocessor …`: the operator manages the registry of subprocessors (there is
 * no operator API). Options of their own, so cli.ts hands the arguments over unparsed. Adding one
 * announces it by mail to every business's data-protection contact. Exit codes as cli.ts.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AppError } from '../../../domain/errors.ts';
import { openServices } from '../../bootstrap.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { isoDate } from '../legal/documents.ts';
import { legalSettingsFrom } from '../legal/legal.settings.ts';
import { addSubprocessor, listPublicSubprocessors } from './subprocessors.service.ts';

/** The usage lines cli.ts prints. */
export const SUBPROCESSOR_USAGE = `  subprocessor add --name N --purpose T --categories C1,C2 --country CC --parent CC --agreement REF
           [--effective YYYY-MM-DD] [--json]
                                           add a subprocessor (effective after the notice period) and mail every contact
  subprocessor list [--json]               the registry, as on /subverwerkers
`;

function usage(message: string): AppError {
  return new AppError('invalid', 'usage', `${message}\n\n${SUBPROCESSOR_USAGE}`);
}

/** Runs `subprocessor <sub> …`; returns the exit code. */
export async function runSubprocessorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      purpose: { type: 'string' },
      categories: { type: 'string' },
      country: { type: 'string' },
      parent: { type: 'string' },
      agreement: { type: 'string' },
      effective: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const sub = positionals[0] ?? '';
  if (!['add', 'list'].includes(sub) || positionals.length > 1) {
    throw usage(`unknown command "subprocessor ${positionals.join(' ')}"`);
  }
  const effective = values.effective === undefined ? undefined : new Date(`${values.effective}T00:00:00Z`);
  if (effective && Number.isNaN(effective.getTime())) throw usage('--effective is a date YYYY-MM-DD');
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  const settings = legalSettingsFrom(config);
  const opened = await openServices(config, log, `cli subprocessor ${sub}`);
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : text);
  try {
    if (sub === 'list') {
      const list = await listPublicSubprocessors(opened.services);
      print(
        list,
        list
          .map(
            (s) =>
              `${s.id}  ${s.name}  ${s.country}/${s.parentJurisdiction}  from ${isoDate(s.effectiveFrom)}\n`,
          )
          .join('') || 'No subprocessors.\n',
      );
      return 0;
    }
    const result = await addSubprocessor(opened.services, settings, {
      name: values.name ?? '',
      purpose: values.purpose ?? '',
      dataCategories: (values.categories ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      country: values.country ?? '',
      parentJurisdiction: values.parent ?? '',
      agreementReference: values.agreement ?? '',
      ...(effective ? { effectiveFrom: effective } : {}),
    });
    print(
      result,
      `Added ${result.subprocessor.name} (${result.subprocessor.id}), effective ${isoDate(result.subprocessor.effectiveFrom)}; ` +
        `mailed ${result.mailed} contact(s), ${result.withoutContact} business(es) without a contact\n`,
    );
    return 0;
  } finally {
    await opened.close();
  }
}
