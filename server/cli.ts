/**
 * The `kluis` command line for the operator: `npm run kluis -- <command>`. It opens the same
 * services as the server (so on the embedded database it takes the same data-dir lock and is
 * refused while a server runs). Machine-readable output goes to stdout with --json; logs go to
 * stderr. Exit codes: 0 success, 1 a check failed (audit verify), 2 usage or input error.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { isAppError } from '../domain/errors.ts';
import { exportAuditLog } from './audit/export.ts';
import { type VerifyResult, verifyAuditChain } from './audit/verify.ts';
import { openServices } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { type Ctx, type Services, SYSTEM } from './context.ts';
import { finishEmbeddedRotation, masterKeyFrom, prepareEmbeddedRotation } from './crypto/master-key.ts';
import { createLogger } from './log.ts';
import { createApiClient, revokeApiClient } from './modules/clients/index.ts';
import { createDemo } from './modules/demo/demo.service.ts';
import { ENDING_USAGE, runEndingCommand } from './modules/ending/ending.cli.ts';
import { createOperator } from './modules/identity/operators.service.ts';
import { OUTBOX_USAGE, runOutboxCommand } from './modules/identity/outbox.cli.ts';
import { recordPlatformEvent, verifyPlatformAudit } from './modules/identity/platform-audit.ts';
import { resealIdentitySecrets } from './modules/identity/reseal.service.ts';
import { createIdentityRuntime } from './modules/identity/runtime.ts';
import { rotateSigningKey } from './modules/identity/signing-keys.ts';
import { INCIDENT_USAGE, runIncidentCommand } from './modules/incidents/incidents.cli.ts';
import { syncKeyVault } from './modules/privacy/backup.ts';
import { PRIVACY_COMMANDS, PRIVACY_USAGE, runPrivacyCommand } from './modules/privacy/privacy.cli.ts';
import { runSubprocessorCommand, SUBPROCESSOR_USAGE } from './modules/subprocessors/subprocessors.cli.ts';
import { rotateMasterKey } from './modules/tenants/keys.service.ts';
import { createTenant, listTenants, shredTenant } from './modules/tenants/tenants.service.ts';

const USAGE = `Usage: npm run kluis -- <command> [options]

  migrate                                  apply pending database migrations
  tenant create --name NAME [--json]       create a business; prints {"id":…} with --json
  tenant list [--json]                     list businesses as [{"id","name"}]
  tenant shred --tenant ID --yes           destroy a business's keys (irreversible)
  keys rotate-master                       rewrap every tenant key under a new master key
  keys rotate-signing                      new token-signing key; old ones stay published until tokens expire
  client create --tenant ID --name NAME --scopes S1,S2 [--redirect-uris U1,U2] [--json]
                                           create an API client; prints {"clientId","clientSecret"} once
                                           (with redirect URIs: an interactive client, code + PKCE)
  client revoke --tenant ID --client ID    revoke an API client and its tokens
  operator create --email E [--json]       create an operator account (password, TOTP and recovery codes shown once)
  audit verify [--tenant ID] [--json]      verify the audit chain(s); exit 1 if broken
  audit export --tenant ID [--out FILE]    write the audit log as NDJSON (stdout by default)
  demo [--json]                            fill a demo business; prints the owner's login once
${INCIDENT_USAGE}${SUBPROCESSOR_USAGE}${ENDING_USAGE}${PRIVACY_USAGE}${OUTBOX_USAGE}`;

class UsageError extends Error {}

/** The context of an operator command acting in one business. */
function systemCtx(services: Services, tenantId: string): Ctx {
  return { tenantId, actor: SYSTEM, requestId: null, ip: null, services };
}

async function main(argv: string[]): Promise<number> {
  // Incident commands have options of their own (modules/incidents/incidents.cli.ts).
  if (argv[0] === 'incident') return runIncidentCommand(argv.slice(1));
  if (argv[0] === 'subprocessor') return runSubprocessorCommand(argv.slice(1));
  if (argv[0] === 'ending') return runEndingCommand(argv.slice(1));
  if (argv[0] === 'outbox') return runOutboxCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      client: { type: 'string' },
      'redirect-uris': { type: 'string' },
      email: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals.join(' ');
  if (values.help || command === '') {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const known = [
    'migrate',
    'tenant create',
    'tenant list',
    'tenant shred',
    'keys rotate-master',
    'keys rotate-signing',
    'client create',
    'client revoke',
    'operator create',
    'audit verify',
    'audit export',
    'demo',
  ];
  const privacy = (PRIVACY_COMMANDS as readonly string[]).includes(positionals[0] ?? '');
  if (!privacy && !known.includes(command)) throw new UsageError(`unknown command "${command}"`);

  const config = loadConfig();
  // CLI logs go to stderr so that stdout carries only the command's output.
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  // export, backup and restore open the database themselves (or ask the running server).
  if (privacy) return runPrivacyCommand(config, log, { ...values, positionals });
  const opened = await openServices(config, log, `cli ${command}`);
  const { services } = opened;
  const print = (value: unknown, text: string) =>
    process.stdout.write(values.json ? `${JSON.stringify(value)}\n` : text);
  try {
    switch (command) {
      case 'migrate':
        print({ migrated: true }, 'Database is up to date.\n');
        return 0;
      case 'tenant create': {
        if (!values.name) throw new UsageError('tenant create needs --name');
        const created = await createTenant(services, SYSTEM, { name: values.name });
        await recordPlatformEvent(services, {
          action: 'platform.tenant_created',
          target: { type: 'tenant', id: created.id },
        });
        print(created, `Created tenant ${created.id}\n`);
        return 0;
      }
      case 'tenant list': {
        const tenants = await listTenants(services);
        print(
          tenants.map((t) => ({ id: t.id, name: t.name })),
          tenants.map((t) => `${t.id}  ${t.status.padEnd(8)}  ${t.name ?? '(shredded)'}\n`).join(''),
        );
        return 0;
      }
      case 'tenant shred': {
        if (!values.tenant) throw new UsageError('tenant shred needs --tenant ID');
        if (!values.yes) throw new UsageError('tenant shred is irreversible: add --yes to confirm');
        await shredTenant(services, SYSTEM, values.tenant);
        await recordPlatformEvent(services, {
          action: 'platform.tenant_shredded',
          target: { type: 'tenant', id: values.tenant },
        });
        print({ shredded: values.tenant }, `Destroyed the keys of tenant ${values.tenant}\n`);
        return 0;
      }
      case 'keys rotate-master': {
        const embedded = config.masterKey === undefined;
        if (!embedded && !config.newMasterKey) {
          throw new UsageError(
            'set KLUIS_NEW_MASTER_KEY to the new key (and keep KLUIS_MASTER_KEY as the current one)',
          );
        }
        const next = embedded
          ? prepareEmbeddedRotation(config.dataDir)
          : masterKeyFrom(config.newMasterKey as Buffer);
        const count = await rotateMasterKey(services, SYSTEM, next);
        // Identity's deployment secrets and signing keys are sealed by the master key itself.
        await resealIdentitySecrets(services);
        // The key vault holds wrapped keys too: refresh it, or restores would need the old key (ADR 0050).
        await syncKeyVault(services);
        await recordPlatformEvent(services, {
          action: 'platform.master_key_rotated',
          data: { tenants: count, masterKeyId: next.id },
        });
        if (embedded) finishEmbeddedRotation(config.dataDir);
        print(
          { rewrappedTenants: count, masterKeyId: next.id },
          `Rewrapped the keys of ${count} tenant(s) under master key ${next.id}.\n` +
            (embedded ? '' : 'Now store KLUIS_NEW_MASTER_KEY as KLUIS_MASTER_KEY in your secret store.\n'),
        );
        return 0;
      }
      case 'keys rotate-signing': {
        const { kid, retired } = await rotateSigningKey(services);
        print(
          { kid, retired },
          `New signing key ${kid}; ${retired.length} older key(s) stay published until their tokens expire.\n`,
        );
        return 0;
      }
      case 'client create': {
        if (!values.tenant || !values.name || !values.scopes) {
          throw new UsageError('client create needs --tenant ID --name NAME --scopes S1,S2');
        }
        const created = await createApiClient(systemCtx(services, values.tenant), {
          name: values.name,
          scopes: values.scopes
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
          redirectUris: (values['redirect-uris'] ?? '')
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        });
        print(
          created,
          `Client id:     ${created.clientId}\nClient secret: ${created.clientSecret}\n(shown once)\n`,
        );
        return 0;
      }
      case 'client revoke': {
        if (!values.tenant || !values.client)
          throw new UsageError('client revoke needs --tenant ID --client ID');
        await revokeApiClient(systemCtx(services, values.tenant), values.client);
        print({ revoked: values.client }, `Revoked client ${values.client}\n`);
        return 0;
      }
      case 'operator create': {
        if (!values.email) throw new UsageError('operator create needs --email E');
        const op = await createOperator(createIdentityRuntime(services), { email: values.email });
        print(
          op,
          `Operator ${op.userId}\nPassword:       ${op.password}\nTOTP (scan it): ${op.totpUri}\n` +
            `Recovery codes: ${op.recoveryCodes.join(' ')}\n(shown once; sign-in always needs a code)\n`,
        );
        return 0;
      }
      case 'audit verify': {
        const ids = values.tenant
          ? [values.tenant]
          : (await listTenants(services)).filter((t) => t.status === 'active').map((t) => t.id);
        const results: VerifyResult[] = [];
        for (const id of ids) results.push(await verifyAuditChain(services, id));
        // Without --tenant the platform's own chain (operator actions, key rotations) is checked too.
        if (!values.tenant) results.push(await verifyPlatformAudit(services));
        const broken = results.filter((r) => !r.ok);
        print(
          results,
          results
            .map((r) =>
              r.ok
                ? `ok      ${r.tenantId}  ${r.events} events\n`
                : `BROKEN  ${r.tenantId}  first broken event: #${r.firstBroken?.seq} (${r.firstBroken?.reason})\n`,
            )
            .join(''),
        );
        return broken.length === 0 ? 0 : 1;
      }
      case 'audit export': {
        if (!values.tenant) throw new UsageError('audit export needs --tenant ID');
        const out = values.out ? createWriteStream(values.out, { mode: 0o600 }) : process.stdout;
        await exportAuditLog(services, SYSTEM, values.tenant, out);
        if (values.out)
          await new Promise<void>((resolve, reject) => out.end(() => resolve()).on('error', reject));
        return 0;
      }
      case 'demo': {
        const demo = await createDemo(createIdentityRuntime(services));
        print(
          demo,
          demo.created
            ? `Demo business ${demo.tenantId}: ${demo.counts.customers} customers, ${demo.counts.products} products, ` +
                `${demo.counts.invoices} invoices, ${demo.counts.creditNotes} credit notes, ${demo.counts.quotes} quotes, ` +
                `${demo.counts.schedules} recurring schedule.\n` +
                `Sign in as ${demo.email}\nPassword: ${demo.password}\n(shown once)\n`
            : `The demo business exists already (${demo.tenantId}); nothing changed.\n`,
        );
        return 0;
      }
    }
    return 2;
  } finally {
    await opened.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`kluis: ${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (e instanceof ConfigError || isAppError(e)) {
    process.stderr.write(`kluis: ${isAppError(e) ? `${e.code}: ` : ''}${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`kluis: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
