/**
 * The operator's alert address (ADR 0060): KLUIS_OPERATOR_ALERT_EMAIL, defaulting to the operator's
 * e-mail; a malformed one stops start-up with a message naming the variable.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';

const OPERATOR = {
  KLUIS_OPERATOR_NAME: 'Kluisbeheer B.V.',
  KLUIS_OPERATOR_EMAIL: 'privacy@kluisbeheer.example',
};

test('alerts go to KLUIS_OPERATOR_ALERT_EMAIL, else to the operator e-mail, else nowhere', () => {
  assert.equal(loadConfig({}).operator.alertEmail, undefined);
  assert.equal(loadConfig(OPERATOR).operator.alertEmail, 'privacy@kluisbeheer.example');
  const own = loadConfig({ ...OPERATOR, KLUIS_OPERATOR_ALERT_EMAIL: 'dienst@kluisbeheer.example' });
  assert.equal(own.operator.alertEmail, 'dienst@kluisbeheer.example');
  assert.equal(own.operator.email, 'privacy@kluisbeheer.example');
});

test('a malformed alert address stops start-up, naming the variable', () => {
  assert.throws(
    () => loadConfig({ KLUIS_OPERATOR_ALERT_EMAIL: 'geen adres' }),
    (e: unknown) => e instanceof ConfigError && e.message.includes('KLUIS_OPERATOR_ALERT_EMAIL'),
  );
});
