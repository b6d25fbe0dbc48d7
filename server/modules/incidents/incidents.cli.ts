/**
 * `npm run kluis -- incident …`: the operator's incident commands. They have options of their
 * own, so cli.ts hands them the arguments unparsed. The CLI is the operator's surface (there is no
 * operator API): whoever can run it holds the data directory or the database credentials, and acts
 * as the console on the platform audit chain. Exit codes as cli.ts: 0 success, 2 usage or input.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AppError } from '../../../domain/errors.ts';
import { openServices } from '../../bootstrap.ts';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { CONSOLE } from '../identity/platform-audit.ts';
import { legalSettingsFrom } from '../legal/legal.settings.ts';
import {
  addIncidentUpdate,
  closeIncident,
  createIncident,
  type IncidentView,
  listIncidents,
  listOverdueNotices,
  notifyIncident,
  scopeIncident,
} from './incidents.service.ts';

/** The usage lines cli.ts prints. */
export const INCIDENT_USAGE = `  incident create --discovered ISO --nature T --systems S1,S2 --categories C1,C2 --description T
           --consequences T --measures T --encryption encrypted|partly_encrypted|not_encrypted|unknown
           [--started ISO] [--ended ISO] [--contact ADDRESS] [--json]
                                           record an incident (describe systems, never name a person)
  incident scope --incident ID (--businesses ID1,ID2 | --all) [--json]
                                           choose the affected businesses; counts people and records
  incident notify --incident ID [--json]   mail the notice to every affected business not yet notified
  incident update --incident ID --text T [--json]
                                           append an update and mail it to the businesses notified
  incident close --incident ID [--json]    close (refused while an affected business is not notified)
  incident list [--open] [--overdue] [--json]
                                           incidents with their 48-hour clock, or the overdue notices
`;

function usage(message: string): AppError {
  return new AppError('invalid', 'usage', `${message}\n\n${INCIDENT_USAGE}`);
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

function date(v: string | undefined, name: string): Date | null {
  if (v === undefined) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw usage(`--${name} is not a date and time`);
  return d;
}

function line(i: IncidentView): string {
  const notified = i.scope.filter((s) => s.notifiedAt).length;
  return `${i.id}  ${i.status.padEnd(6)}  ${i.state.padEnd(13)}  discovered ${i.discoveredAt.toISOString()}  deadline ${i.deadline.toISOString()}  notified ${notified}/${i.scope.length}  updates ${i.updates.length}\n`;
}

/** Runs `incident <sub> …`; returns the exit code. */
export async function runIncidentCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      discovered: { type: 'string' },
      started: { type: 'string' },
      ended: { type: 'string' },
      nature: { type: 'string' },
      systems: { type: 'string' },
      categories: { type: 'string' },
      description: { type: 'string' },
      consequences: { type: 'string' },
      measures: { type: 'string' },
      encryption: { type: 'string' },
      contact: { type: 'string' },
      incident: { type: 'string' },
      businesses: { type: 'string' },
      all: { type: 'boolean', default: false },
      text: { type: 'string' },
      open: { type: 'boolean', default: false },
      overdue: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const sub = positionals[0] ?? '';
  if (!['create', 'scope', 'notify', 'update', 'close', 'list'].includes(sub) || positionals.length > 1) {
    throw usage(`unknown command "incident ${positionals.join(' ')}"`);
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  const { operator } = legalSettingsFrom(config);
  const opened = await openServices(config, log, `cli incident ${sub}`);
  const { services } = opened;
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : text);
  const incidentId = () => {
    if (!values.incident) throw usage(`incident ${sub} needs --incident ID`);
    return values.incident;
  };
  try {
    switch (sub) {
      case 'create': {
        const discovered = date(values.discovered, 'discovered');
        if (!discovered) throw usage('incident create needs --discovered ISO');
        const contact = values.contact ?? (operator.email.includes('@') ? operator.email : undefined);
        if (!contact) throw usage('incident create needs --contact (or KLUIS_OPERATOR_EMAIL)');
        const created = await createIncident(services, CONSOLE, {
          discoveredAt: discovered,
          startedAt: date(values.started, 'started'),
          endedAt: date(values.ended, 'ended'),
          nature: values.nature ?? '',
          systems: list(values.systems),
          dataCategories: list(values.categories),
          description: values.description ?? '',
          consequences: values.consequences ?? '',
          measures: values.measures ?? '',
          encryption: values.encryption ?? '',
          contact,
        });
        print(created, `Recorded incident ${created.id}; notices due by ${created.deadline.toISOString()}\n`);
        return 0;
      }
      case 'scope': {
        if (!values.all && !values.businesses)
          throw usage('incident scope needs --businesses ID1,ID2 or --all');
        const scoped = await scopeIncident(services, CONSOLE, incidentId(), {
          businesses: values.all ? 'all' : list(values.businesses),
        });
        print(
          scoped,
          scoped.scope
            .map((s) => `${s.businessId}  ${s.people} people  ${s.records} records  ${s.state}\n`)
            .join(''),
        );
        return 0;
      }
      case 'notify': {
        const result = await notifyIncident(services, CONSOLE, incidentId(), operator.name);
        print(
          result,
          `Notified ${result.notified.length} business(es).\n` +
            (result.toOwners.length > 0
              ? `Without a data-protection contact, their owners were mailed: ${result.toOwners.join(', ')}\n`
              : '') +
            (result.withoutContact.length > 0
              ? `Without a data-protection contact (still on the clock): ${result.withoutContact.join(', ')}\n`
              : ''),
        );
        return 0;
      }
      case 'update': {
        if (!values.text) throw usage('incident update needs --text T');
        const result = await addIncidentUpdate(services, CONSOLE, incidentId(), values.text, operator.name);
        print(result, `Update #${result.seq} sent to ${result.sentTo.length} business(es).\n`);
        return 0;
      }
      case 'close': {
        const closed = await closeIncident(services, CONSOLE, incidentId());
        print(closed, `Closed incident ${closed.id}\n`);
        return 0;
      }
      default: {
        if (values.overdue) {
          const overdue = await listOverdueNotices(services);
          print(
            overdue,
            overdue
              .map(
                (o) =>
                  `${o.incidentId}  ${o.businessId}  overdue ${o.hoursOverdue} h (deadline ${o.deadline.toISOString()})\n`,
              )
              .join('') || 'No overdue notices.\n',
          );
          return 0;
        }
        const incidents = await listIncidents(services, { openOnly: values.open });
        print(incidents, incidents.map(line).join('') || 'No incidents.\n');
        return 0;
      }
    }
  } finally {
    await opened.close();
  }
}
