/** A master-key rotation reseals identity's secrets, so signing keys still open afterwards (ADR 0011). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { masterKeyFrom } from '../../crypto/master-key.ts';
import { makeServices, type TestServices } from '../../test/harness.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';
import { resealIdentitySecrets } from './reseal.service.ts';
import { loadSigningKeys } from './signing-keys.ts';

let s: TestServices;
before(async () => {
  s = await makeServices();
});
after(() => s.close());

test('after a master-key rotation the same signing keys and secrets open under the new key only', async () => {
  const keysBefore = await loadSigningKeys(s);
  const secretBefore = await getDeploymentSecret(s, 'oidc-cookie-key');
  const oldId = s.keyring.masterKeyId;
  s.keyring.useMaster(masterKeyFrom(randomBytes(32)));
  assert.ok((await resealIdentitySecrets(s)) >= 2);
  s.keyring.dropPrevious(); // the old master key is gone for good
  const keysAfter = await loadSigningKeys(s);
  assert.deepEqual(
    keysAfter.map((k) => [k.kid, k.privateJwk.d]),
    keysBefore.map((k) => [k.kid, k.privateJwk.d]),
  );
  assert.deepEqual(await getDeploymentSecret(s, 'oidc-cookie-key'), secretBefore);
  const stale = await s.db.asOwner<{ n: number }>(
    `SELECT (SELECT count(*) FROM deployment_secrets WHERE master_key_id = $1)::int
          + (SELECT count(*) FROM oidc_signing_keys WHERE master_key_id = $1)::int AS n`,
    [oldId],
  );
  assert.equal(stale[0]?.n, 0);
});
