/**
 * The only reader of process.env (Biome's noProcessEnv rule enforces it). Every variable is
 * declared once below with a one-line comment; `loadConfig` parses all of them, reports every
 * problem at once, and returns a frozen, typed object that the rest of Kluis receives as a value.
 */
import { isIP } from 'node:net';
import path from 'node:path';

/** Regions of S3-compatible providers that lie inside the EU (London and Zürich do not). */
const EU_REGIONS_DEFAULT = [
  'eu-central-1', // Frankfurt
  'eu-west-1', // Ireland
  'eu-west-3', // Paris
  'eu-south-1', // Milan
  'eu-south-2', // Spain
  'eu-north-1', // Stockholm
  'nl-ams', // Scaleway Amsterdam
  'fr-par', // Scaleway Paris
  'pl-waw', // Scaleway Warsaw
  'eu-nl', // generic label used by Dutch hosters
];

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** undefined means the embedded PGlite database under dataDir/pg. */
  databaseUrl: string | undefined;
  /** Base64 master key from the environment; undefined means embedded: generated into dataDir. */
  masterKey: Buffer | undefined;
  /** Older master keys still readable while a rotation finishes. */
  previousMasterKeys: Buffer[];
  /** The key `kluis keys rotate-master` rewraps to (environment mode only). */
  newMasterKey: Buffer | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  tls: { certFile: string; keyFile: string } | undefined;
  trustProxy: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  s3:
    | {
        endpoint: string | undefined;
        region: string;
        bucket: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      }
    | undefined;
  /** Host names (exact, or `.suffix`) that outbound connections may reach besides loopback. */
  allowedHosts: readonly string[];
  /** Storage regions considered inside the EU. */
  allowedRegions: readonly string[];
  shutdownTimeoutMs: number;
  /** An external OpenID Connect issuer the API trusts instead of the embedded provider. */
  oidc:
    | {
        issuer: string;
        audience: string;
        jwksUrl: string | undefined;
        tenantClaim: string;
        roleClaim: string | undefined;
        scopeClaim: string;
      }
    | undefined;
  /** The operator of this deployment as the legal documents name it (the processor). */
  operator: {
    name: string | undefined;
    address: string | undefined;
    kvkNumber: string | undefined;
    email: string | undefined;
    /** Where operator alerts go (objections, incident escalations); the operator e-mail when unset. */
    alertEmail: string | undefined;
  };
  /** Days between adding a subprocessor and its effective date (at least 30). */
  subprocessorNoticeDays: number;
  /** Refuse subprocessors outside the EU/EEA or under a non-EU parent's jurisdiction. */
  subprocessorsEuOnly: boolean;
  /** How often the operator backs up (promised in the security measures). */
  backupIntervalHours: number;
  /** How long process logs are kept (promised in the security measures). */
  logRetentionDays: number;
  /** Days between the end of a subscription and the deletion of the business (default 30, at most 183). */
  endingRetentionDays: number;
}

type Env = Record<string, string | undefined>;

/** Thrown when the environment does not describe a valid configuration; lists every problem. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment into a Config, or throws a ConfigError naming every invalid variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|yes)$/i.test(raw)) return true;
    if (/^(0|false|no)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const list = (name: string, fallback: readonly string[]): readonly string[] => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    return raw
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  };

  // PORT: the HTTP(S) port Kluis listens on.
  const port = int('PORT', 5005, 1, 65535);
  // HOST: the address to bind; 0.0.0.0 in containers.
  const host = str('HOST') ?? '127.0.0.1';
  // KLUIS_DATA_DIR: where the embedded database, blobs, outbox and generated master key live.
  const dataDir = path.resolve(str('KLUIS_DATA_DIR') ?? './data');
  // KLUIS_PUBLIC_URL: the URL people use to reach Kluis (links in mails, OIDC issuer).
  const publicUrl = (str('KLUIS_PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!isUrl(publicUrl, ['http:', 'https:'])) problems.push('KLUIS_PUBLIC_URL must be an http(s) URL');

  // DATABASE_URL: a PostgreSQL 15+ server; unset means the embedded PGlite database.
  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl !== undefined && !isUrl(databaseUrl, ['postgres:', 'postgresql:'])) {
    problems.push('DATABASE_URL must be a postgres:// URL');
  }

  const key32 = (name: string, raw: string): Buffer | undefined => {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : null;
    if (decoded?.length === 32) return decoded;
    problems.push(`${name} must be 32 bytes in base64 (44 characters)`);
    return undefined;
  };
  // KLUIS_MASTER_KEY: 32 random bytes in base64 that wrap every tenant key; required with DATABASE_URL.
  const masterKeyRaw = str('KLUIS_MASTER_KEY');
  const masterKey = masterKeyRaw === undefined ? undefined : key32('KLUIS_MASTER_KEY', masterKeyRaw);
  if (masterKeyRaw === undefined && databaseUrl !== undefined) {
    problems.push(
      'KLUIS_MASTER_KEY is required when DATABASE_URL is set (generate: openssl rand -base64 32)',
    );
  }
  // KLUIS_PREVIOUS_MASTER_KEYS: comma-separated older master keys, readable during a rotation.
  const previousMasterKeys = (str('KLUIS_PREVIOUS_MASTER_KEYS') ?? '')
    .split(',')
    .filter((k) => k.trim() !== '')
    .flatMap((k) => key32('KLUIS_PREVIOUS_MASTER_KEYS', k.trim()) ?? []);
  // KLUIS_NEW_MASTER_KEY: the key `kluis keys rotate-master` rewraps every tenant key to.
  const newMasterKeyRaw = str('KLUIS_NEW_MASTER_KEY');
  const newMasterKey =
    newMasterKeyRaw === undefined ? undefined : key32('KLUIS_NEW_MASTER_KEY', newMasterKeyRaw);

  // LOG_LEVEL: pino level; personal data is redacted at every level.
  const logLevel = (str('LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`,
    );
  }

  // TLS_CERT_FILE and TLS_KEY_FILE: PEM files; when both are set Kluis serves HTTPS itself.
  const certFile = str('TLS_CERT_FILE');
  const keyFile = str('TLS_KEY_FILE');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  // KLUIS_TRUST_PROXY: trust X-Forwarded-* from a reverse proxy in front of Kluis.
  const trustProxy = bool('KLUIS_TRUST_PROXY', false);

  // SMTP_URL: smtp(s)://user:pass@host:port of the relay; unset means mails go to the outbox.
  const smtpUrl = str('SMTP_URL');
  if (smtpUrl !== undefined && !isUrl(smtpUrl, ['smtp:', 'smtps:']))
    problems.push('SMTP_URL must be smtp:// or smtps://');
  // MAIL_FROM: the sender address of every mail.
  const mailFrom = str('MAIL_FROM') ?? 'Kluis <no-reply@localhost>';

  // S3_BUCKET: store files in this S3-compatible bucket instead of the data dir.
  const bucket = str('S3_BUCKET');
  // S3_REGION: the bucket's region; must be in KLUIS_ALLOWED_REGIONS.
  const region = str('S3_REGION');
  // S3_ENDPOINT: the provider's endpoint URL (omit for AWS); its host must be allowed.
  const endpoint = str('S3_ENDPOINT');
  // S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: the bucket credentials.
  const accessKeyId = str('S3_ACCESS_KEY_ID');
  const secretAccessKey = str('S3_SECRET_ACCESS_KEY');
  // S3_FORCE_PATH_STYLE: address the bucket as a path (most non-AWS providers).
  const forcePathStyle = bool('S3_FORCE_PATH_STYLE', endpoint !== undefined);
  if (bucket !== undefined && region === undefined) problems.push('S3_REGION is required with S3_BUCKET');
  if (endpoint !== undefined && !isUrl(endpoint, ['http:', 'https:']))
    problems.push('S3_ENDPOINT must be a URL');

  // KLUIS_ALLOWED_HOSTS: host names (or .suffixes) inside the EU that databases, SMTP and storage may use.
  const allowedHosts = list('KLUIS_ALLOWED_HOSTS', []);
  // KLUIS_ALLOWED_REGIONS: storage regions inside the EU; the default lists known EU regions.
  const allowedRegions = list('KLUIS_ALLOWED_REGIONS', EU_REGIONS_DEFAULT);
  // KLUIS_SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for requests to finish.
  const shutdownTimeoutMs = int('KLUIS_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000);

  // OIDC_ISSUER: an external OpenID Connect issuer (Keycloak, Entra ID…); set, the embedded provider is off.
  const oidcIssuer = str('OIDC_ISSUER')?.replace(/\/+$/, '');
  // OIDC_AUDIENCE: the `aud` the external issuer puts in access tokens for Kluis; required with OIDC_ISSUER.
  const oidcAudience = str('OIDC_AUDIENCE');
  // OIDC_JWKS_URL: the external issuer's JWKS; unset means the jwks_uri of its discovery document.
  const oidcJwksUrl = str('OIDC_JWKS_URL');
  // OIDC_TENANT_CLAIM: the access-token claim holding the Kluis business id (default kluis_tenant).
  const oidcTenantClaim = str('OIDC_TENANT_CLAIM') ?? 'kluis_tenant';
  // OIDC_ROLE_CLAIM: a claim holding the role (owner, admin, bookkeeper, viewer); unset means Kluis's memberships decide.
  const oidcRoleClaim = str('OIDC_ROLE_CLAIM');
  // OIDC_SCOPE_CLAIM: the claim holding the scopes, a string or an array (default scope; Entra ID uses scp).
  const oidcScopeClaim = str('OIDC_SCOPE_CLAIM') ?? 'scope';
  if (oidcIssuer !== undefined) {
    if (!isUrl(oidcIssuer, ['http:', 'https:'])) problems.push('OIDC_ISSUER must be an http(s) URL');
    if (oidcAudience === undefined) problems.push('OIDC_AUDIENCE is required with OIDC_ISSUER');
  }
  if (oidcJwksUrl !== undefined && !isUrl(oidcJwksUrl, ['http:', 'https:'])) {
    problems.push('OIDC_JWKS_URL must be an http(s) URL');
  }

  // KLUIS_OPERATOR_NAME: the legal name of the company running this Kluis (the processor in the agreement).
  const operatorName = str('KLUIS_OPERATOR_NAME');
  // KLUIS_OPERATOR_ADDRESS: its registered address on one line, e.g. "Keizersgracht 1, 1015 CJ Amsterdam".
  const operatorAddress = str('KLUIS_OPERATOR_ADDRESS');
  // KLUIS_OPERATOR_KVK: its 8-digit Chamber of Commerce (KvK) number.
  const operatorKvk = str('KLUIS_OPERATOR_KVK');
  if (operatorKvk !== undefined && !/^\d{8}$/.test(operatorKvk))
    problems.push('KLUIS_OPERATOR_KVK must be 8 digits');
  // KLUIS_OPERATOR_EMAIL: where businesses reach the operator about privacy and the agreement.
  const operatorEmail = str('KLUIS_OPERATOR_EMAIL');
  if (operatorEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(operatorEmail)) {
    problems.push('KLUIS_OPERATOR_EMAIL must be an e-mail address');
  }
  // KLUIS_OPERATOR_ALERT_EMAIL: the operator's on-call address for alerts (objections, incident escalations); defaults to KLUIS_OPERATOR_EMAIL.
  const operatorAlertEmail = str('KLUIS_OPERATOR_ALERT_EMAIL');
  if (operatorAlertEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(operatorAlertEmail)) {
    problems.push('KLUIS_OPERATOR_ALERT_EMAIL must be an e-mail address');
  }
  if ((operatorName === undefined) !== (operatorEmail === undefined)) {
    problems.push('KLUIS_OPERATOR_NAME and KLUIS_OPERATOR_EMAIL must be set together');
  }
  // KLUIS_SUBPROCESSOR_NOTICE_DAYS: days between announcing a new subprocessor and its use (the agreement promises at least 30).
  const subprocessorNoticeDays = int('KLUIS_SUBPROCESSOR_NOTICE_DAYS', 30, 30, 365);
  // KLUIS_SUBPROCESSORS_EU_ONLY: refuse subprocessors outside the EU/EEA or under a non-EU parent company's law.
  const subprocessorsEuOnly = bool('KLUIS_SUBPROCESSORS_EU_ONLY', false);
  // KLUIS_BACKUP_INTERVAL_HOURS: how often the operator runs `kluis backup`, as the security measures state.
  const backupIntervalHours = int('KLUIS_BACKUP_INTERVAL_HOURS', 24, 1, 24 * 7);
  // KLUIS_LOG_RETENTION_DAYS: how long the operator keeps process logs, as the security measures state.
  const logRetentionDays = int('KLUIS_LOG_RETENTION_DAYS', 30, 1, 400);
  // KLUIS_ENDING_RETENTION_DAYS: days after a subscription ends before the business is deleted (at most 6 months).
  const endingRetentionDays = int('KLUIS_ENDING_RETENTION_DAYS', 30, 0, 183);

  const config: Config = {
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl,
    masterKey,
    previousMasterKeys,
    newMasterKey,
    logLevel,
    tls: certFile && keyFile ? { certFile, keyFile } : undefined,
    trustProxy,
    smtpUrl,
    mailFrom,
    s3: bucket
      ? { endpoint, region: region ?? '', bucket, accessKeyId, secretAccessKey, forcePathStyle }
      : undefined,
    allowedHosts,
    allowedRegions,
    shutdownTimeoutMs,
    oidc:
      oidcIssuer && oidcAudience
        ? {
            issuer: oidcIssuer,
            audience: oidcAudience,
            jwksUrl: oidcJwksUrl,
            tenantClaim: oidcTenantClaim,
            roleClaim: oidcRoleClaim,
            scopeClaim: oidcScopeClaim,
          }
        : undefined,
    operator: {
      name: operatorName,
      address: operatorAddress,
      kvkNumber: operatorKvk,
      email: operatorEmail,
      alertEmail: operatorAlertEmail ?? operatorEmail,
    },
    subprocessorNoticeDays,
    subprocessorsEuOnly,
    backupIntervalHours,
    logRetentionDays,
    endingRetentionDays,
  };
  problems.push(...checkEndpoints(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * Invariant 7 (data stays in the EU) and TLS: every outbound endpoint is loopback or on the
 * operator's allow-list, storage regions are EU regions, and anything off loopback uses TLS.
 */
export function checkEndpoints(config: Config): string[] {
  const problems: string[] = [];
  const check = (what: string, url: string, tlsOk: (u: URL) => boolean) => {
    const u = new URL(url);
    const hostname = u.hostname.replace(/^\[|\]$/g, '');
    if (isLoopback(hostname)) return;
    if (!isHostAllowed(hostname, config.allowedHosts)) {
      problems.push(`${what} host ${hostname} is not in KLUIS_ALLOWED_HOSTS (endpoints must be in the EU)`);
    }
    if (!tlsOk(u)) problems.push(`${what} must use TLS when it is not on loopback`);
  };
  if (config.databaseUrl && isUrl(config.databaseUrl, ['postgres:', 'postgresql:'])) {
    check('DATABASE_URL', config.databaseUrl, (u) =>
      ['require', 'verify-ca', 'verify-full'].includes(u.searchParams.get('sslmode') ?? ''),
    );
  }
  if (config.smtpUrl && isUrl(config.smtpUrl, ['smtp:', 'smtps:'])) {
    // smtp:// off loopback is accepted only because the mailer then requires STARTTLS.
    check('SMTP_URL', config.smtpUrl, () => true);
  }
  if (config.oidc && isUrl(config.oidc.issuer, ['http:', 'https:'])) {
    // The API fetches the external issuer's keys: an outbound endpoint like any other.
    check('OIDC_ISSUER', config.oidc.issuer, (u) => u.protocol === 'https:');
    if (config.oidc.jwksUrl && isUrl(config.oidc.jwksUrl, ['http:', 'https:'])) {
      check('OIDC_JWKS_URL', config.oidc.jwksUrl, (u) => u.protocol === 'https:');
    }
  }
  if (config.s3) {
    if (!config.allowedRegions.includes(config.s3.region.toLowerCase())) {
      problems.push(
        `S3_REGION ${config.s3.region} is not in KLUIS_ALLOWED_REGIONS (storage must be in the EU)`,
      );
    }
    if (config.s3.endpoint && isUrl(config.s3.endpoint, ['http:', 'https:'])) {
      check('S3_ENDPOINT', config.s3.endpoint, (u) => u.protocol === 'https:');
    }
  }
  return problems;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '::1') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

function isHostAllowed(hostname: string, allowed: readonly string[]): boolean {
  const h = hostname.toLowerCase();
  return allowed.some((a) => (a.startsWith('.') ? h.endsWith(a) : h === a));
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Test-only settings, read here so that no other file touches process.env. */
export function readTestEnv(env: Env = process.env): { pgUrl: string | undefined } {
  return { pgUrl: env.KLUIS_TEST_PG_URL?.trim() || undefined };
}
