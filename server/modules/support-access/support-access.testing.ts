/**
 * Test helpers for support access: an operator account (created as the CLI does, TOTP from the
 * start) and an access token such as the embedded provider issues it after a sign-in with the
 * second factor (no business, a live grant, amr). Not a test file.
 */
import { randomBytes } from 'node:crypto';
import type { Services } from '../../context.ts';
import { databaseAdapter } from '../identity/oidc-adapter.ts';
import { createOperator } from '../identity/operators.service.ts';
import { createIdentityRuntime } from '../identity/runtime.ts';
import { mintAccessToken } from '../identity/testing.ts';

/** An operator: its user id, and `token()` mints a fresh access token (after the clock moved, too). */
export interface TestOperator {
  id: string;
  /** The provider grant its tokens name (kluis_gid). */
  grantId: string;
  token(): Promise<string>;
}

/** Creates an operator account and a live provider grant for its tokens. */
export async function makeOperator(services: Services): Promise<TestOperator> {
  const email = `staf-${randomBytes(4).toString('hex')}@operator.test`;
  const { userId } = await createOperator(createIdentityRuntime(services), { email });
  const grantId = randomBytes(16).toString('base64url');
  const Grant = databaseAdapter(services, async () => undefined);
  await new Grant('Grant').upsert(grantId, { accountId: userId, clientId: 'kluis-web' }, 0);
  return {
    id: userId,
    grantId,
    token: () =>
      mintAccessToken(services, {
        sub: userId,
        kluis_gid: grantId,
        kluis_operator: true,
        amr: ['pwd', 'otp'],
      }),
  };
}
