/**
 * The operator's details and the privacy center's settings come from the environment through
 * config.ts, validated there, and become what the legal documents state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';
import { legalSettingsFrom } from './legal.settings.ts';

const BASE = { KLUIS_DATA_DIR: '/tmp/kluis-legal-settings-test' };

test('operator details, notice period and EU-only flow from the environment into the settings', () => {
  const config = loadConfig({
    ...BASE,
    KLUIS_OPERATOR_NAME: 'Kluisbeheer Noord B.V.',
    KLUIS_OPERATOR_ADDRESS: 'Vismarkt 12, 9712 CB Groningen',
    KLUIS_OPERATOR_KVK: '87654321',
    KLUIS_OPERATOR_EMAIL: 'privacy@kluisbeheer.example',
    KLUIS_SUBPROCESSOR_NOTICE_DAYS: '60',
    KLUIS_SUBPROCESSORS_EU_ONLY: 'true',
    KLUIS_BACKUP_INTERVAL_HOURS: '6',
  });
  const s = legalSettingsFrom(config);
  assert.deepEqual(s.operator, {
    name: 'Kluisbeheer Noord B.V.',
    address: 'Vismarkt 12, 9712 CB Groningen',
    kvkNumber: '87654321',
    email: 'privacy@kluisbeheer.example',
  });
  assert.equal(s.subprocessorNoticeDays, 60);
  assert.equal(s.subprocessorsEuOnly, true);
  assert.equal(s.security.backupIntervalHours, 6);
  assert.equal(s.security.database, 'embedded');
});

test('defaults: unset operator is named as such, 30 days notice, subprocessors anywhere', () => {
  const s = legalSettingsFrom(loadConfig(BASE));
  assert.equal(s.operator.name, '(niet ingesteld)');
  assert.equal(s.subprocessorNoticeDays, 30);
  assert.equal(s.subprocessorsEuOnly, false);
});

test('invalid operator settings are reported together', () => {
  assert.throws(
    () =>
      loadConfig({
        ...BASE,
        KLUIS_OPERATOR_NAME: 'Beheer B.V.',
        KLUIS_OPERATOR_KVK: '123',
        KLUIS_SUBPROCESSOR_NOTICE_DAYS: '10',
      }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      const text = e.problems.join('\n');
      assert.match(text, /KLUIS_OPERATOR_KVK must be 8 digits/);
      assert.match(text, /KLUIS_OPERATOR_NAME and KLUIS_OPERATOR_EMAIL must be set together/);
      assert.match(text, /KLUIS_SUBPROCESSOR_NOTICE_DAYS must be a whole number from 30/);
      return true;
    },
  );
});
