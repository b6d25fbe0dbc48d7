/**
 * The web app's names for audit actions (web/src/features/audit-actions.ts) follow the catalogue:
 * the map names no action that does not exist (a typo would silently fall back to the raw name),
 * never a platform-chain action, and each group is a prefix the search accepts. An action without
 * a name yet is allowed: the screen shows its raw name, so a new action never blocks a release.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_ACTION_NAMES, AUDIT_GROUPS } from '../../web/src/features/audit-actions.ts';
import { AUDIT_ACTIONS } from './catalogue.ts';

const catalogue = Object.keys(AUDIT_ACTIONS);

test('the names and groups refer only to actions the catalogue has', () => {
  assert.deepEqual(
    Object.keys(AUDIT_ACTION_NAMES).filter((a) => !catalogue.includes(a)),
    [],
  );
  // The operator's platform chain is never shown in a business's audit log.
  assert.deepEqual(
    Object.keys(AUDIT_ACTION_NAMES).filter((a) => a.startsWith('platform.')),
    [],
  );
  for (const [action, [nl, en]] of Object.entries(AUDIT_ACTION_NAMES)) {
    assert.ok(nl.trim() && en.trim() && nl !== action, `${action} has a Dutch and an English name`);
  }
  for (const prefix of Object.keys(AUDIT_GROUPS)) {
    assert.ok(prefix.endsWith('.'), `${prefix} is a prefix the search accepts`);
    assert.ok(
      catalogue.some((a) => a.startsWith(prefix)),
      `${prefix} matches at least one action`,
    );
  }
});
