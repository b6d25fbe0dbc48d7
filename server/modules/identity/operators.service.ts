/**
 * The operator's staff (Identity point 12): a separate kind of account, created from the command
 * line with a generated password and a TOTP factor that is active from the start, so there is no
 * moment at which an operator account could sign in on a password alone. Operators have no
 * memberships, so by default their tokens reach no business's content.
 */
import { randomBytes } from 'node:crypto';
import { AppError, invalidInput } from '../../../domain/errors.ts';
import { validateEmail } from '../../../domain/identifiers.ts';
import { inSystem } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { getDeploymentSecret } from './deployment-secrets.ts';
import { hashPassword } from './factors/passwords.ts';
import { generateRecoveryCodes } from './factors/recovery-codes.ts';
import { createTotpSecret, totpStep, totpUri } from './factors/totp.ts';
import { appendPlatformAudit, CONSOLE, platformAuditKeys } from './platform-audit.ts';
import type { IdentityRuntime } from './runtime.ts';
import { markTotpUsed, saveRecoveryHashes, upsertPendingTotp } from './two-factor.repo.ts';
import { findUserByEmail, insertUser } from './users.repo.ts';

/** What the operator sees once: the password, the TOTP secret for their app, the recovery codes. */
export interface CreatedOperator {
  userId: string;
  password: string;
  totpSecret: string;
  totpUri: string;
  recoveryCodes: string[];
}

/** Creates an operator account with its second factor already in place. */
export async function createOperator(
  rt: IdentityRuntime,
  input: { email: string },
): Promise<CreatedOperator> {
  const email = validateEmail(input.email);
  if (!email.ok) throw invalidInput([{ path: 'email', code: email.code, message: 'Not an e-mail address' }]);
  const keys = await rt.userKeys();
  const recoveryKey = await getDeploymentSecret(rt.services, 'recovery-code-key');
  const at = rt.services.clock.now();
  const userId = newId(at);
  // 128 random bits, shown once; the operator may keep it in a password manager.
  const password = randomBytes(16).toString('base64url');
  const passwordHash = await hashPassword(password);
  const totpSecret = createTotpSecret();
  const recovery = generateRecoveryCodes(recoveryKey);
  const auditKeys = await platformAuditKeys(rt.services);
  await inSystem(rt.services.db, async (tx) => {
    if (await findUserByEmail(tx, keys, email.value)) {
      throw new AppError('conflict', 'email_taken', 'An account with this e-mail address exists');
    }
    await insertUser(tx, keys, {
      id: userId,
      kind: 'operator',
      email: email.value,
      passwordHash,
      locale: 'en',
      at,
    });
    await upsertPendingTotp(tx, keys, userId, totpSecret, at);
    // Confirmed at once, with the steps up to now spent, so no code from before creation works.
    await markTotpUsed(tx, userId, totpStep(at) - 2, at);
    await saveRecoveryHashes(tx, userId, recovery.hashes, at);
    await appendPlatformAudit(tx, auditKeys, {
      action: 'platform.operator_created',
      actor: CONSOLE,
      target: { type: 'user', id: userId },
      at,
    });
  });
  return {
    userId,
    password,
    totpSecret,
    totpUri: totpUri(totpSecret, { issuer: 'Kluis operator', account: email.value }),
    recoveryCodes: recovery.codes,
  };
}
