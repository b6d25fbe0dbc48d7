/**
 * What the legal documents say about this deployment, taken from the running configuration once
 * at start-up: who the operator is, where data lives, how it is protected, and the subprocessor
 * rules. Tests pass their own settings; an unconfigured deployment says so in its documents.
 */
import type { Config } from '../../config.ts';
import { CURRENT_AGREEMENT, type DocumentVersion } from './documents.ts';

/** The operator (the processor), as named in every document. */
export interface Operator {
  name: string;
  address: string;
  kvkNumber: string;
  email: string;
}

/** Facts of the running deployment that the security measures state. */
export interface SecurityFacts {
  database: 'embedded' | 'postgresql';
  /** Where files are stored: the data directory, or an S3 bucket in this EU region. */
  files: { kind: 'local' } | { kind: 's3'; region: string };
  /** Where the master key comes from. */
  masterKey: 'environment' | 'data_dir';
  /** Kluis serves HTTPS itself, or sits behind a TLS-terminating proxy. */
  tls: 'own' | 'proxy';
  mail: 'smtp' | 'outbox';
  backupIntervalHours: number;
  logRetentionDays: number;
}

/** Everything the legal module needs from the configuration. */
export interface LegalSettings {
  operator: Operator;
  publicUrl: string;
  /** Days between adding a subprocessor and its effective date. */
  subprocessorNoticeDays: number;
  /** Refuse subprocessors outside the EU/EEA or under non-EU law. */
  subprocessorsEuOnly: boolean;
  security: SecurityFacts;
  /** The agreement version in force (the code's; tests pass a newer one to simulate a change). */
  agreement: DocumentVersion;
}

const UNSET = '(niet ingesteld)';

/** The legal settings of a configuration. */
export function legalSettingsFrom(config: Config): LegalSettings {
  return {
    operator: {
      name: config.operator.name ?? UNSET,
      address: config.operator.address ?? UNSET,
      kvkNumber: config.operator.kvkNumber ?? UNSET,
      email: config.operator.email ?? UNSET,
    },
    publicUrl: config.publicUrl,
    subprocessorNoticeDays: config.subprocessorNoticeDays,
    subprocessorsEuOnly: config.subprocessorsEuOnly,
    security: {
      database: config.databaseUrl ? 'postgresql' : 'embedded',
      files: config.s3 ? { kind: 's3', region: config.s3.region } : { kind: 'local' },
      masterKey: config.masterKey ? 'environment' : 'data_dir',
      tls: config.tls ? 'own' : 'proxy',
      mail: config.smtpUrl ? 'smtp' : 'outbox',
      backupIntervalHours: config.backupIntervalHours,
      logRetentionDays: config.logRetentionDays,
    },
    agreement: CURRENT_AGREEMENT,
  };
}

/** The settings of an unconfigured deployment (tests and development). */
export const DEFAULT_LEGAL_SETTINGS: LegalSettings = {
  operator: { name: UNSET, address: UNSET, kvkNumber: UNSET, email: UNSET },
  publicUrl: 'http://localhost:5005',
  subprocessorNoticeDays: 30,
  subprocessorsEuOnly: false,
  security: {
    database: 'embedded',
    files: { kind: 'local' },
    masterKey: 'data_dir',
    tls: 'proxy',
    mail: 'outbox',
    backupIntervalHours: 24,
    logRetentionDays: 30,
  },
  agreement: CURRENT_AGREEMENT,
};

/** EU member states plus the EEA (Iceland, Liechtenstein, Norway): inside the GDPR's area. */
export const EEA_COUNTRIES: ReadonlySet<string> = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);
